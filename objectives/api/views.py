"""API views: every read scoped by `ScopedViewSet` through the models' `visible_to`,
every write through one service."""

from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stakeholders.models import Organisation
from strategy_tracker.api.authentication import token_expires
from strategy_tracker.api.pagination import CursorPagination
from strategy_tracker.api.preconditions import expected_version, with_etag
from strategy_tracker.api.schema import (
    IF_MATCH,
    LIST_ERRORS,
    NOT_FOUND,
    READ_ERRORS,
    THROTTLED,
    UNAUTHENTICATED,
    WRITE_ERRORS,
)

from ..caching import tree_cache_key, tree_cached, tree_store
from ..choices import Audience
from ..models import (
    Action,
    Implementation,
    ImportJob,
    Objective,
    Outcome,
    ProgressSnapshot,
    ReportingRound,
    RoundFigure,
    StatusUpdate,
    Strategy,
)
from ..permissions import reads_all_missions
from ..selectors.field import evidence_update
from ..selectors.rounds import round_changes, round_completeness
from ..selectors.tree import strategy_tree
from ..services import rounds as round_services
from ..services import workflow
from ..services.import_jobs import import_job_create
from ..tasks import request_import
from ..views.field import evidence_response
from . import filters, serializers
from .base import ETagRetrieveMixin, ManagesStrategies, ScopedViewSet


def audience_for(request: Request) -> str:
    """Internal figures for those who read every mission; public figures for the rest."""
    return Audience.INTERNAL if reads_all_missions(request.user) else Audience.PUBLIC


# -- the strategy and its tree ----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List strategies",
        description="Drafts are listed only for HQ readers.",
        responses={200: serializers.StrategySerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one strategy by its code",
        responses={200: serializers.StrategySerializer, **READ_ERRORS},
    ),
)
class StrategyViewSet(ScopedViewSet, ListModelMixin, RetrieveModelMixin):
    """Strategies with their principles and stakeholder groups."""

    serializer_class = serializers.StrategySerializer
    action_permissions = {"import_tree": [ManagesStrategies]}
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9._-]{1,30}"
    filterset_fields = ["status"]
    ordering_fields = ["code", "published"]
    ordering = ["code"]

    def scoped_queryset(self) -> QuerySet[Strategy]:
        return Strategy.objects.prefetch_related("principles", "stakeholder_groups")

    @extend_schema(
        summary="The strategy's tree with rolled-up progress",
        description=(
            "Goals, outcomes and actions (current ones only), each with its rolled-up "
            "progress from the latest snapshot. Anonymous readers and mission staff get "
            "the public figures (cleared updates only); HQ readers the internal ones."
        ),
        responses={200: serializers.StrategyTreeSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def tree(self, request: Request, code: str | None = None) -> Response:
        strategy = self.get_object()
        audience = audience_for(request)
        as_json = request.accepted_renderer.format == "json"
        key = tree_cache_key(strategy, audience)
        if as_json and (content := tree_cached(key)) is not None:
            return HttpResponse(content, content_type="application/json")
        context = {
            **self.get_serializer_context(),
            **strategy_tree(strategy, audience=audience),
        }
        document = serializers.strategy_tree_document(strategy, context)
        if not as_json:
            return Response(document)
        content = JSONRenderer().render(document)
        tree_store(key, content)
        return HttpResponse(content, content_type="application/json")

    @extend_schema(
        summary="Import a strategy tree (strategy managers)",
        description=(
            "The import format of `manage.py import_strategy`, as JSON. The document's "
            "size and nesting are checked at once (400); then it is imported in the "
            "background, validated as a whole, all or nothing, rows matched by code and "
            "updated in place. The answer (202) is the import job; follow its `url` "
            "(also in `Location`) for its state, progress, and the result or every "
            "problem with its path."
        ),
        request=serializers.ImportInputSerializer,
        responses={
            202: serializers.ImportJobSerializer,
            400: WRITE_ERRORS[400],
            401: WRITE_ERRORS[401],
            403: WRITE_ERRORS[403],
            429: WRITE_ERRORS[429],
        },
        examples=[
            OpenApiExample(
                "A small tree",
                request_only=True,
                value={
                    "format_version": 1,
                    "strategy": {
                        "code": "EXAMPLE",
                        "title": {"en": "Example strategy"},
                        "goals": [],
                    },
                },
            )
        ],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        pagination_class=None,
        filter_backends=[],
    )
    def import_tree(self, request: Request) -> Response:
        serializer = serializers.ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            job = import_job_create(document=dict(request.data), actor=request.user)
            transaction.on_commit(lambda: request_import(job.pk))
        body = serializers.ImportJobSerializer(
            job, context=self.get_serializer_context()
        ).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]}
        )


