"""Reads about reporting rounds: which round is open, how complete each round's
reporting is, and what changed between rounds. Each is a fixed number of queries,
whatever the size of the data, through `visible_to`.

- **Expected to report** in a round: counted, open work of the round's strategy (not
  completed, cancelled or not applicable), or work that reported in the round anyway.
  Work whose start date is after the round's period is "not due to report yet", unless
  the round asks work not yet started to report too.
- **Report missing**: expected, the round's deadline has passed and no report was
  submitted in the round (a returned report, not resubmitted, does not count).
- **Past due date** is another thing: open work whose due date has passed
  (`progress.past_due_condition`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

from ..choices import (
    STATUSES_EXCLUDED_FROM_PROGRESS,
    Audience,
    ImplementationStatus,
    NodeType,
    ReviewState,
)
from ..models import (
    Implementation,
    Objective,
    ProgressSnapshot,
    ReportingRound,
    RoundFigure,
    StatusUpdate,
    Strategy,
)
from ..progress import STATUS_FIELDS, STRATEGY_PATH, date_before, tree_order

_DONE = [ImplementationStatus.COMPLETED, *STATUSES_EXCLUDED_FROM_PROGRESS]
_SUBMITTED = [ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.ACCEPTED]
STAGES = ["submitted", "approved", "accepted", "cleared", "returned"]


def open_round(strategy: Strategy | None) -> ReportingRound | None:
    if strategy is None:
        return None
    return ReportingRound.objects.open().filter(strategy=strategy).first()


def open_rounds(user: AbstractBaseUser) -> list[ReportingRound]:
    """The open round of each active strategy the person may read (the banner of every
    internal page); one query."""
    return list(
        ReportingRound.objects.visible_to(user)
        .open()
        .filter(strategy__status="active")
        .select_related("strategy")
        .order_by("strategy__code")
    )


def rounds_of(strategy: Strategy, user: AbstractBaseUser) -> QuerySet[ReportingRound]:
    return (
        ReportingRound.objects.visible_to(user)
        .filter(strategy=strategy)
        .select_related("strategy", "closed_by", "opened_by")
        .order_by("-period_start")
    )


def last_closed_round(
    strategy_id: int, *, before: ReportingRound | None = None
) -> ReportingRound | None:
    """The strategy's closed round whose period came last (before `before`'s, if given)."""
    rounds = ReportingRound.objects.closed().filter(strategy_id=strategy_id)
    if before is not None:
        rounds = rounds.filter(period_start__lt=before.period_start)
    return rounds.order_by("-period_start").first()


def _in_round(reporting_round: ReportingRound) -> QuerySet[StatusUpdate]:
    return StatusUpdate.objects.filter(
        implementation=OuterRef("pk"), round=reporting_round
    )


def expected_condition(reporting_round: ReportingRound) -> Q:
    """On implementations: the round expects a report from it (`expected_to_report`,
    without the reader's scope)."""
    reported = Exists(
        _in_round(reporting_round).exclude(review_state=ReviewState.DRAFT)
    )
    expected = ~Q(status__in=_DONE) | reported
    if not reporting_round.expects_unstarted_work:
        starts_later = ~date_before(
            "start_date", reporting_round.period_end, inclusive=True
        ) & (Q(start_date__isnull=False) | Q(action__start_date__isnull=False))
        expected &= ~starts_later | reported
    return expected


def report_missing_condition(reporting_round: ReportingRound) -> Q:
    """On implementations: open work the round expects a report from, with no report of
    it submitted; one anti-join on the round's submitted reports. (Finished work that
    had a report returned counts as missing in completeness, not here: what needs
    attention is open work.)"""
    submitted = StatusUpdate.objects.filter(
        round=reporting_round, review_state__in=_SUBMITTED
    ).values("implementation_id")
    missing = ~Q(status__in=_DONE) & ~Q(pk__in=submitted)
    if not reporting_round.expects_unstarted_work:
        missing &= date_before(
            "start_date", reporting_round.period_end, inclusive=True
        ) | (Q(start_date__isnull=True) & Q(action__start_date__isnull=True))
    return missing


def expected_to_report(
    reporting_round: ReportingRound, user: AbstractBaseUser | None
) -> QuerySet[Implementation]:
    """The implementations the person may read that the round expects a report from
    (`user` None: the system's own reminders, which choose recipients by role)."""
    implementations = Implementation.objects.all()
    if user is not None:
        implementations = implementations.visible_to(user).within_missions_of(user)
    return (
        implementations.counted()
        .filter(**{STRATEGY_PATH: reporting_round.strategy_id})
        .filter(expected_condition(reporting_round))
    )


def _with_stages(
    implementations: QuerySet, reporting_round: ReportingRound
) -> QuerySet:
    """Each implementation with the furthest its reports reached in the round."""
    in_round = _in_round(reporting_round)
    return implementations.annotate(
        has_submitted=Exists(in_round.filter(review_state__in=_SUBMITTED)),
        has_approved=Exists(
            in_round.filter(
                review_state__in=[ReviewState.APPROVED, ReviewState.ACCEPTED]
            )
        ),
        has_accepted=Exists(in_round.filter(review_state=ReviewState.ACCEPTED)),
        has_cleared=Exists(
            in_round.filter(review_state=ReviewState.ACCEPTED, cleared_for_public=True)
        ),
        has_returned=Exists(in_round.filter(review_state=ReviewState.RETURNED)),
    )


def missing_condition() -> Q:
    """No report submitted in the round (on `_with_stages` rows)."""
    return Q(has_submitted=False)


@dataclass
class CompletenessRow:
    """One mission's or goal's reporting in a round. `submitted`, `approved`, `accepted`
    and `cleared` each count the implementations whose reports got at least that far;
    `returned` those whose report came back and was not resubmitted; `missing` those
    with no report submitted (all of `returned` among them)."""

    item: Organisation | Objective | None
    expected: int = 0
    submitted: int = 0
    approved: int = 0
    accepted: int = 0
    cleared: int = 0
    returned: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def submitted_percent(self) -> int | None:
        if not self.expected:
            return None
        return round(100 * self.submitted / self.expected)

    def __add__(self, other: "CompletenessRow") -> "CompletenessRow":
        return CompletenessRow(
            None,
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in ["expected", *STAGES]
            },
        )


