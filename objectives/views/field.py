"""The field pages: My actions and the implementation page with its update form and review."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from stakeholders.models import Organisation, OrganisationKind
from stakeholders.permissions import APPROVE_PROGRESS, REPORT_PROGRESS, roles_held
from strategy_tracker.exceptions import ConflictError, InvalidTransition, NotAllowed

from ..choices import ReviewState
from ..forms import (
    BulkReviewForm,
    MyActionsFilterForm,
    ReviewFilterForm,
    ReviewForm,
    StatusUpdateForm,
)
from ..models import Implementation, ReportingRound
from ..permissions import (
    ACCEPT_UPDATE,
    CLEAR_UPDATE,
    missions_approved_by,
    missions_of,
    reads_all_missions,
)
from ..selectors.field import (
    ImplementationFilters,
    ReviewFilters,
    ReviewStage,
    evidence_update,
    implementation_detail,
    my_implementations,
    open_return,
    return_comment,
    returned_to,
    review_stage,
    review_stage_counts,
    review_update,
)
from ..selectors.rounds import open_rounds, round_completeness
from ..services import workflow

PAGE_SIZE = 25


class StartView(LoginRequiredMixin, View):
    """Where signing in leads: HQ leadership (who read every mission and review nothing)
    to the dashboard, everyone else to My actions."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not roles_held(user) and not user.is_staff:
            # Signed in (often for the first time, through the organisation) but
            # given no role yet: say so, and whom to ask.
            return HttpResponseRedirect(reverse("no-role"))
        if reads_all_missions(user) and not user.has_perm(ACCEPT_UPDATE):
            return HttpResponseRedirect(reverse("objectives:dashboard"))
        return HttpResponseRedirect(reverse("objectives:my-actions"))


class MyActionsView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = MyActionsFilterForm(request.GET or None)
        filters = ImplementationFilters()
        if form.is_valid():
            data = form.cleaned_data
            filters = ImplementationFilters(
                goal=data["goal"].pk if data["goal"] else None,
                outcome=data["outcome"].pk if data["outcome"] else None,
                status=data["status"],
                principle=data["principle"].pk if data["principle"] else None,
                search=data["q"],
            )
        page = Paginator(
            my_implementations(user=request.user, filters=filters), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        counts = review_stage_counts(user=request.user, filters=ReviewFilters())
        returned = list(returned_to(user=request.user)[:PAGE_SIZE])
        # How far the person's missions are with the open round (HQ: the rounds page).
        round_progress = [
            (reporting_round, round_completeness(reporting_round, request.user).total)
            for reporting_round in open_rounds(request.user)
            if not reads_all_missions(request.user)
        ]
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "objectives/my_actions.html",
            {
                "filter_form": form,
                "page": page,
                "query": query.urlencode(),
                "returned": returned,
                # An approver's missions have a summary page (HQ: the dashboard).
                "summarised_missions": []
                if reads_all_missions(request.user)
                else list(missions_approved_by(request.user).order_by("code")),
                "round_progress": [
                    (reporting_round, total)
                    for reporting_round, total in round_progress
                    if total.expected
                ],
                # What waits for the person's review, by stage (the review page lists it).
                "stages": [
                    (value, ReviewStage(value).label, count)
                    for value, count in counts.items()
                    if value != ReviewStage.RETURNED and count
                ],
                "queue_count": sum(
                    count
                    for value, count in counts.items()
                    if value != ReviewStage.RETURNED
                ),
            },
        )


def _detail_or_404(request: HttpRequest, pk: int) -> Implementation:
    try:
        return implementation_detail(user=request.user, pk=pk)
    except Implementation.DoesNotExist as error:
        raise Http404(_("No such action in your missions.")) from error


