"""The periodic progress rollup: figures for every node of every active strategy, per
organisation and for all, kept as ProgressSnapshot rows that each hold from their `date`
until their `valid_until`.

A run compares the figures it computes with the current rows and writes only what moved:
a node whose figures changed gets its current row closed and a new row dated the run's
day (a row opened that same day is rewritten in place), a node that left the tree gets its
row closed, a new node gets a row. All of it happens in one transaction, so running it
twice, or again after a crash half-way, gives exactly the rows one clean run gives.
"""

import datetime
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
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
    RollupRequest,
    RollupRun,
    Strategy,
)
from ..progress import (
    FIGURE_FIELDS,
    STRATEGY_PATH,
    Figures,
    aggregate_up_the_tree,
    figures_up_the_tree,
    implementation_figures,
    past_due_condition,
)

logger = logging.getLogger(__name__)

LOCK_KEY = "objectives:rollup:lock"
# How long the record of each run is kept (the dashboard reads only the latest).
RUNS_KEPT_DAYS = 30
# The PostgreSQL advisory lock of the rollup: this fixed number and the database's name
# (advisory locks are cluster-wide; two trackers on one server never block each other).
ADVISORY_LOCK_ID = 2021
ADVISORY_LOCK_SQL = "SELECT {}(%s, hashtext(current_database()))"


class RollupBusy(Exception):
    """Another rollup holds the lock; this one did nothing."""


class RollupDayPassed(ValueError):
    """Snapshots of a later day exist; a rollup cannot go back in time."""


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
    nodes = current_nodes()
    rows: list[ProgressSnapshot] = []
    for audience in Audience:
        totals = figures_up_the_tree(
            aggregate_up_the_tree(
                Implementation.objects.counted(audience=audience),
                audience=audience,
                past_due=past_due_condition(audience=audience, today=day),
            )
        )
        for node_type, node_strategies in nodes.items():
            for node_id in node_strategies:
                totals.setdefault((node_type, node_id, None), Figures())
        for (node_type, node_id, organisation_id), figures in totals.items():
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
                        figures,
                    )
                )
    return rows


def _current_node_lists(strategy_id: int | None = None) -> dict[str, QuerySet]:
    """(node_ref, strategy_ref) of every current node of every active strategy (or of
    one strategy), per type."""
    querysets = {
        NodeType.STRATEGY: (Strategy.objects.active(), "pk"),
        NodeType.OBJECTIVE: (Objective.objects.counted(), "strategy_id"),
        NodeType.OUTCOME: (Outcome.objects.counted(), "objective__strategy_id"),
        NodeType.ACTION: (Action.objects.counted(), "outcome__objective__strategy_id"),
    }
    lists = {}
    for node_type, (queryset, strategy_path) in querysets.items():
        if strategy_id is not None:
            queryset = queryset.filter(**{strategy_path: strategy_id})
        lists[node_type] = queryset.annotate(
            node_ref=F("pk"), strategy_ref=F(strategy_path)
        ).values_list("node_ref", "strategy_ref")
    return lists


def current_nodes(strategy_id: int | None = None) -> dict[str, dict[int, int]]:
    """{node type: {node id: strategy id}} of the current tree (`_current_node_lists`)."""
    return {
        node_type: dict(queryset)
        for node_type, queryset in _current_node_lists(strategy_id).items()
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
        **figures.columns(),
    )


def rollup_run(
    *, day: datetime.date | None = None, progress: Callable[[str], None] | None = None
) -> int:
    """Compute the figures now and store them as the snapshots of `day` (today by
    default), holding the rollup lock; return how many rows hold on that day.

    On PostgreSQL the database sums the figures up the tree and compares them with the
    current rows (`_rollup_changes_sql`); no row passes through Python. Elsewhere
    `rollup_compute` sums in Python and `_rollup_changes_python` compares. Both read the
    per-action aggregate of `objectives.progress`; a test keeps them equal.

    Holds `rollup_lock`, which dies with a holder that dies. Deletes the rollup requests
    made before it started, in the transaction that writes the rows. Raises RollupBusy if
    another run holds the lock, RollupDayPassed if snapshots of a later day exist.
    """
    say = progress or (lambda message: None)
    with rollup_lock():
        day = day or timezone.localdate()
        now = timezone.now()
        if _snapshots_after(day).exists():
            raise RollupDayPassed(
                f"snapshots after {day} exist; a rollup stores the figures of today or later"
            )
        in_database = _writes_in_database()
        rows: list[ProgressSnapshot] = []
        if not in_database:
            say(f"computing the figures for {day}")
            rows = rollup_compute(day=day, now=now)
        with transaction.atomic():
            say(
                f"comparing with the current snapshots and writing what changed on {day}"
            )
            logger.info("rollup.writing", extra={"day": day.isoformat()})
            if settings.ROLLUP_WRITE_PAUSE_SECONDS:
                # Crash testing only: hold the transaction open half-written.
                ProgressSnapshot.objects.current().update(updated_at=now)
                time.sleep(settings.ROLLUP_WRITE_PAUSE_SECONDS)
            if in_database:
                changed = _rollup_changes_sql(day=day, now=now)
            else:
                changed = _rollup_changes_python(day=day, now=now, rows=rows)
            count = ProgressSnapshot.objects.current().count()
            # What was asked for before this run started is now done.
            RollupRequest.objects.filter(requested_at__lte=now).delete()
            RollupRun.objects.create(
                day=day, finished_at=timezone.now(), rows=count, changed=changed
            )
            RollupRun.objects.filter(
                finished_at__lt=now - datetime.timedelta(days=RUNS_KEPT_DAYS)
            ).delete()
        say(f"{count} snapshot rows hold on {day}; {changed} rows written")
        logger.info(
            "rollup.done",
            extra={"day": day.isoformat(), "rows": count, "changed": changed},
        )
        return count


