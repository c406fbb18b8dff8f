"""The leadership dashboard and its briefing pack: one strategy's state at a glance (the
executive summary), missions against goals, trends by round and by day, what needs
attention, and what changed since the last closed round. A fixed number of queries,
whatever the size of the data.

Where the figures come from, and said on the page ("data as of"):
- a **closed round**: the figures it froze when it closed (`RoundFigure`);
- **now**, when today's rollup left nothing waiting: its stored snapshots, read rather
  than summed (fast at any scale);
- **now** otherwise (a status filter, no rollup of today, acceptances not yet rolled
  up): summed live from the implementations, through the same rules
  (`objectives.progress`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Organisation

from ..caching import reporting_stamp
from ..choices import Audience, ImplementationStatus, NodeType
from ..models import (
    Implementation,
    Objective,
    ProgressSnapshot,
    ReportingRound,
    RollupRequest,
    RollupRun,
    RoundFigure,
    Strategy,
)
from ..permissions import reads_all_missions
from ..progress import Figures, past_due_condition
from .figures import (
    GoalBreakdown,
    StrategyProgress,
    active_strategies,
    chosen_strategy,
    goal_breakdown,
    stored_progress_fill,
    strategy_progress_fill,
)
from .rounds import (
    Completeness,
    RoundChanges,
    last_closed_round,
    report_missing_condition,
    round_changes,
    round_completeness,
)

ATTENTION_LIMIT = 50
RISK_LIMIT = 5
TREND_DAYS = 30
# The missions x goals grid can be ordered by rank (overall progress), by mission, or
# by one goal's progress (its code).
SORT_RANK, SORT_MISSION = "rank", "mission"
# What needs attention, the most serious first (`_attention_fill`).
RISK_REASONS = {
    1: _("Off track"),
    2: _("At risk"),
    3: _("Report missing"),
    4: _("Past due date"),
}


@dataclass
class DashboardFilters:
    """What the leadership narrows the dashboard (and its exports and briefing) to."""

    strategy: str | None = None
    mission: str | None = None
    goal: str | None = None
    status: str | None = None
    round: str | None = None
    sort: str | None = None

    NAMES = ("strategy", "mission", "goal", "status", "round", "sort")

    @classmethod
    def from_query(cls, query) -> "DashboardFilters":
        return cls(**{name: (query.get(name) or None) for name in cls.NAMES})

    def apply(self, implementations: QuerySet) -> QuerySet:
        if self.mission:
            implementations = implementations.filter(organisation__code=self.mission)
        if self.goal:
            implementations = implementations.filter(
                action__outcome__objective__code=self.goal
            )
        if self.status in ImplementationStatus.values:
            implementations = implementations.filter(status=self.status)
        return implementations

    @property
    def status_label(self) -> str:
        if self.status in ImplementationStatus.values:
            return ImplementationStatus(self.status).label
        return ""

    @property
    def narrowed(self) -> bool:
        return bool(self.mission or self.goal or self.status)

    def as_query(self, **changes: str | None) -> dict[str, str]:
        """The filters as query parameters, with `changes`, leaving out empty ones."""
        values = {name: getattr(self, name) for name in self.NAMES} | changes
        return {name: value for name, value in values.items() if value}


class FiguresSource:
    LIVE = "live"
    ROLLUP = "rollup"
    ROUND = "round"


@dataclass
class HeatRow:
    """One mission in the missions x goals grid: its figures per goal and overall, and
    its rank by overall progress (missions without progress come last, unranked)."""

    mission: Organisation
    cells: list[Figures | None]
    total: Figures
    rank: int | None = None


@dataclass
class RoundTrend:
    """Progress at each closed round (oldest first) and now: overall, per goal and per
    mission, from the figures each round froze."""

    rounds: list[ReportingRound] = field(default_factory=list)
    overall: list[Decimal | None] = field(default_factory=list)
    goals: list[tuple[Objective, list[Decimal | None]]] = field(default_factory=list)
    missions: list[tuple[Organisation, list[Decimal | None]]] = field(
        default_factory=list
    )

    @property
    def overall_points(self) -> list[tuple[str, Decimal | None]]:
        """(round name, progress) for the chart; "now" last when it is shown."""
        names = [r.name for r in self.rounds]
        names += [""] * (len(self.overall) - len(names))
        return list(zip(names, self.overall, strict=True))


@dataclass
class Dashboard(StrategyProgress):
    strategies: list[Strategy] = field(default_factory=list)
    filters: DashboardFilters = field(default_factory=DashboardFilters)
    all_missions: list[Organisation] = field(default_factory=list)
    all_goals: list[Objective] = field(default_factory=list)
    mission: Organisation | None = None
    goal: Objective | None = None
    attention: list[Implementation] = field(default_factory=list)
    attention_total: int = 0
    trend: list[tuple[datetime.date, Decimal | None]] = field(default_factory=list)
    breakdown: GoalBreakdown | None = None
    source: str = FiguresSource.LIVE
    as_of: datetime.datetime | None = None
    rollup_pending: bool = False
    rounds: list[ReportingRound] = field(default_factory=list)
    reporting_round: ReportingRound | None = None
    baseline: ReportingRound | None = None
    baseline_progress: Decimal | None = None
    completeness: Completeness | None = None
    changes: RoundChanges | None = None
    round_trend: RoundTrend = field(default_factory=RoundTrend)

    @property
    def briefs_closed_round(self) -> bool:
        return self.source == FiguresSource.ROUND

    @property
    def change(self) -> Decimal | None:
        """Overall progress now (or at the round briefed) against the baseline round."""
        if self.baseline_progress is None or self.overall.progress is None:
            return None
        return self.overall.progress - self.baseline_progress

    @property
    def risks(self) -> list[Implementation]:
        """The most serious of what needs attention, each with its `reason`."""
        return self.attention[:RISK_LIMIT]

    @property
    def status_parts(self) -> list[dict[str, Any]]:
        """Each status's count and share of all implementations counted, in the order of
        the statuses; the shares add up to 100 (the last takes the rounding)."""
        total = self.overall.implementation_count
        parts = []
        for status in ImplementationStatus:
            count = self.overall.status_counts.get(status.value, 0)
            parts.append(
                {
                    "status": status.value,
                    "label": status.label,
                    "count": count,
                    "percent": (Decimal(100) * count / total) if total else Decimal(0),
                }
            )
        return parts

    @property
    def heatmap(self) -> list[HeatRow]:
        """The grid turned to one row per mission, ranked by overall progress and
        ordered by the `sort` filter."""
        rows = [
            HeatRow(
                mission=mission,
                cells=[row[index] for _goal, row in self.grid],
                total=total,
            )
            for index, (mission, total) in enumerate(self.mission_totals)
        ]
        ranked = sorted(
            (r for r in rows if r.total.progress is not None),
            key=lambda r: (-r.total.progress, r.mission.code),
        )
        for rank, row in enumerate(ranked, start=1):
            row.rank = rank
        sort = self.filters.sort or SORT_RANK
        if sort == SORT_MISSION:
            return sorted(rows, key=lambda r: r.mission.code)
        goal_index = next(
            (i for i, (g, _row) in enumerate(self.grid) if g.code == sort), None
        )
        if goal_index is not None:

            def by_goal(row: HeatRow):
                cell = row.cells[goal_index]
                progress = None if cell is None else cell.progress
                return (progress is None, -(progress or 0), row.mission.code)

            return sorted(rows, key=by_goal)
        return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.mission.code))

    @property
    def sort(self) -> str:
        return self.filters.sort or SORT_RANK


def leadership_dashboard(
    filters: DashboardFilters | None = None,
    page_number: Any = None,
    *,
    user: AbstractBaseUser,
) -> Dashboard:
    """Everything the dashboard and the briefing show, for what `user` may read,
    narrowed by `filters`. A fixed number of queries whatever the size of the data."""
    filters = filters or DashboardFilters()
    strategies = active_strategies()
    strategy = chosen_strategy(strategies, filters.strategy)
    dashboard = Dashboard(strategy=strategy, strategies=strategies, filters=filters)
    if strategy is None:
        return dashboard
    audience = Audience.INTERNAL
    today = timezone.localdate()
    past_due = past_due_condition(audience=audience, today=today)
    counted = dashboard_implementations(strategy, filters, user=user)
    dashboard.all_goals = list(
        Objective.objects.in_tree().filter(strategy=strategy).order_by("order", "code")
    )
    dashboard.mission = (
        Organisation.objects.filter(code=filters.mission).first()
        if filters.mission
        else None
    )
    goal = next((g for g in dashboard.all_goals if g.code == filters.goal), None)
    dashboard.goal = goal
    dashboard.rounds = list(
        ReportingRound.objects.visible_to(user)
        .filter(strategy=strategy)
        .order_by("-period_start", "-pk")
    )
    chosen = next((r for r in dashboard.rounds if str(r.pk) == filters.round), None)
    current = next((r for r in dashboard.rounds if r.is_open), None)
    dashboard.reporting_round = chosen or current
    briefed = dashboard.reporting_round

    stored = _figures_fill(dashboard, counted, past_due, user=user)
    # The missions to choose from: those with figures (stored), or with work counted.
    if stored is not None:
        with_figures = stored.filter(
            node_type=NodeType.STRATEGY, organisation__isnull=False
        ).values("organisation")
    else:
        with_figures = (
            Implementation.objects.visible_to(user)
            .within_missions_of(user)
            .filter(action__outcome__objective__strategy=strategy)
            .values("organisation")
        )
    dashboard.all_missions = list(
        Organisation.objects.filter(pk__in=with_figures).order_by("code")
    )

    closed_briefed = briefed is not None and not briefed.is_open
    _round_parts_fill(dashboard, counted, past_due, user=user)
    if goal is not None and not closed_briefed:
        dashboard.breakdown = goal_breakdown(
            goal,
            audience=audience,
            counted=counted,
            past_due=past_due,
            page_number=page_number,
        )
    dashboard.round_trend = round_trend(dashboard, user=user)
    dashboard.trend = _trend_by_day(dashboard, today)
    return dashboard


def _figures_fill(
    dashboard: Dashboard, counted: QuerySet, past_due: Q, *, user: AbstractBaseUser
) -> QuerySet | None:
    """The figures, from where they are quickest and still exact (see the module's
    docstring), and when they held; the stored rows they were read from (None: live)."""
    briefed, filters = dashboard.reporting_round, dashboard.filters
    stored = {"mission": dashboard.mission, "goal": dashboard.goal}
    if briefed is not None and not briefed.is_open:
        dashboard.source = FiguresSource.ROUND
        dashboard.as_of = briefed.closed_at
        rows = RoundFigure.objects.visible_to(user).filter(
            round=briefed, audience=Audience.INTERNAL
        )
        stored_progress_fill(dashboard, rows, **stored)
        return rows
    run, dashboard.rollup_pending = current_rollup(filters)
    if run is not None:
        dashboard.source = FiguresSource.ROLLUP
        dashboard.as_of = run.finished_at
        rows = (
            ProgressSnapshot.objects.visible_to(user)
            .current()
            .filter(strategy=dashboard.strategy, audience=Audience.INTERNAL)
        )
        stored_progress_fill(dashboard, rows, **stored)
        return rows
    dashboard.source = FiguresSource.LIVE
    dashboard.as_of = timezone.now()
    strategy_progress_fill(
        dashboard,
        audience=Audience.INTERNAL,
        counted=counted,
        past_due=past_due,
        goal=dashboard.goal,
        narrowed=filters.narrowed,
    )
    return None


ROUND_PARTS = [
    "baseline",
    "baseline_progress",
    "completeness",
    "changes",
    "attention",
    "attention_total",
]


def _round_parts_fill(
    dashboard: Dashboard, counted: QuerySet, past_due: Q, *, user: AbstractBaseUser
) -> None:
    """The parts that read reports round by round (the baseline, completeness, changes,
    what needs attention): the costliest at scale. They are kept in the cache under a
    stamp of everything they depend on (`caching.reporting_stamp`: any report, review
    step, rollup, round or tree change makes a new one), per round, filters and scope;
    one query reads the stamp."""
    strategy, filters, briefed = (
        dashboard.strategy,
        dashboard.filters,
        dashboard.reporting_round,
    )
    scope = "all" if reads_all_missions(user) else f"user:{user.pk}"
    key = "dashboard-rounds:" + ":".join(
        str(part)
        for part in (
            reporting_stamp(strategy),
            strategy.pk,
            briefed.pk if briefed else 0,
            filters.mission,
            filters.goal,
            filters.status,
            scope,
            timezone.localdate().isoformat(),
        )
    )
    cached = cache.get(key)  # the cache tolerates an outage: a miss
    if cached is None:
        _round_parts_compute(dashboard, counted, past_due, user=user)
        cache.set(
            key,
            {name: getattr(dashboard, name) for name in ROUND_PARTS},
            timeout=settings.DASHBOARD_CACHE_SECONDS,
        )
    else:
        for name, value in cached.items():
            setattr(dashboard, name, value)
    for implementation in dashboard.attention:
        implementation.reason = RISK_REASONS[implementation.severity]


def _round_parts_compute(
    dashboard: Dashboard, counted: QuerySet, past_due: Q, *, user: AbstractBaseUser
) -> None:
    strategy, goal, briefed = (
        dashboard.strategy,
        dashboard.goal,
        dashboard.reporting_round,
    )
    # The baseline: the closed round before the one briefed (or the last closed one).
    closed_briefed = briefed is not None and not briefed.is_open
    dashboard.baseline = last_closed_round(
        strategy.pk, before=briefed if closed_briefed else None
    )
    if dashboard.baseline is not None:
        node = (
            (NodeType.OBJECTIVE, goal.pk) if goal else (NodeType.STRATEGY, strategy.pk)
        )
        dashboard.baseline_progress = (
            RoundFigure.objects.visible_to(user)
            .filter(
                round=dashboard.baseline,
                audience=Audience.INTERNAL,
                node_type=node[0],
                node_id=node[1],
                organisation=dashboard.mission,
            )
            .values_list("progress", flat=True)
            .first()
        )
    if briefed is not None:
        dashboard.completeness = round_completeness(
            briefed,
            user,
            mission=dashboard.mission.pk if dashboard.mission else None,
            goal=goal.pk if goal else None,
        )
    dashboard.changes = round_changes(
        strategy=strategy,
        user=user,
        reporting_round=briefed,
        mission=dashboard.mission,
        goal=goal,
        narrow=dashboard.filters.apply,
    )
    _attention_fill(dashboard, counted, past_due, user=user)


def current_rollup(filters: DashboardFilters) -> tuple[RollupRun | None, bool]:
    """The rollup run whose stored figures hold now for these filters (today's, with no
    acceptance waiting for a rollup, and no status filter, which they cannot split),
    or None; and whether an acceptance waits for a rollup. Two queries."""
    run = RollupRun.objects.order_by("-finished_at", "-pk").first()
    pending = RollupRequest.objects.exists()
    if run is None or run.day != timezone.localdate() or pending or filters.status:
        return None, pending
    return run, pending


def _attention_fill(
    dashboard: Dashboard, counted: QuerySet, past_due: Q, *, user: AbstractBaseUser
) -> None:
    """What needs attention, the most serious first: off track, at risk, report missing
    (the round's deadline passed with nothing submitted), past due date; then the
    longest without an accepted update. Two queries (the rows and their count)."""
    briefed = dashboard.reporting_round
    missing = Q(pk__in=[])
    if briefed is not None and briefed.deadline_passed:
        # `counted` is already the reader's and of the strategy: only the round's rule.
        missing = report_missing_condition(briefed)
    severity = Case(
        When(status=ImplementationStatus.OFF_TRACK, then=Value(1)),
        When(status=ImplementationStatus.AT_RISK, then=Value(2)),
        When(missing, then=Value(3)),
        When(past_due, then=Value(4)),
        default=Value(None),
        output_field=IntegerField(),
    )
    needs_attention = counted.annotate(severity=severity).filter(severity__isnull=False)
    dashboard.attention_total = needs_attention.count()
    dashboard.attention = list(
        needs_attention.select_related("action", "organisation").order_by(
            "severity", F("last_accepted_at").asc(nulls_first=True), "pk"
        )[:ATTENTION_LIMIT]
    )


def round_trend(dashboard: Dashboard, *, user: AbstractBaseUser) -> RoundTrend:
    """Progress at each closed round up to the one briefed, and now: overall and per
    goal (for all missions, or the one chosen), and per mission (the strategy, or the
    goal chosen). Two queries: the rounds are the dashboard's."""
    strategy, goal, mission = dashboard.strategy, dashboard.goal, dashboard.mission
    briefed = dashboard.reporting_round
    rounds = sorted(
        (
            r
            for r in dashboard.rounds
            if not r.is_open
            and (
                briefed is None
                or briefed.is_open
                or r.period_start <= briefed.period_start
            )
        ),
        key=lambda r: (r.period_start, r.pk),
    )
    trend = RoundTrend(rounds=rounds)
    top = (NodeType.OBJECTIVE, goal.pk) if goal else (NodeType.STRATEGY, strategy.pk)
    goal_ids = [g.pk for g, _figures in dashboard.goals]
    rows = (
        RoundFigure.objects.visible_to(user)
        .filter(round__in=rounds, audience=Audience.INTERNAL)
        .filter(
            Q(node_type=top[0], node_id=top[1])
            | Q(
                node_type=NodeType.OBJECTIVE,
                node_id__in=goal_ids,
                organisation=mission,
            )
        )
        .order_by()
        .values_list("round_id", "node_type", "node_id", "organisation_id", "progress")
    )
    figures = {(r, t, n, o): p for r, t, n, o, p in rows}
    organisation = mission.pk if mission else None
    now = not dashboard.briefs_closed_round

    def series(node_type: str, node_id: int, org: int | None, current) -> list:
        values = [figures.get((r.pk, node_type, node_id, org)) for r in rounds]
        return [*values, current] if now else values

    trend.overall = series(*top, organisation, dashboard.overall.progress)
    trend.goals = [
        (g, series(NodeType.OBJECTIVE, g.pk, organisation, f.progress))
        for g, f in dashboard.goals
    ]
    totals = dict(dashboard.mission_totals)
    trend.missions = [
        (m, series(*top, m.pk, totals[m].progress)) for m in dashboard.missions
    ]
    return trend


def _trend_by_day(
    dashboard: Dashboard, today: datetime.date
) -> list[tuple[datetime.date, Decimal | None]]:
    """The last TREND_DAYS days of the rollup's figures for the goal and mission chosen
    (the snapshots hold no status split, so the status filter does not apply)."""
    goal, mission = dashboard.goal, dashboard.mission
    node = (
        (NodeType.OBJECTIVE, goal.pk)
        if goal
        else (NodeType.STRATEGY, dashboard.strategy.pk)
    )
    last_day = today
    if dashboard.briefs_closed_round:
        last_day = min(today, dashboard.reporting_round.closed_at.date())
    first_day = last_day - datetime.timedelta(days=TREND_DAYS - 1)
    periods = ProgressSnapshot.objects.held_since(first_day).filter(
        strategy=dashboard.strategy,
        audience=Audience.INTERNAL,
        node_type=node[0],
        node_id=node[1],
        date__lte=last_day,
        organisation=mission,
    )
    return trend_by_day(
        periods.values_list("date", "valid_until", "progress"), first_day, last_day
    )


def trend_by_day(
    periods, first_day: datetime.date, last_day: datetime.date
) -> list[tuple[datetime.date, Decimal | None]]:
    """One (day, progress) per day from `first_day` to `last_day` on which a snapshot
    period (date, valid_until, progress) held; days before the first one are left out."""
    held = sorted(periods)
    points = []
    day = first_day
    while day <= last_day:
        for start, until, progress in held:
            if start <= day and (until is None or day < until):
                points.append((day, progress))
                break
        day += datetime.timedelta(days=1)
    return points


def dashboard_implementations(
    strategy: Strategy, filters: DashboardFilters, *, user: AbstractBaseUser
) -> QuerySet[Implementation]:
    """The implementations the dashboard counts, as `user` may read them, narrowed as on
    screen; the exports list the same."""
    return filters.apply(
        Implementation.objects.visible_to(user)
        .within_missions_of(user)
        .counted(audience=Audience.INTERNAL)
        .filter(action__outcome__objective__strategy=strategy)
    )
