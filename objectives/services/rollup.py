"""The periodic progress rollup: figures for every node of every active strategy, per
organisation and for all, written as the day's ProgressSnapshot rows.

Idempotent: a run replaces the day's rows in one transaction, so running it twice, or
after a crash half-way, gives exactly the rows a clean run gives.
"""

import datetime
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..choices import (
    Audience,
    NodeType,
)
from ..models import (
    Action,
    Implementation,
    Objective,
    Outcome,
    ProgressSnapshot,
    Strategy,
)
from ..progress import (
    NODE_PATHS,
    STATUS_FIELDS,
    Figures,
    aggregate_by_node,
    figures_from_row,
    overdue_condition,
)

logger = logging.getLogger(__name__)

LOCK_KEY = "objectives:rollup:lock"
SCHEDULED_KEY = "objectives:rollup:scheduled"


class RollupBusy(Exception):
    """Another rollup holds the lock; this one did nothing."""


def implementations_counted(*, audience: str) -> QuerySet[Implementation]:
    """Current implementations of current actions in active strategies; for the public,
    only those with an update cleared for public release."""
    queryset = Implementation.objects.filter(
        archived_at__isnull=True,
        action__archived_at__isnull=True,
        action__outcome__archived_at__isnull=True,
        action__outcome__objective__archived_at__isnull=True,
        action__outcome__objective__strategy__status="active",
    )
    if audience == Audience.PUBLIC:
        queryset = queryset.filter(public_update__isnull=False)
    return queryset


def rollup_compute(
    *, day: datetime.date, now: datetime.datetime | None = None
) -> list[ProgressSnapshot]:
    """The snapshot rows of one day.

    One grouped aggregate per audience gives the figures of every (action, organisation);
    every figure is a sum, so the rows for outcomes, objectives, strategies and "all
    organisations" are those sums added up the tree. Queries: 2 aggregates, 4 node lists
    and the reporting periods, whatever the size of the data.
    """
    now = now or timezone.now()
    nodes = _current_nodes()
    parents = _parents()
    rows: list[ProgressSnapshot] = []
    for audience in Audience:
        totals: dict[tuple[str, int, int | None], list] = {}
        aggregate = aggregate_by_node(
            implementations_counted(audience=audience),
            node_type=NodeType.ACTION,
            audience=audience,
            overdue=overdue_condition(audience=audience, now=now),
            per_organisation=True,
        )
        for row in aggregate.values_list(
            NODE_PATHS[NodeType.ACTION], "organisation_id", *FIGURE_FIELDS
        ):
            action_id, organisation_id, values = row[0], row[1], row[2:]
            outcome_id = parents[NodeType.ACTION].get(action_id)
            objective_id = parents[NodeType.OUTCOME].get(outcome_id)
            strategy_id = parents[NodeType.OBJECTIVE].get(objective_id)
            for key in (
                (NodeType.ACTION, action_id),
                (NodeType.OUTCOME, outcome_id),
                (NodeType.OBJECTIVE, objective_id),
                (NodeType.STRATEGY, strategy_id),
            ):
                for organisation in (organisation_id, None):
                    total = totals.get((*key, organisation))
                    if total is None:
                        totals[(*key, organisation)] = list(values)
                    else:
                        for index, value in enumerate(values):
                            total[index] += value
        for node_type, node_strategies in nodes.items():
            for node_id in node_strategies:
                if (node_type, node_id, None) not in totals:
                    totals[(node_type, node_id, None)] = [0] * len(FIGURE_FIELDS)
        for (node_type, node_id, organisation_id), values in totals.items():
            strategy_id = nodes[node_type].get(node_id)
            if strategy_id is not None:
                rows.append(
                    _snapshot(
                        day,
                        audience,
                        node_type,
                        node_id,
                        strategy_id,
                        organisation_id,
                        _figures(values),
                    )
                )
    return rows