def rollup_requested() -> None:
    """Record that a rollup is wanted; the caller's transaction holds it."""
    RollupRequest.objects.create(requested_at=timezone.now())


def rollup_due() -> bool:
    return RollupRequest.objects.exists()


@contextmanager
def rollup_lock() -> Iterator[None]:
    """One rollup at a time. On PostgreSQL a session advisory lock, which dies with its
    holder's connection: a worker killed mid-run never leaves it behind. Elsewhere (the
    embedded default, one process) a cache entry that expires after ROLLUP_LOCK_SECONDS.
    Raises RollupBusy when another run holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                ADVISORY_LOCK_SQL.format("pg_try_advisory_lock"), [ADVISORY_LOCK_ID]
            )
            if not cursor.fetchone()[0]:
                raise RollupBusy("another rollup is running")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    ADVISORY_LOCK_SQL.format("pg_advisory_unlock"), [ADVISORY_LOCK_ID]
                )
        return
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, timeout=settings.ROLLUP_LOCK_SECONDS):
        raise RollupBusy("another rollup is running")
    try:
        yield
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def _snapshots_after(day: datetime.date) -> QuerySet[ProgressSnapshot]:
    """Rows dated after `day`; each half reads its own (date-first) unique index."""
    return ProgressSnapshot.objects.filter(
        Q(organisation__isnull=True) | Q(organisation__isnull=False), date__gt=day
    )


def _writes_in_database() -> bool:
    return connection.vendor == "postgresql"


def _snapshot_key(row: ProgressSnapshot) -> tuple:
    return (row.audience, row.node_type, row.node_id, row.organisation_id)


def _rollup_changes_python(
    *, day: datetime.date, now: datetime.datetime, rows: list[ProgressSnapshot]
) -> int:
    """Write what changed between the computed rows and the current ones; return how
    many rows were inserted, updated or deleted. The portable twin of
    `_rollup_changes_sql`."""
    computed = {_snapshot_key(row): row for row in rows}
    opened_today, closed, created, deleted = [], [], [], []
    for old in ProgressSnapshot.objects.current().order_by():
        new = computed.pop(_snapshot_key(old), None)
        if new is not None and _values(new) == _values(old):
            continue
        if old.date < day:
            closed.append(old.pk)
            if new is not None:
                created.append(new)
        elif new is None:
            deleted.append(old.pk)
        else:
            for name in _VALUE_FIELDS:
                setattr(old, name, getattr(new, name))
            old.updated_at = now
            opened_today.append(old)
    created += computed.values()
    for start in range(0, max(len(closed), len(deleted)), 500):
        ProgressSnapshot.objects.filter(pk__in=closed[start : start + 500]).update(
            valid_until=day, updated_at=now
        )
        ProgressSnapshot.objects.filter(pk__in=deleted[start : start + 500]).delete()
    ProgressSnapshot.objects.bulk_update(
        opened_today, [*_VALUE_FIELDS, "updated_at"], batch_size=500
    )
    ProgressSnapshot.objects.bulk_create(created, batch_size=500)
    return len(opened_today) + len(closed) + len(created) + len(deleted)


def _values(row: ProgressSnapshot) -> tuple:
    return tuple(getattr(row, name) for name in _VALUE_FIELDS)


# The levels of the tree, each with the column naming its node; strategy_id is in every
# grouping set.
_LEVELS = [
    (NodeType.ACTION, "action_id"),
    (NodeType.OUTCOME, "outcome_id"),
    (NodeType.OBJECTIVE, "objective_id"),
    (NodeType.STRATEGY, "strategy_id"),
]
_COUNT_FIELDS = FIGURE_FIELDS[2:]
_KEY = ["audience", "node_type", "node_id"]
_CHANGES = "objectives_rollup_changes"
# For the rollup's transaction only, measured on 100,000 implementations (README):
PLANNER_SETTINGS = [
    # JIT would compile some 300 expressions, which takes longer than it saves.
    "jit = off",
    # Reading each cleared update and the current snapshots by index, in key order, is
    # cheaper than hashing whole tables on SSD storage, where random reads cost about as
    # much as sequential ones.
    "random_page_cost = 1.1",
    # Sorts and hashes of some 200,000 rows stay in memory (one rollup runs at a time).
    "work_mem = '32MB'",
]
_VALUE_FIELDS = ["progress", "weight_total", *_COUNT_FIELDS]


def _compiled(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _rollup_changes_sql(*, day: datetime.date, now: datetime.datetime) -> int:
    """PostgreSQL, mirroring `progress.figures_up_the_tree` (the sums) and
    `progress.weighted_mean` (ROUND(..., 2) of a numeric rounds half away from zero, as
    ROUND_HALF_UP does for these non-negative figures): each implementation's figures are its action's for its organisation;
    sum them per action, and per (outcome, organisation), and those up to goals and
    strategies with GROUPING SETS; give current nodes with nothing under them a zero row.
    Keep, in a temporary table, the computed rows that differ from the current stored
    rows: one full join of the two tells which node is new, which changed and which left
    the tree. Then close, rewrite, delete and insert from that table; no row passes
    through Python, and a run that finds no change writes nothing.

    Returns the number of rows inserted, updated or deleted.
    """
    params: list = []
    per_implementation = []
    tree_columns = {
        "action_ref": "action_id",
        "outcome_ref": "action__outcome_id",
        "objective_ref": "action__outcome__objective_id",
        "strategy_ref": STRATEGY_PATH,
        "organisation_ref": "organisation_id",
    }
    for audience in Audience:
        figures = implementation_figures(
            audience=audience,
            past_due=past_due_condition(audience=audience, today=day),
        )
        sql, sql_params = _compiled(
            Implementation.objects.counted(audience=audience)
            .annotate(
                **{alias: F(path) for alias, path in tree_columns.items()}, **figures
            )
            .values_list(*tree_columns, *FIGURE_FIELDS)
            .order_by()  # the models' default ordering would sort every row for nothing
        )
        columns = ", ".join(f'row."{name}"' for name in [*tree_columns, *FIGURE_FIELDS])
        per_implementation.append(f"SELECT %s, {columns} FROM ({sql}) AS row")
        params += [audience.value, *sql_params]
    node_lists = []
    for node_type, queryset in _current_node_lists().items():
        sql, sql_params = _compiled(queryset.order_by())
        node_lists.append(
            f'SELECT %s, node."node_ref", node."strategy_ref" FROM ({sql}) AS node'
        )
        params += [node_type.value, *sql_params]

    # Outcomes, goals and strategies, per organisation and for all, are sums of the few
    # hundred (outcome, organisation) rows, not of every implementation.
    action, upper_levels = NodeType.ACTION.value, _LEVELS[1:]
    node_type = (
        "CASE "
        + " ".join(
            f"WHEN GROUPING({column}) = 0 THEN '{level.value}'"
            for level, column in upper_levels[:-1]
        )
        + f" ELSE '{NodeType.STRATEGY.value}' END"
    )
    grouping_sets = ", ".join(
        f"(audience, strategy_id{level}{organisation})"
        for level in ["", *(f", {column}" for _, column in upper_levels[:-1])]
        for organisation in ("", ", organisation_id")
    )
    sums = ", ".join(f"SUM({name}) AS {name}" for name in FIGURE_FIELDS)
    progress = (
        "CASE WHEN SUM(weight_total) > 0 "
        "THEN ROUND(SUM(weighted_sum) / SUM(weight_total), 2) END AS progress"
    )
    counts = ", ".join(f"SUM({name}) AS {name}" for name in _VALUE_FIELDS[1:])
    table = ProgressSnapshot._meta.db_table
    zeros = ", ".join("0" for _ in _VALUE_FIELDS[1:])
    changed = " OR ".join(
        f"joined.{name} IS DISTINCT FROM joined.old_{name}" for name in _VALUE_FIELDS
    )
    # One join of the computed rows with the current rows, for the rows of all
    # organisations and for those of each (plain equalities, so the database may hash).
    stored_columns = ", ".join(["id", "date", *_KEY, "organisation_id", *_VALUE_FIELDS])
    old_values = ", ".join(f"old.{name} AS old_{name}" for name in _VALUE_FIELDS)
    joined = " UNION ALL ".join(
        f"""
        SELECT complete.*, complete.audience IS NOT NULL AS computed,
               old.id AS old_id, old.date AS old_date, {old_values}
        FROM (SELECT * FROM complete WHERE organisation_id IS {nullness}) AS complete
        FULL OUTER JOIN (
            SELECT {stored_columns} FROM {table}
            WHERE valid_until IS NULL AND organisation_id IS {nullness}
        ) AS old ON {" AND ".join(f"complete.{name} = old.{name}" for name in keys)}
        """
        for nullness, keys in (
            ("NULL", _KEY),
            ("NOT NULL", [*_KEY, "organisation_id"]),
        )
    )
    changes = f"""
        CREATE TEMPORARY TABLE {_CHANGES} ON COMMIT DROP AS
        WITH tree (audience, action_id, outcome_id, objective_id, strategy_id,
                   organisation_id, {", ".join(FIGURE_FIELDS)})
            AS MATERIALIZED ({" UNION ALL ".join(per_implementation)}),
        nodes (node_type, node_id, strategy_id) AS ({" UNION ALL ".join(node_lists)}),
        by_outcome AS MATERIALIZED (
            SELECT audience, strategy_id, objective_id, outcome_id, organisation_id,
                   {sums}
            FROM tree GROUP BY audience, strategy_id, objective_id, outcome_id,
                               organisation_id
        ),
        summed AS (
            -- An implementation is one (action, organisation): its row is the action's
            -- for that organisation (unique per action and organisation).
            SELECT audience, '{action}' AS node_type, action_id AS node_id,
                   strategy_id, organisation_id,
                   CASE WHEN weight_total > 0
                        THEN ROUND(weighted_sum / weight_total, 2) END AS progress,
                   {", ".join(_VALUE_FIELDS[1:])}
            FROM tree
            UNION ALL
            SELECT audience, '{action}', action_id, strategy_id, NULL,
                   {progress}, {counts}
            FROM tree GROUP BY audience, strategy_id, action_id
            UNION ALL
            SELECT audience, {node_type},
                   COALESCE({", ".join(column for _, column in upper_levels)}),
                   strategy_id, organisation_id, {progress}, {counts}
            FROM by_outcome
            GROUP BY GROUPING SETS ({grouping_sets})
        ),
        complete AS (
            SELECT * FROM summed
            UNION ALL
            SELECT audience, nodes.node_type, nodes.node_id, nodes.strategy_id, NULL,
                   NULL, {zeros}
            FROM nodes CROSS JOIN (VALUES {
        ", ".join(f"('{a.value}')" for a in Audience)
    }) AS audiences (audience)
            WHERE NOT EXISTS (
                SELECT 1 FROM summed
                WHERE summed.organisation_id IS NULL AND summed.audience = audiences.audience
                  AND summed.node_type = nodes.node_type AND summed.node_id = nodes.node_id)
        )
        SELECT * FROM ({joined}) AS joined
        WHERE old_id IS NULL OR NOT computed OR ({changed})
    """
    values = ", ".join(_VALUE_FIELDS)
    writes = [
        # A row opened today whose node left the tree: as if never written.
        (
            f"""DELETE FROM {table} USING {_CHANGES} AS change
                WHERE {table}.id = change.old_id AND NOT change.computed
                  AND change.old_date = %s""",
            [day],
        ),
        # A row opened today whose figures moved again: rewritten in place.
        (
            f"""UPDATE {table} SET updated_at = %s, {
                ", ".join(f"{name} = change.{name}" for name in _VALUE_FIELDS)
            }
                FROM {_CHANGES} AS change
                WHERE {table}.id = change.old_id AND change.computed
                  AND change.old_date = %s""",
            [now, day],
        ),
        # An earlier row whose figures moved or whose node left: it held until today.
        (
            f"""UPDATE {table} SET valid_until = %s, updated_at = %s
                FROM {_CHANGES} AS change
                WHERE {table}.id = change.old_id AND change.old_date < %s""",
            [day, now, day],
        ),
        (
            f"""INSERT INTO {table} (created_at, updated_at, date, {", ".join(_KEY)},
                                    strategy_id, organisation_id, {values})
                SELECT %s, %s, %s, {", ".join(_KEY)}, strategy_id, organisation_id,
                       {values}
                FROM {_CHANGES}
                WHERE computed AND (old_id IS NULL OR old_date < %s)""",
            [now, now, day, day],
        ),
    ]
    written = 0
    with connection.cursor() as cursor:
        for setting in PLANNER_SETTINGS:
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(f"DROP TABLE IF EXISTS {_CHANGES}")
        cursor.execute(changes, params)
        for statement, statement_params in writes:
            cursor.execute(statement, statement_params)
            written += cursor.rowcount
        cursor.execute(f"DROP TABLE {_CHANGES}")
    return written
