"""The figures the leadership dashboard and the public pages share: one strategy's
progress overall, per goal, per goal and mission, per principle and stakeholder group, and
inside one goal. Each is a fixed number of aggregate queries through the calculation rules
of `objectives.progress`, for the implementations the caller counts (internal or public)."""

from dataclasses import dataclass, field
from decimal import Decimal
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
    STATUS_FIELDS,
    ZERO,
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
    items: QuerySet,
    relation: str,
    strategy: Strategy,
    counted: QuerySet,
    figures: dict,
    *,
    narrowed: bool = False,
) -> list[Coverage]:
    """Two grouped queries over the many-to-many `relation` of actions. Narrowed (to a
    mission, goal or status), an item's actions are those with work counted."""
    if narrowed:
        action_rows = counted.filter(**{f"action__{relation}__isnull": False}).values(
            f"action__{relation}"
        )
        actions = dict(
            action_rows.annotate(count=Count("action", distinct=True))
            .values_list(f"action__{relation}", "count")
            .order_by()
        )
    else:
        actions = dict(
            Action.objects.in_tree()
            .filter(
                outcome__objective__strategy=strategy, **{f"{relation}__isnull": False}
            )
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
    goal: Objective | None = None,
    narrowed: bool = False,
) -> StrategyProgress:
    """Fill `progress` for its strategy from the implementations `counted`, summed up
    the tree by `figures_up_the_tree`; narrowed to one `goal`, only that goal's row.
    Queries: the goals, one goal-by-mission aggregate, the missions, and for principles
    and stakeholder groups each the list, actions per item and one aggregate."""
    strategy = progress.strategy
    goals = list(
        Objective.objects.in_tree().filter(strategy=strategy).order_by("order", "code")
    )
    if goal is not None:
        goals = [g for g in goals if g.pk == goal.pk]
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
    if goal is not None:
        progress.overall = totals.get((NodeType.OBJECTIVE, goal.pk, None), Figures())
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
        narrowed=narrowed,
    )
    progress.stakeholder_groups = _coverage(
        strategy.stakeholder_groups.order_by("order", "code"),
        "stakeholder_groups",
        strategy,
        counted,
        figures,
        narrowed=narrowed,
    )
    return progress


# Stored figures ----------------------------------------------------------------------

STORED_COLUMNS = [
    "node_type",
    "node_id",
    "organisation_id",
    "progress",
    "weight_total",
    "implementation_count",
    "past_due_count",
    *STATUS_FIELDS.values(),
]


def figures_from_stored(row: dict) -> Figures:
    """The figures of a stored row (a rollup snapshot or a round's frozen figure): its
    progress times its weight stands for the weighted sum, so that the row's own
    progress comes back unchanged and rows add up like live figures."""
    progress = row["progress"]
    weight = Decimal(row["weight_total"] or 0) if progress is not None else ZERO
    return figures_from_row(
        {**row, "weighted_sum": Decimal(progress or 0) * weight, "weight_total": weight}
    )


def _stored_coverage(
    items: QuerySet,
    relation: str,
    strategy: Strategy,
    action_figures: dict[int, Figures],
    *,
    goal: Objective | None,
    narrowed: bool,
) -> list[Coverage]:
    """Each item's actions (one query for the links) and the sum of their stored
    figures. Narrowed, an item's actions are those with work counted."""
    links = Action.objects.in_tree().filter(
        outcome__objective__strategy=strategy, **{f"{relation}__isnull": False}
    )
    if goal is not None:
        links = links.filter(outcome__objective=goal)
    by_item: dict[int, set[int]] = {}
    for action_id, item_id in links.values_list("pk", relation).order_by():
        by_item.setdefault(item_id, set()).add(action_id)
    coverage = []
    for item in items:
        actions = by_item.get(item.pk, set())
        if narrowed:
            actions = {pk for pk in actions if pk in action_figures}
        total = Figures()
        for action_id in actions:
            total = total + action_figures.get(action_id, Figures())
        coverage.append(Coverage(item=item, action_count=len(actions), figures=total))
    return coverage


def stored_progress_fill(
    progress: StrategyProgress,
    rows: QuerySet,
    *,
    mission: Organisation | None = None,
    goal: Objective | None = None,
) -> StrategyProgress:
    """Fill `progress` from stored figure rows (the rollup's current snapshots, or a
    closed round's figures, of one audience) instead of counting implementations: the
    same figures, read rather than summed. Narrowed to a mission, its own rows; to a
    goal, that goal's. Queries: the goals, the strategy and goal rows, the missions, the
    action rows, and for principles and stakeholder groups each the list and links."""
    strategy = progress.strategy
    goals = list(
        Objective.objects.in_tree().filter(strategy=strategy).order_by("order", "code")
    )
    shown = [g for g in goals if goal is None or g.pk == goal.pk]
    organisation = mission.pk if mission else None
    upper = {
        (row["node_type"], row["node_id"], row["organisation_id"]): (
            figures_from_stored(row)
        )
        for row in rows.filter(
            Q(node_type=NodeType.STRATEGY, node_id=strategy.pk)
            | Q(node_type=NodeType.OBJECTIVE, node_id__in=[g.pk for g in shown])
        ).values(*STORED_COLUMNS)
    }
    node = (NodeType.OBJECTIVE, goal.pk) if goal else (NodeType.STRATEGY, strategy.pk)
    progress.overall = upper.get((*node, organisation), Figures())
    progress.goals = [
        (g, upper.get((NodeType.OBJECTIVE, g.pk, organisation), Figures()))
        for g in shown
    ]
    mission_ids = {
        key[2]
        for key in upper
        if key[0] == NodeType.OBJECTIVE
        and key[2] is not None
        and (mission is None or key[2] == mission.pk)
    }
    progress.missions = list(
        Organisation.objects.filter(pk__in=mission_ids).order_by("code")
    )
    progress.grid = [
        (g, [upper.get((NodeType.OBJECTIVE, g.pk, m.pk)) for m in progress.missions])
        for g in shown
    ]
    action_figures = {
        row["node_id"]: figures_from_stored(row)
        for row in rows.filter(
            node_type=NodeType.ACTION, organisation_id=organisation
        ).values(*STORED_COLUMNS)
        if row["implementation_count"]
    }
    narrowed = mission is not None or goal is not None
    for name, items in (
        ("principles", strategy.principles.order_by("order", "code")),
        ("stakeholder_groups", strategy.stakeholder_groups.order_by("order", "code")),
    ):
        setattr(
            progress,
            name,
            _stored_coverage(
                items, name, strategy, action_figures, goal=goal, narrowed=narrowed
            ),
        )
    return progress