@dataclass
class Completeness:
    reporting_round: ReportingRound
    by_mission: list[CompletenessRow] = field(default_factory=list)
    by_goal: list[CompletenessRow] = field(default_factory=list)
    total: CompletenessRow = field(default_factory=lambda: CompletenessRow(None))

    @property
    def deadline_passed(self) -> bool:
        return self.reporting_round.deadline_passed

    @property
    def missing_label(self):
        """After the deadline a report not submitted is missing; before it, not yet in."""
        if self.deadline_passed:
            return _("Report missing")
        return _("Not reported yet")


def _compiled_rows(queryset: QuerySet, **columns: str) -> tuple[str, list] | None:
    """The SQL of `queryset` selecting `columns` (alias: field path), to join in raw
    SQL; None when it can select nothing (a reader who may read nothing)."""
    try:
        sql, params = (
            queryset.order_by()
            .values(**{alias: F(path) for alias, path in columns.items()})
            .query.sql_with_params()
        )
    except EmptyResultSet:
        return None
    return sql, list(params)


def _stage_counts(
    expected: QuerySet, reporting_round: ReportingRound
) -> dict[tuple[int, int], dict[str, int]]:
    """How far the expected implementations' reports got, counted per (mission, goal),
    in one query: the round's reports are grouped once per implementation and joined
    to the implementations expected, rather than looked up for each of them."""
    compiled = _compiled_rows(
        expected,
        row_id="pk",
        row_organisation="organisation_id",
        row_goal="action__outcome__objective_id",
    )
    if compiled is None:
        return {}
    implementations, params = compiled
    state = "review_state"

    def flag(condition: str) -> str:
        return f"MAX(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    submitted = ", ".join(["%s"] * len(_SUBMITTED))
    stage_params = [
        *_SUBMITTED,
        ReviewState.APPROVED,
        ReviewState.ACCEPTED,
        ReviewState.ACCEPTED,
        ReviewState.ACCEPTED,
        ReviewState.RETURNED,
    ]
    reports = StatusUpdate._meta.db_table
    sql = (
        f"WITH e AS ({implementations}), "  # noqa: S608
        f"stages AS (SELECT u.implementation_id AS implementation_id, "
        f"{flag(f'u.{state} IN ({submitted})')} AS submitted, "
        f"{flag(f'u.{state} IN (%s, %s)')} AS approved, "
        f"{flag(f'u.{state} = %s')} AS accepted, "
        f"{flag(f'u.{state} = %s AND u.cleared_for_public')} AS cleared, "
        f"{flag(f'u.{state} = %s')} AS returned "
        f"FROM {reports} u JOIN e ON e.row_id = u.implementation_id "
        f"WHERE u.round_id = %s GROUP BY u.implementation_id) "
        f"SELECT e.row_organisation, e.row_goal, COUNT(*), "
        f"SUM(COALESCE(s.submitted, 0)), SUM(COALESCE(s.approved, 0)), "
        f"SUM(COALESCE(s.accepted, 0)), SUM(COALESCE(s.cleared, 0)), "
        f"SUM(CASE WHEN s.returned = 1 AND s.submitted = 0 THEN 1 ELSE 0 END) "
        f"FROM e LEFT JOIN stages s ON s.implementation_id = e.row_id "
        f"GROUP BY e.row_organisation, e.row_goal"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *stage_params, reporting_round.pk])
        rows = cursor.fetchall()
    return {
        (organisation, goal): dict(
            zip(["expected", *STAGES], (int(n or 0) for n in counts), strict=True)
        )
        for organisation, goal, *counts in rows
    }


