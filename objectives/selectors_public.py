"""The public progress pages and open data: only accepted, unclassified updates cleared
for public release count (`Audience.PUBLIC`), through the same calculation rules as the
dashboard and the rollup. Each read is a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from principles.models import Principle
from stakeholders.models import Organisation

from .choices import Audience, NodeType
from .models import Action, Implementation, Objective, Outcome, Strategy
from .progress import (
    STATUS_FIELDS,
    Figures,
    figures_by_node,
    tree_order,
)
from .selectors_dashboard import (
    PAGE_SIZE,
    GoalBreakdown,
    StrategyProgress,
    active_strategies,
    goal_breakdown,
    strategy_progress_fill,
)
from .services.rollup import implementations_counted

AUDIENCE = Audience.PUBLIC
# Overdue is an internal measure; public pages never show it.
NOT_OVERDUE = Q(pk__in=[])


@dataclass
class PublicContext:
    """What every public page states: its strategy, the others, and how fresh it is."""

    strategy: Strategy | None = None
    strategies: list[Strategy] = field(default_factory=list)
    data_as_of: datetime.datetime | None = None
    last_verified: datetime.datetime | None = None


@dataclass
class StrategyPage(PublicContext, StrategyProgress):
    pass


@dataclass
class GoalPage(PublicContext):
    breakdown: GoalBreakdown | None = None
    missions: list[tuple[Organisation, Figures]] = field(default_factory=list)


@dataclass
class MissionPage(PublicContext):
    mission: Organisation | None = None
    figures: Figures = field(default_factory=Figures)
    goals: list[tuple[Objective, Figures]] = field(default_factory=list)
    implementations: Page | None = None


@dataclass
class PrinciplePage(PublicContext):
    principle: Principle | None = None
    figures: Figures = field(default_factory=Figures)
    actions: Page | None = None
    action_figures: dict[int, Figures] = field(default_factory=dict)


def _strategy(code: str | None) -> tuple[Strategy, list[Strategy]]:
    """The active strategy named by `code` (the first one when None), or 404."""
    strategies = active_strategies()
    if code is None:
        if not strategies:
            raise Http404("No active strategy.")
        return strategies[0], strategies
    for strategy in strategies:
        if strategy.code == code:
            return strategy, strategies
    raise Http404("No such active strategy.")


def _counted(strategy: Strategy) -> QuerySet[Implementation]:
    return implementations_counted(audience=AUDIENCE).filter(
        action__outcome__objective__strategy=strategy
    )


def _context(strategy: Strategy, strategies: list[Strategy], counted: QuerySet) -> dict:
    """One query: when the newest figure counted here was cleared for public release."""
    return {
        "strategy": strategy,
        "strategies": strategies,
        "data_as_of": timezone.now(),
        "last_verified": counted.aggregate(last=Max("public_update__cleared_at"))[
            "last"
        ],
    }


def _by_node(counted: QuerySet, node_type: str, *, per_organisation=False) -> dict:
    return figures_by_node(
        counted,
        node_type=node_type,
        audience=AUDIENCE,
        overdue=NOT_OVERDUE,
        per_organisation=per_organisation,
    )


def _page(queryset: QuerySet, number: Any) -> Page:
    """A page of PAGE_SIZE rows; two queries (count and rows), any page number."""
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def public_strategy_page(code: str | None = None) -> StrategyPage:
    strategy, strategies = _strategy(code)
    counted = _counted(strategy)
    page = StrategyPage(**_context(strategy, strategies, counted))
    strategy_progress_fill(
        page, audience=AUDIENCE, counted=counted, overdue=NOT_OVERDUE
    )
    return page


def public_goal_page(strategy_code: str, goal_code: str, page_number: Any) -> GoalPage:
    strategy, strategies = _strategy(strategy_code)
    goal = Objective.objects.current().filter(strategy=strategy, code=goal_code).first()
    if goal is None:
        raise Http404("No such goal.")
    counted = _counted(strategy).filter(action__outcome__objective=goal)
    page = GoalPage(**_context(strategy, strategies, counted))
    page.breakdown = goal_breakdown(
        goal,
        audience=AUDIENCE,
        counted=counted,
        overdue=NOT_OVERDUE,
        page_number=page_number,
    )
    by_mission = {
        organisation: figures
        for (_goal, organisation), figures in _by_node(
            counted, NodeType.OBJECTIVE, per_organisation=True
        ).items()
    }
    page.missions = [
        (mission, by_mission[mission.pk])
        for mission in Organisation.objects.filter(pk__in=by_mission).order_by("code")
    ]
    return page


def public_mission_page(
    strategy_code: str, mission_code: str, page_number: Any
) -> MissionPage:
    strategy, strategies = _strategy(strategy_code)
    mission = Organisation.objects.filter(code=mission_code).first()
    if mission is None:
        raise Http404("No such mission.")
    counted = _counted(strategy).filter(organisation=mission)
    page = MissionPage(mission=mission, **_context(strategy, strategies, counted))
    by_goal = _by_node(counted, NodeType.OBJECTIVE)
    goals = (
        Objective.objects.current().filter(strategy=strategy).order_by("order", "code")
    )
    page.goals = [(goal, by_goal.get(goal.pk, Figures())) for goal in goals]
    for _goal, figures in page.goals:
        page.figures = page.figures + figures
    page.implementations = _page(
        counted.select_related(
            "action", "action__outcome__objective", "public_update"
        ).order_by(*tree_order("action__")),
        page_number,
    )
    return page


def public_principle_page(
    strategy_code: str, principle_code: str, page_number: Any
) -> PrinciplePage:
    strategy, strategies = _strategy(strategy_code)
    principle = strategy.principles.filter(code=principle_code).first()
    if principle is None:
        raise Http404("No such principle in this strategy.")
    counted = _counted(strategy).filter(action__principles=principle)
    page = PrinciplePage(principle=principle, **_context(strategy, strategies, counted))
    page.action_figures = _by_node(counted, NodeType.ACTION)
    for figures in page.action_figures.values():
        page.figures = page.figures + figures
    page.actions = _page(
        Action.objects.current()
        .filter(outcome__objective__strategy=strategy, principles=principle)
        .select_related("outcome__objective")
        .order_by(*tree_order()),
        page_number,
    )
    return page


OPEN_DATA_FIELDS = [
    "level",
    "code",
    "title_en",
    "title_fr",
    "title_ar",
    "mission",
    "progress",
    "weight_total",
    "implementations",
    *STATUS_FIELDS.values(),
    "excluded_count",
]


def public_open_data(strategy_code: str) -> tuple[PublicContext, list[dict[str, Any]]]:
    """The public figures of every node (strategy, goal, outcome, action), for all
    missions and for each: one aggregate over (action, mission) summed up the tree, as the
    rollup does. Queries: strategies, last verified, goals, outcomes, actions, missions,
    the aggregate."""
    strategy, strategies = _strategy(strategy_code)
    counted = _counted(strategy)
    context = PublicContext(**_context(strategy, strategies, counted))
    goals = list(
        Objective.objects.current().filter(strategy=strategy).order_by("order", "code")
    )
    outcomes = list(
        Outcome.objects.current()
        .filter(objective__strategy=strategy)
        .order_by("objective__order", "objective__code", "order", "code")
    )
    actions = list(
        Action.objects.current()
        .filter(outcome__objective__strategy=strategy)
        .order_by(*tree_order())
    )
    # (node type, node id) -> organisation (None: all) -> figures
    totals: dict[tuple[str, int], dict[int | None, Figures]] = {}
    outcome_of = {action.pk: action.outcome_id for action in actions}
    goal_of = {outcome.pk: outcome.objective_id for outcome in outcomes}
    by_action = _by_node(counted, NodeType.ACTION, per_organisation=True)
    for (action_id, organisation_id), figures in by_action.items():
        outcome_id = outcome_of.get(action_id)
        for key in (
            (NodeType.ACTION, action_id),
            (NodeType.OUTCOME, outcome_id),
            (NodeType.OBJECTIVE, goal_of.get(outcome_id)),
            (NodeType.STRATEGY, strategy.pk),
        ):
            by_organisation = totals.setdefault(key, {})
            for organisation in (organisation_id, None):
                by_organisation[organisation] = (
                    by_organisation.get(organisation, Figures()) + figures
                )
    missions = dict(
        Organisation.objects.filter(
            pk__in={o for node in totals.values() for o in node if o is not None}
        ).values_list("pk", "code")
    )
    rows = []
    nodes = [
        (NodeType.STRATEGY, [strategy]),
        (NodeType.OBJECTIVE, goals),
        (NodeType.OUTCOME, outcomes),
        (NodeType.ACTION, actions),
    ]
    for node_type, items in nodes:
        for item in items:
            by_organisation = totals.get((node_type, item.pk), {})
            organisations = [
                None,
                *sorted(
                    (o for o in by_organisation if o is not None),
                    key=missions.__getitem__,
                ),
            ]
            for organisation in organisations:
                figures = by_organisation.get(organisation, Figures())
                rows.append(
                    {
                        "level": node_type,
                        "code": item.code,
                        "title_en": item.title_en or "",
                        "title_fr": item.title_fr or "",
                        "title_ar": item.title_ar or "",
                        "mission": missions.get(organisation, ""),
                        "progress": figures.progress,
                        "weight_total": figures.weight_total,
                        "implementations": figures.implementation_count,
                        **{
                            name: figures.status_counts.get(status, 0)
                            for status, name in STATUS_FIELDS.items()
                        },
                        "excluded_count": figures.excluded_count,
                    }
                )
    return context, rows