@extend_schema_view(
    list=extend_schema(
        summary="List goals (objectives)",
        responses={200: serializers.ObjectiveSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one goal",
        responses={200: serializers.ObjectiveSerializer, **READ_ERRORS},
    ),
)
class ObjectiveViewSet(ScopedViewSet, ListModelMixin, RetrieveModelMixin):
    """The strategies' current goals."""

    serializer_class = serializers.ObjectiveSerializer
    filterset_fields = {"strategy__code": ["exact"], "code": ["exact"]}
    ordering_fields = ["order", "code"]
    ordering = ["strategy__code", "order", "code"]

    def scoped_queryset(self) -> QuerySet[Objective]:
        return Objective.objects.in_tree().select_related("strategy")


@extend_schema_view(
    list=extend_schema(
        summary="List outcomes",
        responses={200: serializers.OutcomeSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one outcome",
        responses={200: serializers.OutcomeSerializer, **READ_ERRORS},
    ),
)
class OutcomeViewSet(ScopedViewSet, ListModelMixin, RetrieveModelMixin):
    """The current outcomes under each goal."""

    serializer_class = serializers.OutcomeSerializer
    filterset_fields = ["objective", "code", "is_illustrative"]
    ordering_fields = ["order", "code"]
    ordering = ["objective_id", "order", "code"]

    def scoped_queryset(self) -> QuerySet[Outcome]:
        return Outcome.objects.in_tree()


@extend_schema_view(
    list=extend_schema(
        summary="List actions",
        responses={200: serializers.ActionSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one action",
        responses={200: serializers.ActionSerializer, **READ_ERRORS},
    ),
)
class ActionViewSet(ScopedViewSet, ListModelMixin, RetrieveModelMixin):
    """The current actions, with the principles they serve and their stakeholder groups."""

    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter
    ordering_fields = ["order", "code", "due_date", "weight"]
    ordering = ["outcome_id", "order", "code"]

    def scoped_queryset(self) -> QuerySet[Action]:
        return (
            Action.objects.in_tree()
            .select_related("lead_organisation")
            .prefetch_related("principles", "stakeholder_groups")
            .distinct()
        )


# -- implementations and status updates -------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List implementations",
        description=(
            "Signed-in readers see the missions their role covers, with the latest "
            "accepted figures. Anonymous readers see implementations with an update "
            "cleared for public release, with those figures only."
        ),
        responses={200: serializers.ImplementationSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one implementation (with its ETag)",
        responses={200: serializers.ImplementationSerializer, **READ_ERRORS},
    ),
)
class ImplementationViewSet(ETagRetrieveMixin, ScopedViewSet, ListModelMixin):
    """One action carried out by one mission or HQ department."""

    serializer_class = serializers.ImplementationSerializer
    filterset_class = filters.ImplementationFilter
    ordering_fields = ["id", "due_date", "progress", "last_accepted_at"]
    ordering = ["id"]

    def scoped_queryset(self) -> QuerySet[Implementation]:
        return Implementation.objects.in_tree().select_related(
            "action", "organisation", "public_update"
        )

    @extend_schema(
        summary="Report progress: save a draft or submit an update",
        description=(
            "The implementation's mission focal points only. Needs `If-Match` with the "
            "implementation's ETag; submitting raises the implementation's version by one."
        ),
        parameters=[IF_MATCH],
        request=serializers.StatusUpdateInputSerializer,
        responses={201: serializers.StatusUpdateSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Submit",
                request_only=True,
                value={
                    "status": "at_risk",
                    "progress": 40,
                    "narrative": "Procurement is delayed by two months.",
                    "sensitivity": "unclassified",
                    "submit": True,
                },
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="updates",
        pagination_class=None,
        filter_backends=[],
    )
    def report(self, request: Request, pk: str | None = None) -> Response:
        implementation = self.get_object()
        version = expected_version(request, implementation)
        serializer = serializers.StatusUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        submit = data.pop("submit")
        update = workflow.status_update_save(
            implementation=implementation,
            actor=request.user,
            content=workflow.UpdateContent(**data),
            submit=submit,
            expected_version=version,
        )
        response = Response(
            serializers.StatusUpdateSerializer(
                update, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )
        response["Location"] = f"/api/v1/status-updates/{update.pk}/"
        return with_etag(response, update)


# The API's review actions: the decision each takes, what it does, its input.
REVIEW_ACTIONS = {
    "approve": (
        workflow.ReviewDecision.APPROVE,
        "The mission approver confirms a submitted update",
        serializers.ReviewInputSerializer,
    ),
    "return_update": (
        workflow.ReviewDecision.RETURN,
        "Send an update back to its author with a comment",
        serializers.ReturnInputSerializer,
    ),
    "accept": (
        workflow.ReviewDecision.ACCEPT,
        "HQ accepts an approved update; it becomes the current status",
        serializers.ReviewInputSerializer,
    ),
    "clear": (
        workflow.ReviewDecision.CLEAR,
        "Clear an accepted, unclassified update for public release",
        None,
    ),
}


def _review_schema(step: str):
    _decision, summary, input_serializer = REVIEW_ACTIONS[step]
    return extend_schema(
        summary=summary,
        description="Needs `If-Match` with the update's ETag; the version rises by one.",
        parameters=[IF_MATCH],
        request=input_serializer,
        responses={200: serializers.StatusUpdateSerializer, **WRITE_ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        summary="List status updates (cursor pagination)",
        description=(
            "Signed-in readers see what their missions and clearance allow, and their own "
            "drafts. Anonymous readers see accepted, unclassified updates cleared for "
            "public release, without author."
        ),
        responses={200: serializers.StatusUpdateSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one status update (with its ETag)",
        responses={200: serializers.StatusUpdateSerializer, **READ_ERRORS},
    ),
)
class StatusUpdateViewSet(ETagRetrieveMixin, ScopedViewSet, ListModelMixin):
    action_permissions = {"evidence": [permissions.IsAuthenticated]}
    """Progress reports; append-only: a correction is a new update."""

    serializer_class = serializers.StatusUpdateSerializer
    pagination_class = CursorPagination
    filterset_class = filters.StatusUpdateFilter
    ordering_fields = ["created_at", "submitted_at", "accepted_at"]
    ordering = ["-created_at", "-id"]

    def scoped_queryset(self) -> QuerySet[StatusUpdate]:
        return StatusUpdate.objects.select_related("author", "implementation")

    def _review(self, request: Request, step: str) -> Response:
        decision, _summary, input_serializer = REVIEW_ACTIONS[step]
        update = self.get_object()
        version = expected_version(request, update)
        comment = ""
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = serializer.validated_data["comment"]
        changed = workflow.status_update_review(
            update=update,
            actor=request.user,
            decision=decision,
            expected_version=version,
            comment=comment,
        )
        return with_etag(Response(self.get_serializer(changed).data), changed)

    @_review_schema("approve")
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
    )
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, "approve")

    @_review_schema("return_update")
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        filter_backends=[],
        pagination_class=None,
    )
    def return_update(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, "return_update")

    @_review_schema("accept")
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
    )
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, "accept")

    @_review_schema("clear")
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
    )
    def clear(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, "clear")

    @extend_schema(
        summary="Download the update's evidence file",
        description=(
            "The file as an attachment under its original name, for readers of the "
            "update's mission (its author for a draft; HQ within their clearance). "
            "404 for everyone else, and for an update without a file."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            429: THROTTLED,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
    )
    def evidence(self, request: Request, pk: str | None = None) -> FileResponse:
        update = evidence_update(user=request.user, pk=int(pk))
        if update is None:
            raise Http404
        return evidence_response(update)


# -- import jobs ------------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        summary="Follow an import job",
        description=(
            "A strategy import started through the API: `queued`, `running` (with its "
            "`progress`), then `succeeded` (with the `result`) or `failed` (with every "
            "problem and its path in `errors`). Visible to whoever started it and to "
            "strategy managers."
        ),
        responses={200: serializers.ImportJobSerializer, **READ_ERRORS},
    ),
)
class ImportJobViewSet(ScopedViewSet, RetrieveModelMixin):
    serializer_class = serializers.ImportJobSerializer
    permission_map = {"GET": [permissions.IsAuthenticated]}

    def scoped_queryset(self) -> QuerySet[ImportJob]:
        return ImportJob.objects.all()


