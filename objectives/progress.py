"""How progress rolls up the strategy: one set of rules, and one sum up the tree
(`figures_up_the_tree`), for the rollup, the dashboard, the public pages and the API.
The rollup's SQL path (`services.rollup._rollup_changes_sql`) mirrors
`figures_up_the_tree` and `weighted_mean`; a test keeps their rounding equal.

- A node's progress is the weighted mean of the % complete of the applicable
  implementations under it, each weighted by its action's weight.
- Cancelled and not-applicable implementations are excluded from the mean and counted
  on their own.
- A node with no applicable implementation has no progress (None), not 0.
- Past due date: still open, and its due date (its own, or else its action's) has passed.

Every figure is computed with one GROUP BY per level of the tree, never a query per node.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from .choices import (
    STATUSES_EXCLUDED_FROM_PROGRESS,
    Audience,
    ImplementationStatus,
    NodeType,
)

# The path from an implementation up to each node of the tree.
NODE_PATHS = {
    NodeType.ACTION: "action_id",
    NodeType.OUTCOME: "action__outcome_id",
    NodeType.OBJECTIVE: "action__outcome__objective_id",
    NodeType.STRATEGY: "action__outcome__objective__strategy_id",
}
STRATEGY_PATH = NODE_PATHS[NodeType.STRATEGY]


def tree_order(to_action: str = "") -> list[str]:
    """The order of the printed strategy for rows that reach an action through
    `to_action` ("" for actions, "action__" for implementations): goal, outcome, action."""
    return [
        f"{to_action}{path}"
        for path in (
            "outcome__objective__order",
            "outcome__objective__code",
            "outcome__order",
            "outcome__code",
            "order",
            "code",
        )
    ]


STATUS_FIELDS = {
    status.value: f"{status.value}_count" for status in ImplementationStatus
}
ZERO = Decimal(0)


def status_field(audience: str) -> str:
    """Where an implementation's status and progress come from: internal figures read the
    latest accepted update, public figures the latest one cleared for public release."""
    return "status" if audience == Audience.INTERNAL else "public_update__status"


def progress_field(audience: str) -> str:
    return "progress" if audience == Audience.INTERNAL else "public_update__progress"


def accepted_at_field(audience: str) -> str:
    return (
        "last_accepted_at"
        if audience == Audience.INTERNAL
        else "public_update__accepted_at"
    )


def date_before(name: str, day: datetime.date, *, inclusive: bool = False) -> Q:
    """An implementation's start or due date (`name`) is before `day` (or on it): its
    own date, or, when it has none, its action's."""
    lookup = "lte" if inclusive else "lt"
    return Q(**{f"{name}__{lookup}": day}) | Q(
        **{f"{name}__isnull": True, f"action__{name}__{lookup}": day}
    )


def date_of(row: dict, name: str) -> datetime.date | None:
    """The implementation's own start or due date in a values() row, else its action's."""
    return row[name] if row[name] is not None else row[f"action__{name}"]


def past_due_condition(*, audience: str, today: datetime.date) -> Q:
    """Past its due date: open work (not completed, cancelled or not applicable) whose
    due date (its own, or its action's) has passed. Whether a report is missing is a
    matter of the reporting round (`selectors.rounds`), not of this figure."""
    done = [ImplementationStatus.COMPLETED, *STATUSES_EXCLUDED_FROM_PROGRESS]
    return date_before("due_date", today) & ~Q(
        **{f"{status_field(audience)}__in": done}
    )


@dataclass
class Figures:
    """The rolled-up figures of one node, for one organisation or for all."""

    weighted_sum: Decimal = ZERO
    weight_total: Decimal = ZERO
    implementation_count: int = 0
    past_due_count: int = 0
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def progress(self) -> Decimal | None:
        return weighted_mean(self.weighted_sum, self.weight_total)

    @property
    def excluded_count(self) -> int:
        """Cancelled and not-applicable work: counted, never averaged in."""
        return sum(
            self.status_counts.get(s, 0) for s in STATUSES_EXCLUDED_FROM_PROGRESS
        )

    def columns(self) -> dict[str, Any]:
        """The stored columns of these figures (`models.snapshots.FigureColumns`)."""
        return {
            "progress": self.progress,
            "weight_total": self.weight_total,
            "implementation_count": self.implementation_count,
            "past_due_count": self.past_due_count,
            **{
                name: self.status_counts.get(value, 0)
                for value, name in STATUS_FIELDS.items()
            },
        }

    def __add__(self, other: "Figures") -> "Figures":
        """Every figure is a sum, so the figures of a parent are those of its children added."""
        return Figures(
            weighted_sum=self.weighted_sum + other.weighted_sum,
            weight_total=self.weight_total + other.weight_total,
            implementation_count=self.implementation_count + other.implementation_count,
            past_due_count=self.past_due_count + other.past_due_count,
            status_counts={
                status: self.status_counts.get(status, 0)
                + other.status_counts.get(status, 0)
                for status in STATUS_FIELDS
            },
        )


