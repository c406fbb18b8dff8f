"""Reads behind the field pages (My actions, implementation page, review queue).
Each returns a scoped queryset whose cost does not grow with the number of rows."""

import operator
from dataclasses import dataclass
from functools import reduce

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    STATUSES_EXCLUDED_FROM_PROGRESS,
    Audience,
    ImplementationStatus,
    ReviewState,
    Sensitivity,
)
from ..models import Implementation, ReviewEvent, StatusUpdate
from ..permissions import (
    ACCEPT_UPDATE,
    CLEAR_UPDATE,
    missions_approved_by,
    reads_all_missions,
)
from ..progress import past_due_condition


@dataclass
class ImplementationFilters:
    goal: int | None = None
    outcome: int | None = None
    status: str = ""
    principle: int | None = None
    search: str = ""


def my_implementations(
    *, user: AbstractUser, filters: ImplementationFilters
) -> QuerySet[Implementation]:
    """The implementations of the viewer's missions: past their due date first, then off
    track and at risk, then by due date; completed, cancelled and not applicable last."""
    past_due = past_due_condition(
        audience=Audience.INTERNAL, today=timezone.localdate()
    )
    queryset = (
        Implementation.objects.visible_to(user)
        .within_missions_of(user)
        .in_tree()
        .select_related(
            "organisation",
            "action__outcome__objective__strategy",
            "action__lead_organisation",
        )
        .annotate(
            urgency=Case(
                When(past_due, then=Value(0)),
                When(status=ImplementationStatus.OFF_TRACK, then=Value(1)),
                When(status=ImplementationStatus.AT_RISK, then=Value(2)),
                When(
                    status__in=[
                        ImplementationStatus.COMPLETED,
                        *STATUSES_EXCLUDED_FROM_PROGRESS,
                    ],
                    then=Value(4),
                ),
                default=Value(3),
                output_field=IntegerField(),
            ),
            is_past_due=Case(
                When(past_due, then=Value(True)),
                default=Value(False),
            ),
        )
        .order_by(
            "urgency",
            "due_date",
            "action__due_date",
            "action__code",
            "organisation__code",
        )
    )
    if filters.goal:
        queryset = queryset.filter(action__outcome__objective_id=filters.goal)
    if filters.outcome:
        queryset = queryset.filter(action__outcome_id=filters.outcome)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.principle:
        queryset = queryset.filter(action__principles__id=filters.principle)
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(action__code__icontains=term)
            | Q(action__title_en__icontains=term)
            | Q(action__title_fr__icontains=term)
            | Q(action__title_ar__icontains=term)
            | Q(organisation__code__icontains=term)
        )
    return queryset.distinct() if filters.principle else queryset