# -- progress snapshots -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Progress over time per node and organisation",
        description=(
            "The rollup's snapshots: each row holds a node's figures from `date` until "
            "the day before `valid_until` (null: they still hold); a new row starts "
            "only when the figures change. Anonymous readers and mission staff get the "
            "public figures, and mission staff also the internal figures of their own "
            "missions; HQ readers get everything. Filter by `node_type` and `node_id` "
            "for one node's time series, by `as_of` for the figures of one day, or by "
            "`current` for the latest."
        ),
        responses={
            200: serializers.ProgressSnapshotSerializer(many=True),
            **LIST_ERRORS,
        },
    ),
)
class ProgressSnapshotViewSet(ScopedViewSet, ListModelMixin):
    serializer_class = serializers.ProgressSnapshotSerializer
    filterset_class = filters.ProgressSnapshotFilter
    ordering_fields = ["date", "node_type", "node_id"]
    ordering = ["date", "node_type", "node_id", "id"]

    def scoped_queryset(self) -> QuerySet[ProgressSnapshot]:
        return ProgressSnapshot.objects.select_related("strategy", "organisation")


# -- reporting rounds -------------------------------------------------------------------


# Rounds carry no version: one open round per strategy is their concurrency rule.
ROUND_WRITE_ERRORS = {
    code: response for code, response in WRITE_ERRORS.items() if code not in (412, 428)
}