def weighted_mean(
    weighted_sum: Decimal | None, weight_total: Decimal | None
) -> Decimal | None:
    if not weight_total:
        return None
    return (Decimal(weighted_sum or 0) / Decimal(weight_total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def implementation_figures(*, audience: str, past_due: Q) -> dict[str, Any]:
    """Each implementation's own contribution to every figure, as row-level expressions:
    its weighted progress and weight (zero when excluded), 1 for counted, past its due date and its
    status. A node's figures are the sums of these over the implementations under it."""
    status = status_field(audience)
    applicable = ~Q(**{f"{status}__in": list(STATUSES_EXCLUDED_FROM_PROGRESS)})
    amount = DecimalField(max_digits=20, decimal_places=4)

    def one_if(condition: Q) -> Case:
        return Case(
            When(condition, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    return {
        "weighted_sum": Case(
            When(
                applicable,
                then=ExpressionWrapper(
                    F(progress_field(audience)) * F("action__weight"),
                    output_field=amount,
                ),
            ),
            default=Value(ZERO),
            output_field=amount,
        ),
        "weight_total": Case(
            When(applicable, then=F("action__weight")),
            default=Value(ZERO),
            output_field=amount,
        ),
        "implementation_count": Value(1, output_field=IntegerField()),
        "past_due_count": one_if(past_due),
        **{name: one_if(Q(**{status: value})) for value, name in STATUS_FIELDS.items()},
    }


def aggregate_by_node(
    implementations: QuerySet,
    *,
    node_type: str,
    audience: str,
    past_due: Q,
    per_organisation: bool,
) -> QuerySet:
    """One GROUP BY: the figures of every node of one level (and organisation, if asked),
    each the sum of `implementation_figures`."""
    group = [NODE_PATHS[node_type], STRATEGY_PATH]
    if per_organisation:
        group.append("organisation_id")
    figures = implementation_figures(audience=audience, past_due=past_due)
    return (
        implementations.values(*group)
        .annotate(**{name: Sum(expression) for name, expression in figures.items()})
        .order_by()
    )


def figures_from_row(row: dict) -> Figures:
    return Figures(
        weighted_sum=Decimal(row["weighted_sum"] or 0),
        weight_total=Decimal(row["weight_total"] or 0),
        implementation_count=row["implementation_count"],
        past_due_count=row["past_due_count"],
        status_counts={value: row[name] for value, name in STATUS_FIELDS.items()},
    )


def figures_by_node(
    implementations: QuerySet,
    *,
    node_type: str,
    audience: str,
    past_due: Q,
    per_organisation: bool = False,
) -> dict:
    """One GROUP BY as figures: {node id: Figures}, or {(node id, organisation id):
    Figures} per organisation."""
    path = NODE_PATHS[node_type]
    rows = aggregate_by_node(
        implementations,
        node_type=node_type,
        audience=audience,
        past_due=past_due,
        per_organisation=per_organisation,
    )
    if per_organisation:
        return {
            (row[path], row["organisation_id"]): figures_from_row(row) for row in rows
        }
    return {row[path]: figures_from_row(row) for row in rows}


FIGURE_FIELDS = [
    "weighted_sum",
    "weight_total",
    "implementation_count",
    "past_due_count",
    *STATUS_FIELDS.values(),
]
TREE_PATHS = [
    (NodeType.ACTION, "action_id"),
    (NodeType.OUTCOME, "action__outcome_id"),
    (NodeType.OBJECTIVE, "action__outcome__objective_id"),
    (NodeType.STRATEGY, STRATEGY_PATH),
]


def _levels_from(level: str) -> list[tuple[str, str]]:
    start = [name for name, _path in TREE_PATHS].index(level)
    return TREE_PATHS[start:]


def aggregate_up_the_tree(
    implementations: QuerySet,
    *,
    audience: str,
    past_due: Q,
    from_level: str = NodeType.ACTION,
) -> QuerySet:
    """One GROUP BY per (node of `from_level`, organisation), each row with the node's
    parents up to the strategy: everything `figures_up_the_tree` needs. Readers that
    need no action figures start higher and read fewer rows."""
    figures = implementation_figures(audience=audience, past_due=past_due)
    paths = [path for _level, path in _levels_from(from_level)]
    return (
        implementations.values(*paths, "organisation_id")
        .annotate(**{name: Sum(expression) for name, expression in figures.items()})
        .order_by()
    )


def figures_up_the_tree(
    rows: Any, *, from_level: str = NodeType.ACTION
) -> dict[tuple[str, int, int | None], Figures]:
    """The sum up the tree: each (node, organisation) row of `aggregate_up_the_tree`
    added to its node and every node above it, for its organisation and for all
    (organisation None). Every figure is a sum, so a parent's figures are its
    children's added; progress is then their weighted mean, rounded by `weighted_mean`."""
    levels = _levels_from(from_level)
    totals: dict[tuple[str, int, int | None], Figures] = {}
    for row in rows:
        figures = figures_from_row(row)
        for level, path in levels:
            for organisation in (row["organisation_id"], None):
                key = (level, row[path], organisation)
                found = totals.get(key)
                totals[key] = figures if found is None else found + figures
    return totals