def _render_detail(
    request: HttpRequest,
    implementation: Implementation,
    form: StatusUpdateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    held = workflow.mission_permissions(request.user, implementation)
    can_report = REPORT_PROGRESS in held
    draft = next(
        (
            u
            for u in implementation.timeline
            if u.author_id == request.user.pk and u.review_state == ReviewState.DRAFT
        ),
        None,
    )
    # A returned report waiting for its revision: the form starts from it.
    returned = open_return(implementation.timeline) if can_report else None
    if draft is not None and draft.answers_id is not None:
        returned = next(
            (u for u in implementation.timeline if u.pk == draft.answers_id), returned
        )
    if form is None and can_report:
        source = draft or returned or implementation.current_update
        initial = {"implementation_version": implementation.version}
        if source is not None:
            revising = source is draft or source is returned
            initial.update(
                status=source.status,
                progress=source.progress,
                narrative=source.narrative if revising else "",
                evidence_url=source.evidence_url if revising else "",
                confidence=source.confidence,
                sensitivity=source.sensitivity,
            )
        if returned is not None:
            initial["answers"] = returned.pk
        form = StatusUpdateForm(initial=initial)
    return render(
        request,
        "objectives/implementation_detail.html",
        {
            "implementation": implementation,
            "action": implementation.action,
            "form": form if can_report else None,
            "draft": draft,
            "returned": returned,
            "return_comment": return_comment(returned) if returned else "",
            "kept_evidence": (draft or returned)
            if (draft or returned) and (draft or returned).evidence_file
            else None,
            "can_approve": APPROVE_PROGRESS in held,
            "can_accept": request.user.has_perm(ACCEPT_UPDATE),
            "can_clear": request.user.has_perm(CLEAR_UPDATE),
        },
        status=status,
    )


class ImplementationDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _render_detail(request, _detail_or_404(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        implementation = _detail_or_404(request, pk)
        if not workflow.can_report(request.user, implementation):
            raise PermissionDenied(_("You do not report progress for this mission."))
        form = StatusUpdateForm(request.POST, request.FILES)
        if not form.is_valid():
            return _render_detail(request, implementation, form, status=400)
        submit = "submit" in request.POST
        answers = next(
            (
                u
                for u in implementation.timeline
                if u.pk == form.cleaned_data.get("answers")
            ),
            None,
        )
        try:
            workflow.status_update_save(
                implementation=implementation,
                actor=request.user,
                content=form.content(language=get_language() or ""),
                submit=submit,
                expected_version=form.cleaned_data["implementation_version"],
                answers=answers,
            )
        except ConflictError as error:
            messages.error(request, error.message)
            fresh = _detail_or_404(request, pk)
            data = request.POST.copy()
            data["implementation_version"] = str(fresh.version)
            return _render_detail(request, fresh, StatusUpdateForm(data), status=409)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
            return _render_detail(request, implementation, form, status=400)
        messages.success(
            request,
            _("Your update was submitted for approval.")
            if submit
            else _("Your draft was saved."),
        )
        return HttpResponseRedirect(
            reverse("objectives:implementation-detail", args=[pk])
        )


def evidence_response(update) -> FileResponse:
    """The evidence file as an attachment with its original name, never rendered by the
    browser, never kept by a shared cache."""
    response = FileResponse(
        update.evidence_file.open("rb"),
        as_attachment=True,
        filename=update.evidence_name or "evidence",
        content_type=update.evidence_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        update = evidence_update(user=request.user, pk=pk)
        if update is None:
            raise Http404(_("No such evidence file in your missions."))
        return evidence_response(update)


class ReviewQueueView(LoginRequiredMixin, View):
    """The review work by stage (to approve, to accept, to clear, returned), each with its
    count, filtered by mission, goal and sensitivity, a page at a time; several updates
    approved, accepted or cleared at once, each on its own. No JavaScript needed."""

    def _missions(self, request: HttpRequest):
        if reads_all_missions(request.user):
            return Organisation.objects.filter(kind=OrganisationKind.MISSION)
        return missions_of(request.user)

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ReviewFilterForm(
            request.GET or None,
            missions=self._missions(request),
            rounds=ReportingRound.objects.visible_to(request.user).select_related(
                "strategy"
            ),
        )
        filters = ReviewFilters()
        if form.is_valid():
            data = form.cleaned_data
            filters = ReviewFilters(
                mission=data["mission"].pk if data["mission"] else None,
                goal=data["goal"].pk if data["goal"] else None,
                round=data["round"].pk if data["round"] else None,
                sensitivity=data["sensitivity"],
            )
        counts = review_stage_counts(user=request.user, filters=filters)
        stage = request.GET.get("stage")
        if stage not in counts:
            stage = next((s for s, n in counts.items() if n), next(iter(counts)))
        page = Paginator(
            review_stage(user=request.user, stage=stage, filters=filters), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("stage", None)
        return render(
            request,
            "objectives/review_queue.html",
            {
                "filter_form": form,
                "stages": [
                    (value, ReviewStage(value).label, count)
                    for value, count in counts.items()
                ],
                "stage": stage,
                "decision": BULK_DECISIONS.get(stage),
                "page": page,
                "query": query.urlencode(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        back = request.get_full_path()
        form = BulkReviewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(back)
        decision = form.cleaned_data["decision"]
        done, refused = 0, []
        for pk, version in form.cleaned_data["items"]:
            update = review_update(user=request.user, pk=pk)
            if update is None:
                refused.append(_("Update %(id)s: not in your missions.") % {"id": pk})
                continue
            try:
                workflow.status_update_review(
                    update=update,
                    actor=request.user,
                    decision=decision,
                    expected_version=version,
                )
            except (NotAllowed, ConflictError, InvalidTransition) as error:
                refused.append(_label(update) + ": " + error.message)
            except ValidationError as error:
                refused.append(_label(update) + ": " + " ".join(error.messages))
            else:
                done += 1
        if done:
            messages.success(
                request,
                {
                    "approve": _("%(count)s update(s) approved and passed to HQ."),
                    "accept": _("%(count)s update(s) accepted."),
                    "clear": _("%(count)s update(s) cleared for public release."),
                }[decision]
                % {"count": done},
            )
        for reason in refused:
            messages.error(request, reason)
        return HttpResponseRedirect(back)


# What the review page offers at each stage for the selected updates.
BULK_DECISIONS = {
    ReviewStage.TO_APPROVE: ("approve", _("Approve selected")),
    ReviewStage.TO_ACCEPT: ("accept", _("Accept selected")),
    ReviewStage.TO_CLEAR: ("clear", _("Clear selected for public release")),
}


def _label(update) -> str:
    return _("%(action)s · %(mission)s (update %(id)s)") % {
        "action": update.implementation.action.code,
        "mission": update.implementation.organisation.code,
        "id": update.pk,
    }


class UpdateReviewView(LoginRequiredMixin, View):
    """Approve, accept, return or clear one update; one service call each."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        update = review_update(user=request.user, pk=pk)
        if update is None:
            raise Http404(_("No such update in your missions."))
        target = request.POST.get("next") or reverse(
            "objectives:implementation-detail", args=[update.implementation_id]
        )
        if not target.startswith("/") or target.startswith("//"):
            target = reverse(
                "objectives:implementation-detail", args=[update.implementation_id]
            )
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("The review form was incomplete; nothing was changed.")
            )
            return HttpResponseRedirect(target)
        decision = form.cleaned_data["decision"]
        try:
            reviewed = workflow.status_update_review(
                update=update,
                actor=request.user,
                decision=decision,
                expected_version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        except NotAllowed as error:
            raise PermissionDenied(error.message) from error
        except ConflictError as error:
            messages.error(request, error.message)
            return _render_detail(
                request, _detail_or_404(request, update.implementation_id), status=409
            )
        except (InvalidTransition, ValidationError) as error:
            text = (
                error.message
                if isinstance(error, InvalidTransition)
                else " ".join(error.messages)
            )
            messages.error(request, text)
            return HttpResponseRedirect(target)
        done = {
            "approve": _("Update approved and passed to HQ."),
            "accept": _("Update accepted; it is now the action's current status.")
            if decision == "accept" and workflow.is_current(reviewed)
            else _(
                "Update accepted and recorded in the history; a report made after it "
                "is already accepted, so the action's current status is unchanged."
            ),
            "return": _("Update returned to its author with your comment."),
            "clear": _("Update cleared for public release."),
        }[decision]
        messages.success(request, done)
        return HttpResponseRedirect(target)
