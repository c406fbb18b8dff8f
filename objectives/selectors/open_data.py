"""Open data: the public figures of every node of a strategy (strategy, goals, outcomes,
actions), for all missions and for each, as the rollup stored them. Nothing is summed
here: the rollup is the one calculation, and open data reads its current public rows."""

from typing import Any

from django.db.models import Max

from stakeholders.models import Organisation
from strategy_tracker.models import localized_fields

from ..choices import Audience, NodeType
from ..models import Action, Objective, Outcome, ProgressSnapshot
from ..progress import STATUS_FIELDS, tree_order
from .public import (
    PublicContext,
    public_context,
    public_implementations,
    public_strategy,
)

OPEN_DATA_FIELDS = [
    "level",
    "code",
    *localized_fields("title"),
    "mission",
    "progress",
    "weight_total",
    "implementations",
    *STATUS_FIELDS.values(),
    "excluded_count",
]
_EXCLUDED = ["cancelled_count", "not_applicable_count"]
_SNAPSHOT_FIGURES = [
    "progress",
    "weight_total",
    "implementation_count",
    *STATUS_FIELDS.values(),
]
_NO_FIGURES = {
    "progress": None,
    "weight_total": 0,
    "implementation_count": 0,
    **dict.fromkeys(STATUS_FIELDS.values(), 0),
}


def public_open_data(strategy_code: str) -> tuple[PublicContext, list[dict[str, Any]]]:
    """Every node in the order of the printed strategy, each with its row for all
    missions and then one per mission (by code). `data_as_of` is when the rollup last
    wrote these figures. Queries: strategies, last verified, goals, outcomes, actions,
    the snapshots and their time, the missions."""
    strategy, strategies = public_strategy(strategy_code)
    context = PublicContext(
        **public_context(strategy, strategies, public_implementations(strategy))
    )
    nodes = [
        (NodeType.STRATEGY, [strategy]),
        (
            NodeType.OBJECTIVE,
            Objective.objects.in_tree()
            .filter(strategy=strategy)
            .order_by("order", "code"),
        ),
        (
            NodeType.OUTCOME,
            Outcome.objects.in_tree()
            .filter(objective__strategy=strategy)
            .order_by("objective__order", "objective__code", "order", "code"),
        ),
        (
            NodeType.ACTION,
            Action.objects.in_tree()
            .filter(outcome__objective__strategy=strategy)
            .order_by(*tree_order()),
        ),
    ]
    snapshots = ProgressSnapshot.objects.current().filter(
        strategy=strategy, audience=Audience.PUBLIC
    )
    context.data_as_of = (
        snapshots.aggregate(written=Max("updated_at"))["written"] or context.data_as_of
    )
    # (node type, node id) -> organisation (None: all) -> figures
    stored: dict[tuple[str, int], dict[int | None, dict]] = {}
    for row in snapshots.values(
        "node_type", "node_id", "organisation_id", *_SNAPSHOT_FIGURES
    ):
        stored.setdefault((row["node_type"], row["node_id"]), {})[
            row["organisation_id"]
        ] = row
    missions = dict(
        Organisation.objects.filter(
            pk__in={o for node in stored.values() for o in node if o is not None}
        ).values_list("pk", "code")
    )
    rows = []
    for node_type, items in nodes:
        for item in items:
            by_organisation = stored.get((node_type, item.pk), {})
            organisations = [
                None,
                *sorted(
                    (o for o in by_organisation if o is not None),
                    key=missions.__getitem__,
                ),
            ]
            for organisation in organisations:
                figures = by_organisation.get(organisation, _NO_FIGURES)
                rows.append(
                    {
                        "level": node_type,
                        "code": item.code,
                        **{
                            column: getattr(item, column) or ""
                            for column in localized_fields("title")
                        },
                        "mission": missions.get(organisation, ""),
                        "progress": figures["progress"],
                        "weight_total": figures["weight_total"],
                        "implementations": figures["implementation_count"],
                        **{name: figures[name] for name in STATUS_FIELDS.values()},
                        "excluded_count": sum(figures[name] for name in _EXCLUDED),
                    }
                )
    return context, rows
