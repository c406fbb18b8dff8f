"""The public progress pages: only accepted, unclassified updates cleared for public
release count (`Audience.PUBLIC`), read through `Implementation.objects.visible_to` of
an anonymous reader and the same calculation rules as the dashboard and the rollup.
Each read is a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from principles.models import Principle
from stakeholders.models import Organisation

from ..choices import Audience, NodeType
from ..models import (
    Action,
    Implementation,
    Objective,
    ReportingRound,
    RoundFigure,
    Strategy,
)
from ..progress import (
    Figures,
    figures_by_node,
    tree_order,
)
from .figures import (
    GoalBreakdown,
    StrategyProgress,
    active_strategies,
    goal_breakdown,
    page_of,
    strategy_progress_fill,
)
from .rounds import last_closed_round

AUDIENCE = Audience.PUBLIC
# Public pages show what an anonymous reader may read, whoever asks.
ANONYMOUS = AnonymousUser()


# Past due date is an internal measure; public pages never show it.
NOT_PAST_DUE = Q(pk__in=[])


@dataclass
class PublicContext:
    """What every public page states: its strategy, the others, and how fresh it is."""

    strategy: Strategy | None = None
    strategies: list[Strategy] = field(default_factory=list)
    data_as_of: datetime.datetime | None = None
    last_verified: datetime.datetime | None = None


@dataclass
class StrategyPage(PublicContext, StrategyProgress):
    # The last closed round and its cleared figures: {(node type, node id): progress}.
    closed_round: ReportingRound | None = None
    round_progress: dict[tuple[str, int], Decimal | None] = field(default_factory=dict)

    @property
    def round_overall(self) -> Decimal | None:
        if self.strategy is None:
            return None
        return self.round_progress.get((NodeType.STRATEGY, self.strategy.pk))

    @property
    def round_by_goal(self) -> dict[int, Decimal | None]:
        return {
            node_id: progress
            for (node_type, node_id), progress in self.round_progress.items()
            if node_type == NodeType.OBJECTIVE
        }


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


def public_strategy(code: str | None) -> tuple[Strategy, list[Strategy]]:
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


def public_implementations(strategy: Strategy) -> QuerySet[Implementation]:
    return (
        Implementation.objects.visible_to(ANONYMOUS)
        .counted(audience=AUDIENCE)
        .filter(action__outcome__objective__strategy=strategy)
    )


def public_context(
    strategy: Strategy, strategies: list[Strategy], counted: QuerySet
) -> dict:
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
        past_due=NOT_PAST_DUE,
        per_organisation=per_organisation,
    )


def public_strategy_page(code: str | None = None) -> StrategyPage:
    strategy, strategies = public_strategy(code)
    counted = public_implementations(strategy)
    page = StrategyPage(**public_context(strategy, strategies, counted))
    strategy_progress_fill(
        page, audience=AUDIENCE, counted=counted, past_due=NOT_PAST_DUE
    )
    page.closed_round = last_closed_round(strategy.pk)
    if page.closed_round is not None:
        page.round_progress = {
            (node_type, node_id): progress
            for node_type, node_id, progress in RoundFigure.objects.visible_to(
                ANONYMOUS
            )
            .filter(
                round=page.closed_round,
                audience=AUDIENCE,
                organisation__isnull=True,
                node_type__in=[NodeType.STRATEGY, NodeType.OBJECTIVE],
            )
            .values_list("node_type", "node_id", "progress")
        }
    return page


def public_goal_page(strategy_code: str, goal_code: str, page_number: Any) -> GoalPage:
    strategy, strategies = public_strategy(strategy_code)
    goal = Objective.objects.in_tree().filter(strategy=strategy, code=goal_code).first()
    if goal is None:
        raise Http404("No such goal.")
    counted = public_implementations(strategy).filter(action__outcome__objective=goal)
    page = GoalPage(**public_context(strategy, strategies, counted))
    page.breakdown = goal_breakdown(
        goal,
        audience=AUDIENCE,
        counted=counted,
        past_due=NOT_PAST_DUE,
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
    strategy, strategies = public_strategy(strategy_code)
    mission = Organisation.objects.filter(code=mission_code).first()
    if mission is None:
        raise Http404("No such mission.")
    counted = public_implementations(strategy).filter(organisation=mission)
    page = MissionPage(mission=mission, **public_context(strategy, strategies, counted))
    by_goal = _by_node(counted, NodeType.OBJECTIVE)
    goals = (
        Objective.objects.in_tree().filter(strategy=strategy).order_by("order", "code")
    )
    page.goals = [(goal, by_goal.get(goal.pk, Figures())) for goal in goals]
    for _goal, figures in page.goals:
        page.figures = page.figures + figures
    page.implementations = page_of(
        counted.select_related(
            "action", "action__outcome__objective", "public_update"
        ).order_by(*tree_order("action__")),
        page_number,
    )
    return page


def public_principle_page(
    strategy_code: str, principle_code: str, page_number: Any
) -> PrinciplePage:
    strategy, strategies = public_strategy(strategy_code)
    principle = strategy.principles.filter(code=principle_code).first()
    if principle is None:
        raise Http404("No such principle in this strategy.")
    counted = public_implementations(strategy).filter(action__principles=principle)
    page = PrinciplePage(
        principle=principle, **public_context(strategy, strategies, counted)
    )
    page.action_figures = _by_node(counted, NodeType.ACTION)
    for figures in page.action_figures.values():
        page.figures = page.figures + figures
    page.actions = page_of(
        Action.objects.in_tree()
        .filter(outcome__objective__strategy=strategy, principles=principle)
        .select_related("outcome__objective")
        .order_by(*tree_order()),
        page_number,
    )
    return page