@extend_schema_view(
    list=extend_schema(
        summary="List reporting rounds",
        description=(
            "The rounds of the strategies the reader may see, newest period first. A "
            "round's name and dates are as public as its strategy."
        ),
        responses={200: serializers.ReportingRoundSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Read one reporting round",
        responses={200: serializers.ReportingRoundSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Open a reporting round",
        description=(
            "Strategy managers only. Refused (409) while the strategy has an open "
            "round; every update submitted while it is open is reported for it."
        ),
        request=serializers.RoundOpenSerializer,
        responses={201: serializers.ReportingRoundSerializer, **ROUND_WRITE_ERRORS},
    ),
)
class ReportingRoundViewSet(ScopedViewSet, ListModelMixin, RetrieveModelMixin):
    """Reporting rounds: open, close and reopen (strategy managers), and what each
    round holds: its completeness, its frozen figures and its changes."""

    serializer_class = serializers.ReportingRoundSerializer
    filterset_class = filters.ReportingRoundFilter
    ordering_fields = ["period_start", "deadline"]
    ordering = ["-period_start", "id"]

    def scoped_queryset(self) -> QuerySet[ReportingRound]:
        return ReportingRound.objects.select_related("strategy", "closed_by")

    def create(self, request: Request) -> Response:
        given = serializers.RoundOpenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        opened = round_services.round_open(actor=request.user, **given.validated_data)
        return Response(
            self.get_serializer(opened).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Close a round and freeze its figures",
        request=None,
        responses={200: serializers.ReportingRoundSerializer, **ROUND_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def close(self, request: Request, pk: str | None = None) -> Response:
        reporting_round = self.get_object()
        round_services.round_close(reporting_round=reporting_round, actor=request.user)
        return Response(self.get_serializer(reporting_round).data)

    @extend_schema(
        summary="Reopen a closed round, with a reason",
        description="The reason is kept in the round's history; its frozen figures "
        "are dropped and frozen again when it closes.",
        request=serializers.RoundReopenSerializer,
        responses={200: serializers.ReportingRoundSerializer, **ROUND_WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        reporting_round = self.get_object()
        given = serializers.RoundReopenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        reopened = round_services.round_reopen(
            reporting_round=reporting_round,
            actor=request.user,
            reason=given.validated_data["reason"],
        )
        return Response(self.get_serializer(reopened).data)

    @extend_schema(
        summary="Completeness of a round per mission and per goal",
        description=(
            "Implementations expected to report, and how far their reports got: "
            "submitted, approved, accepted, cleared; returned and not resubmitted; "
            "missing. Mission staff see their own missions; anonymous readers nothing. "
            "`mission` narrows to one mission by its code."
        ),
        responses={200: serializers.CompletenessSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def completeness(self, request: Request, pk: str | None = None) -> Response:
        reporting_round = self.get_object()
        mission = request.query_params.get("mission")
        mission_id = None
        if mission:
            # An unknown code narrows to nothing rather than widening to every mission.
            mission_id = (
                Organisation.objects.filter(code=mission)
                .values_list("pk", flat=True)
                .first()
                or -1
            )
        completeness = round_completeness(
            reporting_round, request.user, mission=mission_id
        )
        return Response(serializers.CompletenessSerializer(completeness).data)

    @extend_schema(
        summary="What changed: a round against the closed round before it",
        description=(
            "For a closed round, its frozen figures against those of the closed round "
            "before it; for an open round, the latest figures against the last closed "
            "round. Per goal and mission, progress before and after; per "
            "implementation, the biggest rises and falls, the newly at risk or off "
            "track and the newly completed."
        ),
        responses={200: serializers.RoundChangesSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def changes(self, request: Request, pk: str | None = None) -> Response:
        reporting_round = self.get_object()
        changes = round_changes(
            strategy=reporting_round.strategy,
            user=request.user,
            reporting_round=reporting_round,
        )
        return Response(serializers.RoundChangesSerializer(changes).data)


@extend_schema_view(
    list=extend_schema(
        summary="Closed rounds' frozen figures per node and organisation",
        description=(
            "One row per round, node and organisation (null: all missions), for each "
            "audience, as the round stood when it closed; an open round has none. "
            "Filter by `round` for one round. Scoped as the progress snapshots are: "
            "public figures for everybody, internal figures of their own missions for "
            "mission staff, everything for HQ readers."
        ),
        responses={200: serializers.RoundFigureSerializer(many=True), **LIST_ERRORS},
    ),
)
class RoundFigureViewSet(ScopedViewSet, ListModelMixin):
    serializer_class = serializers.RoundFigureSerializer
    filterset_class = filters.RoundFigureFilter
    ordering_fields = ["node_type", "node_id"]
    ordering = ["round", "node_type", "node_id", "id"]

    def scoped_queryset(self) -> QuerySet[RoundFigure]:
        return RoundFigure.objects.select_related("round", "organisation")


# -- API tokens -------------------------------------------------------------------------


class MyTokenView(APIView):
    """The signed-in person's API token: create (or replace), check, revoke."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Whether you have an API token",
        responses={
            200: serializers.TokenStateSerializer,
            401: READ_ERRORS[401],
            429: READ_ERRORS[429],
        },
    )
    def get(self, request: Request) -> Response:
        token = Token.objects.filter(user=request.user).first()
        return Response(
            {
                "exists": token is not None,
                "created": token.created if token else None,
                "expires": token_expires(token.created) if token else None,
            }
        )

    @extend_schema(
        summary="Create your API token, replacing any earlier one",
        request=None,
        responses={
            201: serializers.TokenSerializer,
            401: READ_ERRORS[401],
            429: READ_ERRORS[429],
        },
    )
    def post(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response(
            {
                "token": token.key,
                "created": token.created,
                "expires": token_expires(token.created),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Revoke your API token",
        responses={
            204: OpenApiResponse(description="Revoked (or there was none)."),
            401: READ_ERRORS[401],
            429: READ_ERRORS[429],
        },
    )
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
