"""The leadership dashboard: the current state of one strategy, computed with a fixed
number of aggregate queries through the calculation rules of `objectives.progress`."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from stakeholders.models import Organisation

from ..choices import Audience, ImplementationStatus, NodeType
from ..models import (
    Implementation,
    Objective,
    ProgressSnapshot,
    Strategy,
)
from ..progress import (
    past_due_condition,
)
from .figures import (
    GoalBreakdown,
    StrategyProgress,
    active_strategies,
    chosen_strategy,
    goal_breakdown,
    strategy_progress_fill,
)

ATTENTION_LIMIT = 50


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


def leadership_dashboard(
    filters: DashboardFilters | None = None,
    page_number: Any = None,
    *,
    user: AbstractBaseUser,
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
    audience = Audience.INTERNAL
    past_due = past_due_condition(audience=audience, today=timezone.localdate())
    counted = dashboard_implementations(strategy, filters, user=user)
    strategy_progress_fill(
        dashboard, audience=audience, counted=counted, past_due=past_due
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
        | past_due
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
            past_due=past_due,
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
    strategy: Strategy, filters: DashboardFilters, *, user: AbstractBaseUser
) -> QuerySet[Implementation]:
    """The implementations the dashboard counts, as `user` may read them, narrowed as on
    screen; the exports list the same."""
    return filters.apply(
        Implementation.objects.visible_to(user)
        .counted(audience=Audience.INTERNAL)
        .filter(action__outcome__objective__strategy=strategy)
    )
