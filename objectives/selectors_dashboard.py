"""The leadership dashboard: the current state of one strategy, computed with a fixed
number of aggregate queries through the calculation rules of `objectives.progress`."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup

from .choices import Audience, ImplementationStatus, NodeType, StrategyStatus
from .models import (
    Action,
    Implementation,
    Objective,
    Outcome,
    ProgressSnapshot,
    Strategy,
)
from .progress import (
    Figures,
    figures_by_node,
    figures_from_row,
    implementation_figures,
    overdue_condition,
)
from .services.rollup import implementations_counted

ATTENTION_LIMIT = 50
PAGE_SIZE = 100


@dataclass
class Coverage:
    """A principle or stakeholder group: the current actions tagged with it and the
    figures of their implementations."""

    item: Principle | StakeholderGroup
    action_count: int
    figures: Figures


def _coverage(
    items: QuerySet, relation: str, strategy: Strategy, counted: QuerySet, figures: dict
) -> list[Coverage]:
    """Two grouped queries over the many-to-many `relation` of actions."""
    actions = dict(
        Action.objects.current()
        .filter(outcome__objective__strategy=strategy, **{f"{relation}__isnull": False})
        .values_list(relation)
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    path = f"action__{relation}"
    totals = {
        row[path]: figures_from_row(row)
        for row in counted.filter(**{f"{path}__isnull": False})
        .values(path)
        .annotate(**{name: Sum(expression) for name, expression in figures.items()})
        .order_by()
    }
    return [
        Coverage(
            item=item,
            action_count=actions.get(item.pk, 0),
            figures=totals.get(item.pk, Figures()),
        )
        for item in items
    ]


@dataclass
class StrategyProgress:
    """One strategy's figures for one audience: overall, per goal, per goal and mission,
    per principle and per stakeholder group."""

    strategy: Strategy | None
    overall: Figures = field(default_factory=Figures)
    goals: list[tuple[Objective, Figures]] = field(default_factory=list)
    missions: list[Organisation] = field(default_factory=list)
    grid: list[tuple[Objective, list[Figures | None]]] = field(default_factory=list)
    principles: list[Coverage] = field(default_factory=list)
    stakeholder_groups: list[Coverage] = field(default_factory=list)

    @property
    def mission_totals(self) -> list[tuple[Organisation, Figures]]:
        """Each mission's figures over all goals: the columns of the grid added up."""
        totals = []
        for index, mission in enumerate(self.missions):
            total = Figures()
            for _goal, row in self.grid:
                if row[index] is not None:
                    total = total + row[index]
            totals.append((mission, total))
        return totals


@dataclass
class DashboardFilters:
    """What the leadership narrows the dashboard (and its exports) to."""

    strategy: str | None = None
    mission: str | None = None
    goal: str | None = None
    status: str | None = None

    @classmethod
    def from_query(cls, query) -> "DashboardFilters":
        return cls(
            **{
                name: (query.get(name) or None)
                for name in ("strategy", "mission", "goal", "status")
            }
        )

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
    def narrowed(self) -> bool:
        return bool(self.mission or self.goal or self.status)


@dataclass
class GoalBreakdown:
    """Inside one goal: its outcomes and a page of its actions, with their figures."""

    goal: Objective
    figures: Figures = field(default_factory=Figures)
    outcomes: list[tuple[Outcome, Figures]] = field(default_factory=list)
    actions: Page | None = None
    action_figures: dict[int, Figures] = field(default_factory=dict)


def goal_breakdown(
    goal: Objective, *, audience: str, counted: QuerySet, overdue: Q, page_number: Any
) -> GoalBreakdown:
    """Queries: the action and outcome aggregates, the outcomes, a page of actions (count
    and rows)."""
    counted = counted.filter(action__outcome__objective=goal)
    breakdown = GoalBreakdown(goal=goal)

    def by_node(node_type: str) -> dict[int, Figures]:
        return figures_by_node(
            counted, node_type=node_type, audience=audience, overdue=overdue
        )

    breakdown.action_figures = by_node(NodeType.ACTION)
    by_outcome = by_node(NodeType.OUTCOME)
    breakdown.outcomes = [
        (outcome, by_outcome.get(outcome.pk, Figures()))
        for outcome in Outcome.objects.current()
        .filter(objective=goal)
        .order_by("order", "code")
    ]
    for _outcome, figures in breakdown.outcomes:
        breakdown.figures = breakdown.figures + figures
    breakdown.actions = Paginator(
        Action.objects.current()
        .filter(outcome__objective=goal)
        .select_related("outcome")
        .order_by("outcome__order", "outcome__code", "order", "code"),
        PAGE_SIZE,
    ).get_page(page_number)
    return breakdown


@dataclass
class Dashboard(StrategyProgress):
    strategies: list[Strategy] = field(default_factory=list)
    filters: DashboardFilters = field(default_factory=DashboardFilters)
    all_missions: list[Organisation] = field(default_factory=list)
    attention: list[Implementation] = field(default_factory=list)
    attention_total: int = 0
    trend: list[tuple[datetime.date, Decimal | None]] = field(default_factory=list)
    breakdown: GoalBreakdown | None = None

    @property
    def all_goals(self) -> list[Objective]:
        """Every current goal, to filter by (the figures may be narrowed, the list not)."""
        return [goal for goal, _figures in self.goals]


