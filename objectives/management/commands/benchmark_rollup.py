"""Benchmark the progress rollup on generated data against a hand-written SQL GROUP BY."""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from objectives.devtools.scale_data import Scale, scale_data_generate
from objectives.models import (
    Implementation,
    ProgressSnapshot,
    StatusUpdate,
)
from objectives.services.rollup import PLANNER_SETTINGS, RollupDayPassed, rollup_run
from strategy_tracker.database import database_url

CODE = "BENCH-ROLLUP"
DAYS_OF_UPDATES = 730  # the generator spreads the updates over 24 months

# The same figures as the rollup, in one statement: every level, per organisation and for
# all, for both audiences, with GROUPING SETS.
RAW_SQL = """
WITH counted AS (
    SELECT 'internal' AS audience, i.organisation_id, i.action_id, a.outcome_id,
           o.objective_id, g.strategy_id, i.status, i.progress, COALESCE(i.due_date, a.due_date) AS due_date,
           a.weight
    FROM objectives_implementation i
    JOIN objectives_action a ON a.id = i.action_id
    JOIN objectives_outcome o ON o.id = a.outcome_id
    JOIN objectives_objective g ON g.id = o.objective_id
    JOIN objectives_strategy s ON s.id = g.strategy_id
    WHERE i.archived_at IS NULL AND a.archived_at IS NULL AND o.archived_at IS NULL
      AND g.archived_at IS NULL AND s.status = 'active'
    UNION ALL
    SELECT 'public', i.organisation_id, i.action_id, a.outcome_id, o.objective_id,
           g.strategy_id, u.status, u.progress, COALESCE(i.due_date, a.due_date), a.weight
    FROM objectives_implementation i
    JOIN objectives_statusupdate u ON u.id = i.public_update_id
    JOIN objectives_action a ON a.id = i.action_id
    JOIN objectives_outcome o ON o.id = a.outcome_id
    JOIN objectives_objective g ON g.id = o.objective_id
    JOIN objectives_strategy s ON s.id = g.strategy_id
    WHERE i.archived_at IS NULL AND a.archived_at IS NULL AND o.archived_at IS NULL
      AND g.archived_at IS NULL AND s.status = 'active'
)
SELECT audience, strategy_id, objective_id, outcome_id, action_id, organisation_id,
       SUM(progress * weight) FILTER (WHERE status NOT IN ('cancelled', 'not_applicable')),
       SUM(weight) FILTER (WHERE status NOT IN ('cancelled', 'not_applicable')),
       COUNT(*),
       COUNT(*) FILTER (WHERE status NOT IN ('completed', 'cancelled', 'not_applicable')
                        AND due_date < %(today)s),
       COUNT(*) FILTER (WHERE status = 'not_started'), COUNT(*) FILTER (WHERE status = 'on_track'),
       COUNT(*) FILTER (WHERE status = 'at_risk'), COUNT(*) FILTER (WHERE status = 'off_track'),
       COUNT(*) FILTER (WHERE status = 'completed'), COUNT(*) FILTER (WHERE status = 'cancelled'),
       COUNT(*) FILTER (WHERE status = 'not_applicable')
FROM counted
GROUP BY GROUPING SETS (
    (audience, strategy_id), (audience, strategy_id, organisation_id),
    (audience, strategy_id, objective_id), (audience, strategy_id, objective_id, organisation_id),
    (audience, strategy_id, outcome_id), (audience, strategy_id, outcome_id, organisation_id),
    (audience, strategy_id, action_id), (audience, strategy_id, action_id, organisation_id)
)
"""


