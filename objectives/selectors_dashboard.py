"""The leadership dashboard: the current state of one strategy, computed with a fixed
number of aggregate queries through the calculation rules of `objectives.progress`."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup

from .choices import Audience, ImplementationStatus, NodeType, StrategyStatus
from .models import Action, Implementation, Objective, ProgressSnapshot, Strategy
from .progress import (
    NODE_PATHS,
    Figures,
    aggregate_by_node,
    figures_from_row,
    implementation_figures,
    overdue_condition,
)
from .services.rollup import implementations_counted

ATTENTION_LIMIT = 50


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
class Dashboard:
    strategy: Strategy | None
    strategies: list[Strategy]
    overall: Figures = field(default_factory=Figures)
    goals: list[tuple[Objective, Figures]] = field(default_factory=list)
    missions: list[Organisation] = field(default_factory=list)
    grid: list[tuple[Objective, list[Figures | None]]] = field(default_factory=list)
    principles: list[Coverage] = field(default_factory=list)
    stakeholder_groups: list[Coverage] = field(default_factory=list)
    attention: list[Implementation] = field(default_factory=list)
    attention_total: int = 0
    trend: list[tuple[datetime.date, Decimal | None]] = field(default_factory=list)


def leadership_dashboard(*, strategy_code: str | None = None) -> Dashboard:
    """Queries: strategies, reporting periods, goals, the goal-by-mission aggregate, the
    missions, the principles and the stakeholder groups (each: the list, actions per item,
    the aggregate), the attention list and its count, the trend; whatever the size of the
    data."""
    strategies = list(
        Strategy.objects.filter(status=StrategyStatus.ACTIVE).order_by("code")
    )
    strategy = next((s for s in strategies if s.code == strategy_code), None) or (
        strategies[0] if strategies else None
    )
    dashboard = Dashboard(strategy=strategy, strategies=strategies)
    if strategy is None:
        return dashboard
    now = timezone.now()
    audience = Audience.INTERNAL
    overdue = overdue_condition(audience=audience, now=now)
    counted = implementations_counted(audience=audience).filter(
        action__outcome__objective__strategy=strategy
    )

    goals = list(
        Objective.objects.current().filter(strategy=strategy).order_by("order", "code")
    )
    by_goal: dict[int, Figures] = {goal.pk: Figures() for goal in goals}
    cells: dict[tuple[int, int], Figures] = {}
    for row in aggregate_by_node(
        counted,
        node_type=NodeType.OBJECTIVE,
        audience=audience,
        overdue=overdue,
        per_organisation=True,
    ):
        figures = figures_from_row(row)
        goal_id = row[NODE_PATHS[NodeType.OBJECTIVE]]
        cells[(goal_id, row["organisation_id"])] = figures
        by_goal[goal_id] = by_goal.get(goal_id, Figures()) + figures
    dashboard.goals = [(goal, by_goal[goal.pk]) for goal in goals]
    for _goal, figures in dashboard.goals:
        dashboard.overall = dashboard.overall + figures
    dashboard.missions = list(
        Organisation.objects.filter(pk__in={org for _goal, org in cells}).order_by(
            "code"
        )
    )
    dashboard.grid = [
        (goal, [cells.get((goal.pk, mission.pk)) for mission in dashboard.missions])
        for goal in goals
    ]

    figures = implementation_figures(audience=audience, overdue=overdue)
    dashboard.principles = _coverage(
        strategy.principles.order_by("order", "code"),
        "principles",
        strategy,
        counted,
        figures,
    )
    dashboard.stakeholder_groups = _coverage(
        strategy.stakeholder_groups.order_by("order", "code"),
        "stakeholder_groups",
        strategy,
        counted,
        figures,
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
    dashboard.trend = list(
        ProgressSnapshot.objects.filter(
            strategy=strategy,
            audience=audience,
            node_type=NodeType.STRATEGY,
            node_id=strategy.pk,
            organisation__isnull=True,
        )
        .order_by("-date")
        .values_list("date", "progress")[:30]
    )[::-1]
    return dashboard