def active_strategies() -> list[Strategy]:
    """The newest first: the public home and the dashboard open on it."""
    return list(
        Strategy.objects.filter(status=StrategyStatus.ACTIVE).order_by(
            F("published").desc(nulls_last=True), "code"
        )
    )


def chosen_strategy(strategies: list[Strategy], code: str | None) -> Strategy | None:
    """The strategy named by `code`, else the first one (None when there is none)."""
    return next((s for s in strategies if s.code == code), None) or (
        strategies[0] if strategies else None
    )


def strategy_progress_fill(
    progress: StrategyProgress,
    *,
    audience: str,
    counted: QuerySet,
    overdue: Q,
) -> StrategyProgress:
    """Fill `progress` for its strategy from the implementations `counted`. Queries: the
    goals, one goal-by-mission aggregate, the missions, and for principles and
    stakeholder groups each the list, actions per item and one aggregate."""
    strategy = progress.strategy
    goals = list(
        Objective.objects.current().filter(strategy=strategy).order_by("order", "code")
    )
    by_goal: dict[int, Figures] = {goal.pk: Figures() for goal in goals}
    cells: dict[tuple[int, int], Figures] = figures_by_node(
        counted,
        node_type=NodeType.OBJECTIVE,
        audience=audience,
        overdue=overdue,
        per_organisation=True,
    )
    for (goal_id, _organisation_id), figures in cells.items():
        by_goal[goal_id] = by_goal.get(goal_id, Figures()) + figures
    progress.goals = [(goal, by_goal[goal.pk]) for goal in goals]
    for _goal, figures in progress.goals:
        progress.overall = progress.overall + figures
    progress.missions = list(
        Organisation.objects.filter(pk__in={org for _goal, org in cells}).order_by(
            "code"
        )
    )
    progress.grid = [
        (goal, [cells.get((goal.pk, mission.pk)) for mission in progress.missions])
        for goal in goals
    ]
    figures = implementation_figures(audience=audience, overdue=overdue)
    progress.principles = _coverage(
        strategy.principles.order_by("order", "code"),
        "principles",
        strategy,
        counted,
        figures,
    )
    progress.stakeholder_groups = _coverage(
        strategy.stakeholder_groups.order_by("order", "code"),
        "stakeholder_groups",
        strategy,
        counted,
        figures,
    )
    return progress


def leadership_dashboard(
    filters: DashboardFilters | None = None, page_number: Any = None
) -> Dashboard:
    """Queries: strategies, reporting periods, the figures of `strategy_progress_fill`,
    the missions to filter by, the attention list and its count, the trend;
    whatever the size of the data."""
    filters = filters or DashboardFilters()
    strategies = active_strategies()
    strategy = chosen_strategy(strategies, filters.strategy)
    dashboard = Dashboard(strategy=strategy, strategies=strategies, filters=filters)
    if strategy is None:
        return dashboard
    now = timezone.now()
    audience = Audience.INTERNAL
    overdue = overdue_condition(audience=audience, now=now)
    counted = dashboard_implementations(strategy, filters)
    strategy_progress_fill(
        dashboard, audience=audience, counted=counted, overdue=overdue
    )
    dashboard.all_missions = list(
        Organisation.objects.filter(
            implementations__action__outcome__objective__strategy=strategy
        )
        .distinct()
        .order_by("code")
    )

    needs_attention = counted.filter(
        Q(status__in=[ImplementationStatus.AT_RISK, ImplementationStatus.OFF_TRACK])
        | overdue
    )
    dashboard.attention_total = needs_attention.count()
    dashboard.attention = list(
        needs_attention.select_related("action", "organisation").order_by(
            F("last_accepted_at").asc(nulls_first=True), "pk"
        )[:ATTENTION_LIMIT]
    )
    goal = next((g for g in dashboard.all_goals if g.code == filters.goal), None)
    if goal is not None:
        dashboard.breakdown = goal_breakdown(
            goal,
            audience=audience,
            counted=counted,
            overdue=overdue,
            page_number=page_number,
        )
    # The trend follows the goal and mission filters (the snapshots hold no status split).
    node = (NodeType.OBJECTIVE, goal.pk) if goal else (NodeType.STRATEGY, strategy.pk)
    organisation = (
        {"organisation__code": filters.mission}
        if filters.mission
        else {"organisation__isnull": True}
    )
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=TREND_DAYS - 1)
    periods = ProgressSnapshot.objects.held_since(first_day).filter(
        strategy=strategy,
        audience=audience,
        node_type=node[0],
        node_id=node[1],
        date__lte=today,
        **organisation,
    )
    dashboard.trend = trend_by_day(
        periods.values_list("date", "valid_until", "progress"), first_day, today
    )
    return dashboard


TREND_DAYS = 30


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
    strategy: Strategy, filters: DashboardFilters
) -> QuerySet[Implementation]:
    """The implementations the dashboard counts, narrowed as on screen; the exports list
    the same."""
    return filters.apply(
        implementations_counted(audience=Audience.INTERNAL).filter(
            action__outcome__objective__strategy=strategy
        )
    )
