"""The figures the leadership dashboard and the public pages share: one strategy's
progress overall, per goal, per goal and mission, per principle and stakeholder group, and
inside one goal. Each is a fixed number of aggregate queries through the calculation rules
of `objectives.progress`, for the implementations the caller counts (internal or public)."""

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from principles.models import Principle
from stakeholders.models import Organisation, StakeholderGroup

from ..choices import NodeType, StrategyStatus
from ..models import (
    Action,
    Objective,
    Outcome,
    Strategy,
)
from ..progress import (
    Figures,
    aggregate_up_the_tree,
    figures_by_node,
    figures_from_row,
    figures_up_the_tree,
    implementation_figures,
)

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
        Action.objects.in_tree()
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
class GoalBreakdown:
    """Inside one goal: its outcomes and a page of its actions, with their figures."""

    goal: Objective
    figures: Figures = field(default_factory=Figures)
    outcomes: list[tuple[Outcome, Figures]] = field(default_factory=list)
    actions: Page | None = None
    action_figures: dict[int, Figures] = field(default_factory=dict)


def goal_breakdown(
    goal: Objective, *, audience: str, counted: QuerySet, past_due: Q, page_number: Any
) -> GoalBreakdown:
    """Queries: the action and outcome aggregates, the outcomes, a page of actions (count
    and rows)."""
    counted = counted.filter(action__outcome__objective=goal)
    breakdown = GoalBreakdown(goal=goal)

    def by_node(node_type: str) -> dict[int, Figures]:
        return figures_by_node(
            counted, node_type=node_type, audience=audience, past_due=past_due
        )

    breakdown.action_figures = by_node(NodeType.ACTION)
    by_outcome = by_node(NodeType.OUTCOME)
    breakdown.outcomes = [
        (outcome, by_outcome.get(outcome.pk, Figures()))
        for outcome in Outcome.objects.in_tree()
        .filter(objective=goal)
        .order_by("order", "code")
    ]
    for _outcome, figures in breakdown.outcomes:
        breakdown.figures = breakdown.figures + figures
    breakdown.actions = page_of(
        Action.objects.in_tree()
        .filter(outcome__objective=goal)
        .select_related("outcome")
        .order_by("outcome__order", "outcome__code", "order", "code"),
        page_number,
    )
    return breakdown


def page_of(queryset: QuerySet, number: Any) -> Page:
    """A page of PAGE_SIZE rows; two queries (count and rows). A number that is not one
    of the pages is a 404, so that made-up numbers are never cached as pages."""
    try:
        return Paginator(queryset, PAGE_SIZE).page(number or 1)
    except InvalidPage as error:
        raise Http404(_("There is no such page.")) from error


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
    past_due: Q,
) -> StrategyProgress:
    """Fill `progress` for its strategy from the implementations `counted`, summed up
    the tree by `figures_up_the_tree`. Queries: the goals, one goal-by-mission aggregate, the missions, and for principles and
    stakeholder groups each the list, actions per item and one aggregate."""
    strategy = progress.strategy
    goals = list(
        Objective.objects.in_tree().filter(strategy=strategy).order_by("order", "code")
    )
    totals = figures_up_the_tree(
        aggregate_up_the_tree(
            counted, audience=audience, past_due=past_due, from_level=NodeType.OBJECTIVE
        ),
        from_level=NodeType.OBJECTIVE,
    )
    cells: dict[tuple[int, int], Figures] = {
        (goal_id, organisation_id): figures
        for (level, goal_id, organisation_id), figures in totals.items()
        if level == NodeType.OBJECTIVE and organisation_id is not None
    }
    progress.goals = [
        (goal, totals.get((NodeType.OBJECTIVE, goal.pk, None), Figures()))
        for goal in goals
    ]
    progress.overall = totals.get((NodeType.STRATEGY, strategy.pk, None), Figures())
    progress.missions = list(
        Organisation.objects.filter(pk__in={org for _goal, org in cells}).order_by(
            "code"
        )
    )
    progress.grid = [
        (goal, [cells.get((goal.pk, mission.pk)) for mission in progress.missions])
        for goal in goals
    ]
    figures = implementation_figures(audience=audience, past_due=past_due)
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