def _summed(counts: dict[tuple[int, int], dict[str, int]], index: int) -> dict:
    """The counts per mission (index 0) or per goal (index 1)."""
    summed: dict[int, dict[str, int]] = {}
    for key, row in counts.items():
        total = summed.setdefault(key[index], dict.fromkeys(["expected", *STAGES], 0))
        for name, value in row.items():
            total[name] += value
    return summed


def round_completeness(
    reporting_round: ReportingRound,
    user: AbstractBaseUser,
    *,
    mission: int | None = None,
    goal: int | None = None,
) -> Completeness:
    """Completeness of the round per mission and per goal, as the person may read it
    (an approver: their missions), narrowed to one mission or goal if asked. Three
    queries."""
    expected = expected_to_report(reporting_round, user)
    if mission:
        expected = expected.filter(organisation_id=mission)
    if goal:
        expected = expected.filter(action__outcome__objective_id=goal)
    counts = _stage_counts(expected, reporting_round)
    by_mission = _summed(counts, 0)
    by_goal = _summed(counts, 1)
    missions = Organisation.objects.in_bulk(list(by_mission))
    goals = (
        Objective.objects.counted()
        .filter(strategy_id=reporting_round.strategy_id)
        .order_by("order", "code")
    )
    completeness = Completeness(reporting_round)
    completeness.by_mission = sorted(
        (CompletenessRow(missions[pk], **counts) for pk, counts in by_mission.items()),
        key=lambda row: (-row.missing, row.item.code),
    )
    completeness.by_goal = [
        CompletenessRow(g, **by_goal.get(g.pk, {}))
        for g in goals
        if goal is None or g.pk == goal
    ]
    for row in completeness.by_mission:
        completeness.total = completeness.total + row
    return completeness


def missing_reports(
    reporting_round: ReportingRound, user: AbstractBaseUser | None
) -> QuerySet[Implementation]:
    """The implementations expected to report in the round with no report submitted,
    by mission and action; one query."""
    return (
        _with_stages(expected_to_report(reporting_round, user), reporting_round)
        .filter(missing_condition())
        .select_related("action", "organisation")
        .order_by("organisation__code", "action__code")
    )


# Changes between rounds ----------------------------------------------------------------

CHANGE_LIMIT = 5


