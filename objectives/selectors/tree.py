"""The strategy tree with its rolled-up progress, as the API gives it: every read it needs,
in a fixed number of queries, whatever the size of the tree."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from strategy_tracker.models import column

from ..models import Action, Objective, Outcome, ProgressSnapshot, Strategy
from ..tree_format.spec import LANGUAGE_CODES


def strategy_tree(strategy: Strategy, *, audience: str) -> dict:
    """Load the current goals and outcomes onto `strategy` (`current_objectives`, each
    with `current_outcomes`) and return what the tree document needs besides: the
    current snapshot rows of `audience` for all missions, the actions by outcome, and the
    principle and stakeholder-group codes by action."""
    prefetch_related_objects(
        [strategy],
        "principles",
        "stakeholder_groups",
        Prefetch(
            "objectives",
            queryset=Objective.objects.in_tree()
            .select_related("strategy")
            .order_by("order", "code"),
            to_attr="current_objectives",
        ),
        Prefetch(
            "current_objectives__outcomes",
            queryset=Outcome.objects.in_tree().order_by("order", "code"),
            to_attr="current_outcomes",
        ),
    )
    snapshots = ProgressSnapshot.objects.current().filter(
        strategy=strategy, audience=audience, organisation__isnull=True
    )
    return {
        "audience": audience,
        "snapshots": rollup_rows(snapshots),
        **tree_codes(strategy),
        "actions_by_outcome": tree_actions(strategy),
    }


def rollup_rows(snapshots: QuerySet) -> dict[tuple[str, int], dict]:
    """The tree's rolled-up figures by (node type, node id), as plain rows."""
    return {
        (node_type, node_id): {
            "progress": None if progress is None else f"{progress:.2f}",
            "implementation_count": implementation_count,
            "past_due_count": past_due_count,
            "since": day.isoformat(),
        }
        for node_type, node_id, progress, implementation_count, past_due_count, day in (
            snapshots.values_list(
                "node_type",
                "node_id",
                "progress",
                "implementation_count",
                "past_due_count",
                "date",
            )
        )
    }


def tree_codes(strategy: Strategy) -> dict[str, dict[int, list[str]]]:
    """The principle and stakeholder-group codes of every action of the strategy, in two
    queries and without building a related manager per action."""
    found: dict[str, dict[int, list[str]]] = {}
    for key, through, target in (
        ("principles_by_action", Action.principles.through, "principle"),
        ("groups_by_action", Action.stakeholder_groups.through, "stakeholdergroup"),
    ):
        rows = (
            through.objects.filter(action__outcome__objective__strategy=strategy)
            .order_by("action_id", f"{target}__order", f"{target}__code")
            .values_list("action_id", f"{target}__code")
        )
        by_action: dict[int, list[str]] = {}
        for action_id, code in rows:
            by_action.setdefault(action_id, []).append(code)
        found[key] = by_action
    return found


TEXT_COLUMNS = [
    column(field, code) for field in ("title", "description") for code in LANGUAGE_CODES
]


def tree_actions(strategy: Strategy) -> dict[int, list[dict]]:
    """The strategy's current actions as plain rows, by outcome, in one query."""
    rows = (
        Action.objects.in_tree()
        .filter(outcome__objective__strategy=strategy)
        .order_by("outcome_id", "order", "code")
        .values(
            "id",
            "outcome_id",
            "code",
            "order",
            *TEXT_COLUMNS,
            "lead_organisation__code",
            "start_date",
            "due_date",
            "weight",
            "is_illustrative",
        )
    )
    by_outcome: dict[int, list[dict]] = {}
    for row in rows:
        by_outcome.setdefault(row["outcome_id"], []).append(row)
    return by_outcome
