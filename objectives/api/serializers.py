"""Representations only: no write logic lives here (the services hold it)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from strategy_tracker.api.translated import TranslatedTextField, translated_texts

from ..choices import Confidence, ImplementationStatus, NodeType, Sensitivity
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
from ..services.import_jobs import import_job_progress


class StrategySerializer(serializers.ModelSerializer):
    title = TranslatedTextField("title")
    purpose = TranslatedTextField("purpose")
    principles = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    stakeholder_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Strategy
        fields = [
            "id",
            "code",
            "title",
            "purpose",
            "status",
            "objective_term",
            "initiated",
            "published",
            "launched",
            "round_months",
            "principles",
            "stakeholder_groups",
        ]


class ObjectiveSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = TranslatedTextField("title")
    description = TranslatedTextField("description")

    class Meta:
        model = Objective
        fields = ["id", "strategy", "code", "order", "title", "description"]


class OutcomeSerializer(serializers.ModelSerializer):
    title = TranslatedTextField("title")
    description = TranslatedTextField("description")

    class Meta:
        model = Outcome
        fields = [
            "id",
            "objective",
            "code",
            "order",
            "title",
            "description",
            "is_illustrative",
        ]


class ActionSerializer(serializers.ModelSerializer):
    title = TranslatedTextField("title")
    description = TranslatedTextField("description")
    lead_organisation = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    principles = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    stakeholder_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Action
        fields = [
            "id",
            "outcome",
            "code",
            "order",
            "title",
            "description",
            "lead_organisation",
            "start_date",
            "due_date",
            "weight",
            "principles",
            "stakeholder_groups",
            "is_illustrative",
        ]


def absolute_address(context: dict, address: str) -> str:
    """`address` with the request's scheme and host, when there is a request."""
    request = context.get("request")
    return request.build_absolute_uri(address) if request else address


def reads_internally(context: dict, organisation_id: int) -> bool:
    """Whether the reader may see this organisation's internal figures and authors
    (`internal_missions` in the context: None for all, else a set of ids)."""
    internal = context.get("internal_missions", frozenset())
    return internal is None or organisation_id in internal


class ImplementationSerializer(serializers.ModelSerializer):
    """Readers of the implementation's mission (and HQ) get the latest accepted figures;
    everybody else the latest figures cleared for public release (status, progress and
    its date), nothing else."""

    action_code = serializers.CharField(source="action.code", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.ChoiceField(
        choices=ImplementationStatus.choices, read_only=True
    )
    progress = serializers.IntegerField(read_only=True, min_value=0, max_value=100)
    last_accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    current_update = serializers.IntegerField(
        source="current_update_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Implementation
        fields = [
            "id",
            "action",
            "action_code",
            "organisation",
            "start_date",
            "due_date",
            "status",
            "progress",
            "last_accepted_at",
            "current_update",
            "version",
        ]

    def to_representation(self, instance: Implementation) -> dict:
        data = super().to_representation(instance)
        if not reads_internally(self.context, instance.organisation_id):
            public = instance.public_update
            data["status"] = (
                public.status if public else ImplementationStatus.NOT_STARTED
            )
            data["progress"] = public.progress if public else 0
            data["last_accepted_at"] = (
                serializers.DateTimeField().to_representation(public.accepted_at)
                if public and public.accepted_at
                else None
            )
            data["current_update"] = public.pk if public else None
        return data


class StatusUpdateSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The reporting round it was submitted in (null: outside any round).",
    )
    evidence_url = serializers.CharField(
        read_only=True, help_text="A link to the evidence, or empty."
    )
    author = serializers.SerializerMethodField()
    evidence_file = serializers.SerializerMethodField()
    evidence_download = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "implementation",
            "status",
            "progress",
            "narrative",
            "narrative_language",
            "evidence_url",
            "evidence_file",
            "evidence_download",
            "confidence",
            "sensitivity",
            "author",
            "review_state",
            "round",
            "answers",
            "submitted_at",
            "accepted_at",
            "cleared_for_public",
            "cleared_at",
            "is_current",
            "version",
        ]
        read_only_fields = fields

    def get_is_current(self, update: StatusUpdate) -> bool:
        """Whether the implementation's figures read this update: its latest accepted
        report by the time it was reported (the latest cleared one for public readers).
        An older report accepted later is recorded but not current."""
        implementation = update.implementation
        if reads_internally(self.context, implementation.organisation_id):
            return implementation.current_update_id == update.pk
        return implementation.public_update_id == update.pk

    def get_author(self, update: StatusUpdate) -> str | None:
        """The author's user name, for readers of the update's mission (and HQ) only."""
        request = self.context.get("request")
        own = request is not None and request.user.pk == update.author_id
        if own or reads_internally(self.context, update.implementation.organisation_id):
            return update.author.get_username()
        return None

    def _evidence_readable(self, update: StatusUpdate) -> bool:
        request = self.context.get("request")
        own = request is not None and request.user.pk == update.author_id
        return bool(update.evidence_file) and (
            own or reads_internally(self.context, update.implementation.organisation_id)
        )

    def get_evidence_file(self, update: StatusUpdate) -> str | None:
        """The evidence file's original name, for readers who may download it."""
        if not self._evidence_readable(update):
            return None
        return update.evidence_name or "evidence"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_download(self, update: StatusUpdate) -> str | None:
        """Where readers who may download the evidence file get it (null otherwise)."""
        if not self._evidence_readable(update):
            return None
        return absolute_address(
            self.context, reverse("api:status-update-evidence", args=[update.pk])
        )