@dataclass
class NodeChange:
    """The strategy's or a goal's progress, in one mission or all, in two rounds."""

    node: Strategy | Objective
    organisation: Organisation | None
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class ImplementationChange:
    implementation: Implementation
    before_progress: int | None
    after_progress: int
    before_status: str | None
    after_status: str

    @property
    def change(self) -> int | None:
        if self.before_progress is None:
            return None
        return self.after_progress - self.before_progress

    @property
    def before_status_label(self):
        if self.before_status is None:
            return _("Not reported")
        return ImplementationStatus(self.before_status).label

    @property
    def after_status_label(self):
        return ImplementationStatus(self.after_status).label


@dataclass
class RoundChanges:
    """What changed since the last closed round: now (the latest accepted figures)
    against it, or a closed round against the closed round before it."""

    reporting_round: ReportingRound | None
    baseline: ReportingRound | None
    nodes: list[NodeChange] = field(default_factory=list)
    missions: list[NodeChange] = field(default_factory=list)
    rises: list[ImplementationChange] = field(default_factory=list)
    falls: list[ImplementationChange] = field(default_factory=list)
    newly_at_risk: list[ImplementationChange] = field(default_factory=list)
    newly_completed: list[ImplementationChange] = field(default_factory=list)


def _status_of_counts(prefix: str = "") -> Case:
    """The status of one implementation's action-level figure row: the one status
    count that is 1."""
    return Case(
        *[
            When(**{f"{prefix}{name}": 1}, then=Value(value))
            for value, name in STATUS_FIELDS.items()
        ],
        default=Value(None),
        output_field=CharField(),
    )


def _action_figures(reporting_round: ReportingRound) -> QuerySet[RoundFigure]:
    """The round's frozen figures of the outer implementation (its action, its mission)."""
    return RoundFigure.objects.filter(
        round=reporting_round,
        audience=Audience.INTERNAL,
        node_type=NodeType.ACTION,
        node_id=OuterRef("action_id"),
        organisation_id=OuterRef("organisation_id"),
    )


def _implementation_rows(
    reporting_round: ReportingRound | None,
    baseline: ReportingRound,
    user: AbstractBaseUser,
) -> QuerySet[Implementation]:
    """Each implementation the person may read in the baseline's strategy, with its
    progress and status after (now, or in the closed round) and before (the baseline)."""
    implementations = (
        Implementation.objects.visible_to(user)
        .within_missions_of(user)
        .counted()
        .filter(**{STRATEGY_PATH: baseline.strategy_id})
    )
    before = _action_figures(baseline)
    if reporting_round is None or reporting_round.is_open:
        after_progress, after_status = F("progress"), F("status")
    else:
        after = _action_figures(reporting_round)
        after_progress = Subquery(after.values("progress")[:1])
        after_status = Subquery(
            after.annotate(status_value=_status_of_counts()).values("status_value")[:1]
        )
    return implementations.annotate(
        after_progress=after_progress,
        after_status=after_status,
        before_progress=Subquery(before.values("progress")[:1]),
        before_status=Subquery(
            before.annotate(status_value=_status_of_counts()).values("status_value")[:1]
        ),
    ).select_related("action", "organisation")


def _change(implementation: Implementation) -> ImplementationChange:
    return ImplementationChange(
        implementation=implementation,
        before_progress=(
            None
            if implementation.before_progress is None
            else int(implementation.before_progress)
        ),
        after_progress=int(implementation.after_progress or 0),
        before_status=implementation.before_status,
        after_status=implementation.after_status
        or ImplementationStatus.NOT_STARTED.value,
    )