FIGURE_FIELDS = [
    "weighted_sum",
    "weight_total",
    "implementation_count",
    "overdue_count",
    *STATUS_FIELDS.values(),
]


def _figures(values: list) -> Figures:
    return figures_from_row(dict(zip(FIGURE_FIELDS, values, strict=True)))


def _parents() -> dict[str, dict[int, int]]:
    """Each action's outcome, each outcome's objective and each objective's strategy."""
    return {
        NodeType.ACTION: dict(Action.objects.values_list("pk", "outcome_id")),
        NodeType.OUTCOME: dict(Outcome.objects.values_list("pk", "objective_id")),
        NodeType.OBJECTIVE: dict(Objective.objects.values_list("pk", "strategy_id")),
    }


def _current_nodes() -> dict[str, dict[int, int]]:
    active = {"status": "active"}
    return {
        NodeType.STRATEGY: {
            pk: pk
            for pk in Strategy.objects.filter(**active).values_list("pk", flat=True)
        },
        NodeType.OBJECTIVE: dict(
            Objective.objects.current()
            .filter(strategy__status="active")
            .values_list("pk", "strategy_id")
        ),
        NodeType.OUTCOME: dict(
            Outcome.objects.current()
            .filter(
                objective__archived_at__isnull=True,
                objective__strategy__status="active",
            )
            .values_list("pk", "objective__strategy_id")
        ),
        NodeType.ACTION: dict(
            Action.objects.current()
            .filter(
                outcome__archived_at__isnull=True,
                outcome__objective__archived_at__isnull=True,
                outcome__objective__strategy__status="active",
            )
            .values_list("pk", "outcome__objective__strategy_id")
        ),
    }


def _snapshot(
    day, audience, node_type, node_id, strategy_id, organisation_id, figures: Figures
) -> ProgressSnapshot:
    return ProgressSnapshot(
        date=day,
        audience=audience,
        node_type=node_type,
        node_id=node_id,
        strategy_id=strategy_id,
        organisation_id=organisation_id,
        progress=figures.progress,
        weight_total=figures.weight_total,
        implementation_count=figures.implementation_count,
        overdue_count=figures.overdue_count,
        **{
            name: figures.status_counts.get(value, 0)
            for value, name in STATUS_FIELDS.items()
        },
    )


def rollup_run(
    *, day: datetime.date | None = None, progress: Callable[[str], None] | None = None
) -> int:
    """Compute and store the day's snapshots, holding the rollup lock; return the row count.

    The lock expires on its own (ROLLUP_LOCK_SECONDS), so a holder that dies never blocks
    later runs for long. Raises RollupBusy if another run holds it.
    """
    say = progress or (lambda message: None)
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, timeout=settings.ROLLUP_LOCK_SECONDS):
        raise RollupBusy("another rollup is running")
    try:
        day = day or timezone.localdate()
        say(f"computing the figures for {day}")
        rows = rollup_compute(day=day)
        say(f"writing {len(rows)} snapshot rows")
        with transaction.atomic():
            ProgressSnapshot.objects.filter(date=day).delete()
            logger.info(
                "rollup.writing", extra={"day": day.isoformat(), "rows": len(rows)}
            )
            if settings.ROLLUP_WRITE_PAUSE_SECONDS:
                # Crash testing only: hold the transaction open half-written.
                time.sleep(settings.ROLLUP_WRITE_PAUSE_SECONDS)
            ProgressSnapshot.objects.bulk_create(rows, batch_size=2000)
        logger.info("rollup.done", extra={"day": day.isoformat(), "rows": len(rows)})
        return len(rows)
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def request_rollup() -> None:
    """Ask for a rollup soon; a burst of requests within the debounce window gives one run.

    Call it after commit (the services do, through transaction.on_commit).
    """
    from ..tasks import rollup_progress_task

    debounce = settings.ROLLUP_DEBOUNCE_SECONDS
    if cache.add(SCHEDULED_KEY, 1, timeout=debounce):
        rollup_progress_task.apply_async(countdown=debounce)