class StatusUpdateInputSerializer(serializers.Serializer):
    """What a focal point reports; the reporting rules are checked by the service."""

    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=20000
    )
    narrative_language = serializers.ChoiceField(
        choices=[("", "-"), ("en", "en"), ("fr", "fr"), ("ar", "ar")],
        required=False,
        default="",
    )
    evidence_url = serializers.URLField(
        allow_blank=True, required=False, default="", max_length=500
    )
    confidence = serializers.ChoiceField(
        choices=Confidence.choices, default=Confidence.MEDIUM
    )
    sensitivity = serializers.ChoiceField(
        choices=Sensitivity.choices, default=Sensitivity.UNCLASSIFIED
    )
    submit = serializers.BooleanField(
        default=True,
        help_text=str(_("Submit for approval (true) or keep as your draft (false).")),
    )


class ReviewInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=5000
    )


class ReturnInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=5000, help_text=str(_("What needs to change; required."))
    )


# The stored figures of a node (`models.snapshots.FigureColumns`).
FIGURE_COLUMNS = [
    "progress",
    "weight_total",
    "implementation_count",
    "not_started_count",
    "on_track_count",
    "at_risk_count",
    "off_track_count",
    "completed_count",
    "cancelled_count",
    "not_applicable_count",
    "past_due_count",
]


class ProgressSnapshotSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The mission's code, or null for the figures of all missions.",
    )

    class Meta:
        model = ProgressSnapshot
        fields = [
            "date",
            "valid_until",
            "audience",
            "strategy",
            "node_type",
            "node_id",
            "organisation",
            *FIGURE_COLUMNS,
        ]


# -- the strategy tree with its rolled-up progress --------------------------------------


class NodeProgressSerializer(serializers.Serializer):
    progress = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    implementation_count = serializers.IntegerField()
    past_due_count = serializers.IntegerField()
    since = serializers.DateField(
        allow_null=True,
        help_text="The day of the rollup that first gave these figures; they have held since.",
    )


class TreeActionSerializer(ActionSerializer):
    rollup = serializers.SerializerMethodField()

    class Meta(ActionSerializer.Meta):
        fields = [*ActionSerializer.Meta.fields, "rollup"]

    def get_rollup(self, action: Action) -> NodeProgressSerializer:
        return _rollup(self.context, NodeType.ACTION, action.pk)


class TreeOutcomeSerializer(OutcomeSerializer):
    actions = TreeActionSerializer(many=True, read_only=True, source="current_actions")
    rollup = serializers.SerializerMethodField()

    class Meta(OutcomeSerializer.Meta):
        fields = [*OutcomeSerializer.Meta.fields, "rollup", "actions"]

    def get_rollup(self, outcome: Outcome) -> NodeProgressSerializer:
        return _rollup(self.context, NodeType.OUTCOME, outcome.pk)


class TreeObjectiveSerializer(ObjectiveSerializer):
    outcomes = TreeOutcomeSerializer(
        many=True, read_only=True, source="current_outcomes"
    )
    rollup = serializers.SerializerMethodField()

    class Meta(ObjectiveSerializer.Meta):
        fields = [*ObjectiveSerializer.Meta.fields, "rollup", "outcomes"]

    def get_rollup(self, objective: Objective) -> NodeProgressSerializer:
        return _rollup(self.context, NodeType.OBJECTIVE, objective.pk)