def implementation_detail(*, user: AbstractUser, pk: int) -> Implementation:
    """One implementation with its place in the strategy and its visible timeline."""
    timeline = (
        StatusUpdate.objects.visible_to(user)
        .select_related("author", "cleared_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ReviewEvent.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    return (
        Implementation.objects.visible_to(user)
        .within_missions_of(user)
        .select_related(
            "organisation",
            "current_update",
            "action__outcome__objective__strategy",
            "action__lead_organisation",
        )
        .prefetch_related(
            "action__principles",
            "action__stakeholder_groups",
            Prefetch("updates", queryset=timeline, to_attr="timeline"),
        )
        .get(pk=pk)
    )


def updates_in_missions_of(user: AbstractUser) -> QuerySet[StatusUpdate]:
    """The updates a person reads (`visible_to`) within their own missions (HQ: all):
    what the field pages review, list and open."""
    return StatusUpdate.objects.visible_to(user).filter(
        implementation__in=Implementation.objects.within_missions_of(user)
    )


def review_update(*, user: AbstractUser, pk: int) -> StatusUpdate | None:
    """One update the person may review: visible to them, in their missions."""
    return (
        updates_in_missions_of(user)
        .select_related("implementation__organisation", "implementation__action")
        .filter(pk=pk)
        .first()
    )


def returned_to(*, user: AbstractUser) -> QuerySet[StatusUpdate]:
    """Reports the person wrote that were returned for revision and not yet answered
    (nothing submitted for the implementation since), newest return first, each with
    the reviewer's comment (`return_comment`) and when (`returned_at`)."""
    returned = ReviewEvent.objects.filter(
        update=OuterRef("pk"), to_state=ReviewState.RETURNED
    ).order_by("-created_at", "-pk")
    answered = StatusUpdate.objects.filter(
        implementation=OuterRef("implementation"),
        submitted_at__gt=OuterRef("submitted_at"),
    ).exclude(review_state=ReviewState.DRAFT)
    return (
        StatusUpdate.objects.visible_to(user)
        .filter(author=user, review_state=ReviewState.RETURNED)
        .exclude(Exists(answered))
        .annotate(
            return_comment=Subquery(returned.values("comment")[:1]),
            returned_at=Subquery(returned.values("created_at")[:1]),
        )
        .select_related("implementation__organisation", "implementation__action")
        .order_by("-returned_at", "-pk")
    )


def open_return(timeline: list[StatusUpdate]) -> StatusUpdate | None:
    """The implementation's returned report still waiting for its revision: its newest
    report (drafts aside), when that one was returned. Reads the prefetched timeline."""
    for update in timeline:
        if update.review_state != ReviewState.DRAFT:
            return update if update.review_state == ReviewState.RETURNED else None
    return None


def return_comment(update: StatusUpdate) -> str:
    """The reviewer's comment on a returned report, from its prefetched events."""
    comments = [
        e.comment for e in update.events.all() if e.to_state == ReviewState.RETURNED
    ]
    return comments[-1] if comments else ""


def evidence_update(*, user: AbstractUser, pk: int) -> StatusUpdate | None:
    """An update whose evidence file the person may download: one they may read
    (`visible_to`: mission, sensitivity, drafts to their author) within their missions
    (HQ: all). Cleared public updates do not open their files to other readers."""
    return updates_in_missions_of(user).exclude(evidence_file="").filter(pk=pk).first()


class ReviewStage(models.TextChoices):
    """Where the review work of a person stands, one tab each on the review page."""

    TO_APPROVE = "to_approve", _("To approve")
    TO_ACCEPT = "to_accept", _("To accept")
    TO_CLEAR = "to_clear", _("To clear")
    RETURNED = "returned", _("Returned")


@dataclass
class ReviewFilters:
    mission: int | None = None
    goal: int | None = None
    round: int | None = None
    sensitivity: str = ""


def _stage_conditions(user: AbstractUser) -> dict[str, Q]:
    """Each stage's rows for this person; a stage they have no part in is absent."""
    approves = missions_approved_by(user)
    conditions = {
        ReviewStage.TO_APPROVE: Q(
            review_state=ReviewState.SUBMITTED,
            implementation__organisation__in=approves,
        )
    }
    if user.has_perm(ACCEPT_UPDATE):
        conditions[ReviewStage.TO_ACCEPT] = Q(review_state=ReviewState.APPROVED)
    if user.has_perm(CLEAR_UPDATE):
        conditions[ReviewStage.TO_CLEAR] = Q(
            review_state=ReviewState.ACCEPTED,
            sensitivity=Sensitivity.UNCLASSIFIED,
            cleared_for_public=False,
        )
    returned = Q(review_state=ReviewState.RETURNED)
    if not reads_all_missions(user):
        returned &= Q(implementation__organisation__in=approves)
    conditions[ReviewStage.RETURNED] = returned
    return conditions


def _review_rows(user: AbstractUser, filters: ReviewFilters) -> QuerySet[StatusUpdate]:
    rows = updates_in_missions_of(user)
    if filters.mission:
        rows = rows.filter(implementation__organisation_id=filters.mission)
    if filters.goal:
        rows = rows.filter(implementation__action__outcome__objective_id=filters.goal)
    if filters.round:
        rows = rows.filter(round_id=filters.round)
    if filters.sensitivity:
        rows = rows.filter(sensitivity=filters.sensitivity)
    return rows


def review_stage_counts(
    *, user: AbstractUser, filters: ReviewFilters
) -> dict[str, int]:
    """How many updates wait at each of the person's stages; one query, over the rows at
    any of those stages only (most reports are long accepted and cleared)."""
    conditions = _stage_conditions(user)
    at_any_stage = reduce(operator.or_, conditions.values())
    counts = (
        _review_rows(user, filters)
        .filter(at_any_stage)
        .aggregate(
            **{
                stage: Count("pk", filter=condition)
                for stage, condition in conditions.items()
            }
        )
    )
    return {stage: counts[stage] for stage in conditions}


def review_stage(
    *, user: AbstractUser, stage: str, filters: ReviewFilters
) -> QuerySet[StatusUpdate]:
    """The updates at one stage, oldest report first, with what the page shows."""
    condition = _stage_conditions(user).get(stage)
    if condition is None:
        return StatusUpdate.objects.none()
    return (
        _review_rows(user, filters)
        .filter(condition)
        .select_related(
            "author",
            "round",
            "implementation__organisation",
            "implementation__action__outcome__objective",
        )
        .order_by("submitted_at", "pk")
    )