def round_changes(
    *,
    strategy: Strategy,
    user: AbstractBaseUser,
    reporting_round: ReportingRound | None = None,
    mission: Organisation | None = None,
    goal: Objective | None = None,
    narrow: Callable[[QuerySet], QuerySet] | None = None,
) -> RoundChanges:
    """Changes for `reporting_round` (a closed one) against the closed round before it,
    or, with none or an open one, the latest figures against the last closed round.
    Per goal and mission: progress before and after; per implementation: the biggest
    rises and falls, the newly at risk or off track and the newly completed. Narrowed
    to a `mission` or `goal`, the figures are theirs, and `narrow` narrows the
    implementations as the dashboard's filters do. A fixed number of queries."""
    closed = reporting_round is not None and not reporting_round.is_open
    baseline = last_closed_round(
        strategy.pk, before=reporting_round if closed else None
    )
    changes = RoundChanges(reporting_round=reporting_round, baseline=baseline)
    if baseline is None:
        return changes
    changes.nodes, changes.missions = _node_changes(
        strategy, baseline, reporting_round, user, mission=mission, goal=goal
    )
    rows = _implementation_rows(reporting_round, baseline, user)
    if narrow is not None:
        rows = narrow(rows)
    rises, falls = _biggest_moves(rows, reporting_round, baseline)
    moved = {i.pk: _change(i) for i in rows.filter(pk__in=rises + falls)}
    changes.rises = [moved[pk] for pk in rises]
    changes.falls = [moved[pk] for pk in falls]
    troubled = [ImplementationStatus.AT_RISK, ImplementationStatus.OFF_TRACK]
    changes.newly_at_risk = [
        _change(i)
        for i in rows.filter(after_status__in=troubled)
        .exclude(before_status__in=troubled)
        .order_by("action__code", "organisation__code")[:CHANGE_LIMIT]
    ]
    changes.newly_completed = [
        _change(i)
        for i in rows.filter(after_status=ImplementationStatus.COMPLETED)
        .exclude(before_status=ImplementationStatus.COMPLETED)
        .order_by("action__code", "organisation__code")[:CHANGE_LIMIT]
    ]
    return changes


def _biggest_moves(
    rows: QuerySet[Implementation],
    reporting_round: ReportingRound | None,
    baseline: ReportingRound,
) -> tuple[list[int], list[int]]:
    """The ids of the CHANGE_LIMIT implementations among `rows` whose progress rose most
    and fell most since the baseline, in one query: the implementations joined to the
    baseline's frozen action figures (and to the closed round's, when one is compared),
    rather than a lookup per implementation."""
    compiled = _compiled_rows(
        rows,
        row_id="pk",
        row_progress="progress",
        row_action="action_id",
        row_organisation="organisation_id",
    )
    if compiled is None:
        return [], []
    implementations, params = compiled
    frozen = RoundFigure._meta.db_table
    figure = (
        f"JOIN {frozen} {{alias}} ON {{alias}}.round_id = %s "
        f"AND {{alias}}.audience = %s AND {{alias}}.node_type = %s "
        f"AND {{alias}}.node_id = i.row_action "
        f"AND {{alias}}.organisation_id = i.row_organisation"
    )
    joins = figure.format(alias="before_figure")
    join_params = [baseline.pk, Audience.INTERNAL, NodeType.ACTION]
    after = "i.row_progress"
    if reporting_round is not None and not reporting_round.is_open:
        joins += " " + figure.format(alias="after_figure")
        join_params += [reporting_round.pk, Audience.INTERNAL, NodeType.ACTION]
        after = "after_figure.progress"
    # Interpolated: a table name, the ORM's compiled query and fixed column names; every
    # value is a parameter.
    sql = (
        f"WITH moved AS (SELECT i.row_id AS id, {after} - before_figure.progress AS delta "  # noqa: S608
        f"FROM ({implementations}) i {joins} "
        f"WHERE before_figure.progress IS NOT NULL) "
        f"SELECT id, delta FROM (SELECT id, delta FROM moved WHERE delta > 0 "
        f"ORDER BY delta DESC, id LIMIT %s) rises "
        f"UNION ALL "
        f"SELECT id, delta FROM (SELECT id, delta FROM moved WHERE delta < 0 "
        f"ORDER BY delta ASC, id LIMIT %s) falls"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *join_params, CHANGE_LIMIT, CHANGE_LIMIT])
        found = cursor.fetchall()
    rises = [pk for pk, delta in found if delta > 0]
    falls = [pk for pk, delta in found if delta < 0]
    return rises, falls