class StrategyTreeSerializer(StrategySerializer):
    audience = serializers.SerializerMethodField()
    goals = TreeObjectiveSerializer(
        many=True, read_only=True, source="current_objectives"
    )
    rollup = serializers.SerializerMethodField()

    class Meta(StrategySerializer.Meta):
        fields = [*StrategySerializer.Meta.fields, "audience", "rollup", "goals"]

    def get_audience(self, strategy: Strategy) -> str:
        """Whose figures these are: `public` (cleared updates only) or `internal`."""
        return self.context["audience"]

    def get_rollup(self, strategy: Strategy) -> NodeProgressSerializer:
        return _rollup(self.context, NodeType.STRATEGY, strategy.pk)


NO_ROLLUP = {
    "progress": None,
    "implementation_count": 0,
    "past_due_count": 0,
    "since": None,
}


def _rollup(context: dict, node_type: str, node_id: int) -> dict:
    return context["snapshots"].get((node_type, node_id), NO_ROLLUP)


class ImportInputSerializer(serializers.Serializer):
    format_version = serializers.IntegerField(required=False, default=1)
    strategy = serializers.DictField(
        help_text=str(
            _(
                "The strategy tree in the import format (the YAML file's content as JSON)."
            )
        )
    )


class ImportProblemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    changed = serializers.BooleanField()
    summary = serializers.ListField(child=serializers.CharField())


class ImportJobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    strategy = serializers.CharField(source="strategy_code", read_only=True)
    progress = serializers.SerializerMethodField()
    result = ImportResultSerializer(allow_null=True, read_only=True)
    errors = ImportProblemSerializer(many=True, read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "state",
            "strategy",
            "progress",
            "result",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        return absolute_address(
            self.context, reverse("api:import-job-detail", args=[job.pk])
        )

    def get_progress(self, job: ImportJob) -> str:
        """What the import is doing now, or how it ended."""
        return import_job_progress(job)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send as `Authorization: Token <token>`; shown once."
    )
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField(help_text="When the token stops working.")


class TokenStateSerializer(serializers.Serializer):
    exists = serializers.BooleanField()
    created = serializers.DateTimeField(allow_null=True)
    expires = serializers.DateTimeField(allow_null=True)


# -- the tree, built without per-object serializer overhead ------------------------------
# A strategy can hold thousands of actions; building the tree with nested serializers
# costs seconds. `strategy_tree_document` gives exactly what StrategyTreeSerializer gives
# (a test compares the two), in plain dictionaries.


def _iso(value: object) -> str | None:
    return value.isoformat() if value is not None else None


_WEIGHT = serializers.DecimalField(
    max_digits=Action._meta.get_field("weight").max_digits,
    decimal_places=Action._meta.get_field("weight").decimal_places,
)


def strategy_tree_document(strategy: Strategy, context: dict) -> dict:
    """The tree; `context` holds the audience, the snapshots and `tree_codes`."""
    principles = context["principles_by_action"]
    groups = context["groups_by_action"]
    actions_by_outcome = context["actions_by_outcome"]

    def action_document(row: dict) -> dict:
        return {
            "id": row["id"],
            "outcome": row["outcome_id"],
            "code": row["code"],
            "order": row["order"],
            "title": translated_texts(row, "title"),
            "description": translated_texts(row, "description"),
            "lead_organisation": row["lead_organisation__code"],
            "start_date": _iso(row["start_date"]),
            "due_date": _iso(row["due_date"]),
            "weight": _WEIGHT.to_representation(row["weight"]),
            "principles": principles.get(row["id"], []),
            "stakeholder_groups": groups.get(row["id"], []),
            "is_illustrative": row["is_illustrative"],
            "rollup": _rollup(context, NodeType.ACTION, row["id"]),
        }

    def outcome_document(outcome: Outcome) -> dict:
        return {
            "id": outcome.pk,
            "objective": outcome.objective_id,
            "code": outcome.code,
            "order": outcome.order,
            "title": translated_texts(outcome, "title"),
            "description": translated_texts(outcome, "description"),
            "is_illustrative": outcome.is_illustrative,
            "rollup": _rollup(context, NodeType.OUTCOME, outcome.pk),
            "actions": [
                action_document(row) for row in actions_by_outcome.get(outcome.pk, [])
            ],
        }

    def goal_document(objective: Objective) -> dict:
        return {
            "id": objective.pk,
            "strategy": strategy.code,
            "code": objective.code,
            "order": objective.order,
            "title": translated_texts(objective, "title"),
            "description": translated_texts(objective, "description"),
            "rollup": _rollup(context, NodeType.OBJECTIVE, objective.pk),
            "outcomes": [outcome_document(o) for o in objective.current_outcomes],
        }

    return {
        **StrategySerializer(strategy, context=context).data,
        "audience": context["audience"],
        "rollup": _rollup(context, NodeType.STRATEGY, strategy.pk),
        "goals": [goal_document(g) for g in strategy.current_objectives],
    }