class Command(BaseCommand):
    help = (
        "Generate a large strategy (if not there yet) and time the progress rollup against a "
        "single hand-written SQL GROUP BY computing the same figures. PostgreSQL only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--implementations", type=int, default=100_000)
        parser.add_argument("--updates", type=int, default=1_000_000)
        parser.add_argument("--missions", type=int, default=20)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument(
            "--json", dest="json_path", help="also write the results here"
        )
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--changes",
            type=int,
            help="implementations with a new update between two days "
            f"(default: the updates spread over {DAYS_OF_UPDATES} days)",
        )

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "The rollup benchmark runs on PostgreSQL (set DATABASE_URL)."
            )
        implementations = int(options["implementations"])
        updates = int(options["updates"])
        missions = int(options["missions"])
        if implementations % missions:
            raise CommandError("--implementations must be a multiple of --missions")
        existing = Implementation.objects.filter(
            action__outcome__objective__strategy__code=CODE
        ).count()
        if existing != implementations:
            self.generate(implementations, updates, missions, int(options["seed"]))
        else:
            self.stdout.write(
                f"Using the generated data already there ({existing:,} implementations)."
            )
        self.stdout.write(
            f"Data: {Implementation.objects.count():,} implementations, "
            f"{StatusUpdate.objects.count():,} status updates in the database."
        )
        changes = options["changes"]
        if changes is None:
            changes = updates // DAYS_OF_UPDATES
        results = self.measure(int(options["repeat"]), int(changes))
        self.report(results)
        if options["json_path"]:
            with open(str(options["json_path"]), "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=2)

    # -- data --------------------------------------------------------------------------

    def generate(
        self, implementations: int, updates: int, missions: int, seed: int
    ) -> None:
        started = time.perf_counter()
        self.stdout.write(
            f"Generating {implementations:,} implementations and {updates:,} updates ..."
        )
        scale_data_generate(
            scale=Scale(
                code=CODE,
                missions=missions,
                actions=implementations // missions,
                implementations=implementations,
                updates=updates,
                users=missions,
                seed=seed,
            ),
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        self.stdout.write(f"  generated in {time.perf_counter() - started:.1f} s")

    # -- measurement ---------------------------------------------------------------------

    def measure(self, repeat: int, changes: int) -> dict:
        """Time the stored rollup against the raw SQL computing the same figures.

        Three cases. A run on an empty table writes every row: it happens once, when the
        tool is installed. The first run of a day closes and opens the rows of the nodes
        whose figures moved since yesterday: here, after `changes` implementations got a
        new accepted update (a day's share of the generated updates). A later run of the
        same day (the hourly case) finds what moved since. The raw SQL runs between the
        rollups, with the server's settings and with the rollup's; the faster is the
        bound. Then measure the rollup's memory in a process of its own, so data
        generation does not count.
        """
        today = timezone.localdate()
        yesterday = today - datetime.timedelta(days=1)
        ProgressSnapshot.objects.filter(strategy__code=CODE).delete()
        started = time.perf_counter()
        try:
            rollup_run(day=yesterday)
        except RollupDayPassed as error:
            raise CommandError(
                "Other strategies have snapshots of today: run the benchmark on a "
                "database of its own (DATABASE_URL)."
            ) from error
        empty_table = time.perf_counter() - started
        self.stdout.write(f"  run on an empty table (once): rollup {empty_table:.2f} s")
        # Between yesterday's last run and today's first, autovacuum has long visited the
        # rows that run wrote; here it has not had the time.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {ProgressSnapshot._meta.db_table}")
        self.stdout.write(
            f"  a day's work: a new accepted update on {changes:,} implementations"
        )
        self.day_of_work(changes)
        started = time.perf_counter()
        rows = rollup_run(day=today)
        first_of_day = time.perf_counter() - started
        written_today = ProgressSnapshot.objects.filter(date=today).count()
        self.stdout.write(
            f"  first run of the day: rollup {first_of_day:.2f} s, "
            f"{written_today:,} rows opened"
        )
        rollup_times, sql_times = [], []
        sql_rows = 0
        for attempt in range(1, repeat + 1):
            sql_rows, sql_seconds = self.raw_sql()
            sql_times.append(sql_seconds)
            started = time.perf_counter()
            rows = rollup_run(day=today)
            rollup_times.append(time.perf_counter() - started)
            self.stdout.write(
                f"  later run {attempt}/{repeat}: rollup {rollup_times[-1]:.2f} s, "
                f"raw SQL {sql_times[-1]:.2f} s"
            )
        tracemalloc.start()
        rollup_run(day=today)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write("  measuring the rollup's memory in a process of its own")
        rss = self.child_max_rss_mb(today)
        rollup = statistics.median(rollup_times)
        sql = statistics.median(sql_times)
        return {
            "rollup_empty_table_seconds": round(empty_table, 3),
            "rollup_first_of_day_seconds": round(first_of_day, 3),
            "rollup_seconds_median": round(rollup, 3),
            "raw_sql_seconds_median": round(sql, 3),
            "ratio_empty_table": round(empty_table / sql, 2),
            "ratio_first_of_day": round(first_of_day / sql, 2),
            "ratio": round(rollup / sql, 2),
            "rollup_rows": rows,
            "rows_opened_first_of_day": written_today,
            "snapshot_rows_stored": ProgressSnapshot.objects.count(),
            "raw_sql_rows": sql_rows,
            "python_peak_mb": round(peak / 1_048_576, 1),
            "rollup_process_max_rss_mb": rss,
            "implementations": Implementation.objects.count(),
            "status_updates": StatusUpdate.objects.count(),
        }

    def day_of_work(self, changes: int) -> None:
        """`changes` implementations, picked at random, get a new accepted status and progress."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE objectives_implementation
                SET progress = (progress + 7) %% 101, last_accepted_at = %s,
                    status = CASE status WHEN 'on_track' THEN 'at_risk' ELSE 'on_track' END,
                    version = version + 1
                WHERE id IN (
                    SELECT i.id FROM objectives_implementation i
                    JOIN objectives_action a ON a.id = i.action_id
                    JOIN objectives_outcome o ON o.id = a.outcome_id
                    JOIN objectives_objective g ON g.id = o.objective_id
                    JOIN objectives_strategy s ON s.id = g.strategy_id
                    WHERE i.archived_at IS NULL AND s.code = %s
                    ORDER BY random() LIMIT %s)
                """,
                [timezone.now(), CODE, changes],
            )

    def raw_sql(self) -> tuple[int, float]:
        """Run the raw SQL with the server's settings and with the rollup's planner
        settings (`PLANNER_SETTINGS`); return its rows and the faster time."""
        seconds = []
        for settings_used in ([], PLANNER_SETTINGS):
            with transaction.atomic(), connection.cursor() as cursor:
                for setting in settings_used:
                    cursor.execute(f"SET LOCAL {setting}")
                started = time.perf_counter()
                cursor.execute(RAW_SQL, {"today": timezone.localdate()})
                rows = len(cursor.fetchall())
                seconds.append(time.perf_counter() - started)
        return rows, min(seconds)

    def child_max_rss_mb(self, day) -> float:
        """Run `rollup_progress` in a fresh process and return its peak resident memory."""
        finished = subprocess.run(
            [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "rollup_progress",
                "--date",
                day.isoformat(),
            ],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "DATABASE_URL": database_url()},
        )
        for line in finished.stdout.splitlines():
            if line.startswith("Peak memory of this process:"):
                return float(line.split(":")[1].split()[0])
        raise CommandError("The rollup process did not report its peak memory.")

    def report(self, results: dict) -> None:
        self.stdout.write("")
        self.stdout.write(f"{'measure':<34}{'value':>14}")
        for key, value in results.items():
            self.stdout.write(f"{key:<34}{value:>14}")
        memory = results["rollup_process_max_rss_mb"] < 500
        for label, ratio in (
            ("later runs of a day (hourly)", results["ratio"]),
            ("first run of a day", results["ratio_first_of_day"]),
        ):
            met = ratio <= 1.5 and memory
            self.stdout.write(
                (self.style.SUCCESS if met else self.style.WARNING)(
                    f"Target (rollup <= 1.5 x raw SQL, under 500 MB), {label}: "
                    + ("met" if met else "not met")
                )
            )
        self.stdout.write(
            "The run on an empty table writes every row; it happens once, at installation "
            f"({results['ratio_empty_table']} x raw SQL)."
        )