def _node_changes(
    strategy: Strategy,
    baseline: ReportingRound,
    reporting_round: ReportingRound | None,
    user: AbstractBaseUser,
    *,
    mission: Organisation | None = None,
    goal: Objective | None = None,
) -> tuple[list[NodeChange], list[NodeChange]]:
    """Progress in the baseline and after: the strategy and each goal for all missions
    (what the person may read of it), or for one `mission`, and the strategy (or the
    one `goal`) in each mission they may read. After is the closed round's stored
    figures, or the rollup's current snapshots. Four queries."""
    top = (
        Q(node_type=NodeType.OBJECTIVE, node_id=goal.pk)
        if goal
        else Q(node_type=NodeType.STRATEGY, node_id=strategy.pk)
    )
    goal_rows = Q(node_type=NodeType.OBJECTIVE, organisation=mission)
    if goal is not None:
        goal_rows &= Q(node_id=goal.pk)
    wanted = top | goal_rows
    before = RoundFigure.objects.visible_to(user).filter(
        wanted, round=baseline, audience=Audience.INTERNAL
    )
    if reporting_round is None or reporting_round.is_open:
        after = (
            ProgressSnapshot.objects.visible_to(user)
            .current()
            .filter(wanted, strategy=strategy, audience=Audience.INTERNAL)
        )
    else:
        after = RoundFigure.objects.visible_to(user).filter(
            wanted, round=reporting_round, audience=Audience.INTERNAL
        )

    def keyed(rows) -> dict:
        return {
            (row["node_type"], row["node_id"], row["organisation_id"]): row["progress"]
            for row in rows.values(
                "node_type", "node_id", "organisation_id", "progress"
            )
        }

    before_figures, after_figures = keyed(before), keyed(after)
    keys = set(before_figures) | set(after_figures)
    goals = list(
        Objective.objects.counted().filter(strategy=strategy).order_by("order", "code")
    )
    organisations = Organisation.objects.in_bulk(
        {key[2] for key in keys if key[2] is not None}
    )

    def change(node, key) -> NodeChange:
        return NodeChange(
            node=node,
            organisation=organisations.get(key[2]),
            before=before_figures.get(key),
            after=after_figures.get(key),
        )

    organisation = mission.pk if mission else None
    overall = [
        change(node, key)
        for node, key in [
            (strategy, (NodeType.STRATEGY, strategy.pk, organisation)),
            *((g, (NodeType.OBJECTIVE, g.pk, organisation)) for g in goals),
        ]
        if key in keys and (goal is None or node == goal)
    ]
    top_type, top_node = (
        (NodeType.OBJECTIVE, goal) if goal else (NodeType.STRATEGY, strategy)
    )
    by_mission = sorted(
        (
            change(top_node, key)
            for key in keys
            if key[0] == top_type
            and key[1] == top_node.pk
            and key[2] is not None
            and (mission is None or key[2] == mission.pk)
        ),
        key=lambda item: item.organisation.code,
    )
    return overall, by_mission


class RoundStage(models.TextChoices):
    """How far an implementation's report got in a round."""

    CLEARED = "cleared", _("Cleared for the public")
    ACCEPTED = "accepted", _("Accepted by HQ")
    APPROVED = "approved", _("Approved by the mission")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned, not resubmitted")
    MISSING = "missing", _("No report")


def stage_of(implementation: Implementation) -> RoundStage:
    """The furthest stage of a `round_reports` row."""
    for stage, flag in (
        (RoundStage.CLEARED, "has_cleared"),
        (RoundStage.ACCEPTED, "has_accepted"),
        (RoundStage.APPROVED, "has_approved"),
        (RoundStage.SUBMITTED, "has_submitted"),
        (RoundStage.RETURNED, "has_returned"),
    ):
        if getattr(implementation, flag):
            return stage
    return RoundStage.MISSING


def round_reports(
    reporting_round: ReportingRound,
    user: AbstractBaseUser,
    *,
    mission: int | None = None,
    missing_only: bool = False,
) -> QuerySet[Implementation]:
    """Each implementation the round expects a report from, with how far its reports
    got (`stage_of`), by mission and in the printed order of the strategy; one query."""
    rows = _with_stages(expected_to_report(reporting_round, user), reporting_round)
    if mission:
        rows = rows.filter(organisation_id=mission)
    if missing_only:
        rows = rows.filter(missing_condition())
    return rows.select_related("action__outcome__objective", "organisation").order_by(
        "organisation__code", *tree_order("action__"), "pk"
    )