# -- reporting rounds -------------------------------------------------------------------


class ReportingRoundSerializer(serializers.ModelSerializer):
    strategy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    closed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ReportingRound
        fields = [
            "id",
            "strategy",
            "name",
            "period_start",
            "period_end",
            "opens_on",
            "deadline",
            "expects_unstarted_work",
            "is_open",
            "closed_at",
            "closed_by",
        ]
        read_only_fields = fields


class RoundOpenSerializer(serializers.Serializer):
    """What a strategy manager gives to open a round."""

    strategy = serializers.SlugRelatedField(
        slug_field="code", queryset=Strategy.objects.all()
    )
    name = serializers.CharField(max_length=40, help_text="For example 2026-Q4.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    opens_on = serializers.DateField()
    deadline = serializers.DateField()
    expects_unstarted_work = serializers.BooleanField(default=False)


class RoundReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text="Why the round is reopened; kept in its history."
    )


class RoundFigureSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The mission's code, or null for the figures of all missions.",
    )

    class Meta:
        model = RoundFigure
        fields = [
            "round",
            "audience",
            "node_type",
            "node_id",
            "organisation",
            *FIGURE_COLUMNS,
        ]
        read_only_fields = fields


class CompletenessRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code", allow_null=True)
    expected = serializers.IntegerField(
        help_text="Implementations the round expects a report from."
    )
    submitted = serializers.IntegerField(
        help_text="With a report submitted (or further)."
    )
    approved = serializers.IntegerField(
        help_text="With a report approved by the mission."
    )
    accepted = serializers.IntegerField(help_text="With a report accepted by HQ.")
    cleared = serializers.IntegerField(
        help_text="With a report cleared for the public."
    )
    returned = serializers.IntegerField(
        help_text="With a report returned for revision and not resubmitted."
    )
    missing = serializers.IntegerField(help_text="With no report submitted.")


class CompletenessSerializer(serializers.Serializer):
    round = ReportingRoundSerializer(source="reporting_round")
    deadline_passed = serializers.BooleanField(
        help_text="After the deadline, `missing` reports are late (report missing)."
    )
    total = CompletenessRowSerializer()
    by_mission = CompletenessRowSerializer(many=True)
    by_goal = CompletenessRowSerializer(many=True)


class NodeChangeSerializer(serializers.Serializer):
    node_type = serializers.SerializerMethodField()
    code = serializers.CharField(source="node.code")
    organisation = serializers.CharField(
        source="organisation.code", allow_null=True, default=None
    )
    before = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    after = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    change = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)

    def get_node_type(self, change) -> str:
        return (
            NodeType.STRATEGY
            if isinstance(change.node, Strategy)
            else NodeType.OBJECTIVE
        )


class ImplementationChangeSerializer(serializers.Serializer):
    implementation = serializers.IntegerField(source="implementation.pk")
    action = serializers.CharField(source="implementation.action.code")
    organisation = serializers.CharField(source="implementation.organisation.code")
    before_progress = serializers.IntegerField(allow_null=True)
    after_progress = serializers.IntegerField()
    before_status = serializers.ChoiceField(
        choices=ImplementationStatus.choices, allow_null=True
    )
    after_status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    change = serializers.IntegerField(allow_null=True)


class RoundChangesSerializer(serializers.Serializer):
    round = ReportingRoundSerializer(source="reporting_round", allow_null=True)
    baseline = ReportingRoundSerializer(
        allow_null=True, help_text="The closed round compared against (null: none yet)."
    )
    nodes = NodeChangeSerializer(
        many=True, help_text="The strategy and each goal, for all missions."
    )
    missions = NodeChangeSerializer(
        many=True, help_text="The strategy in each mission the reader may see."
    )
    rises = ImplementationChangeSerializer(many=True)
    falls = ImplementationChangeSerializer(many=True)
    newly_at_risk = ImplementationChangeSerializer(many=True)
    newly_completed = ImplementationChangeSerializer(many=True)
