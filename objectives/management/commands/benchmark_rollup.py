"""Benchmark the progress rollup on generated data against a hand-written SQL GROUP BY."""

import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from objectives.choices import ImplementationStatus
from objectives.models import (
    Action,
    Implementation,
    Objective,
    Outcome,
    ProgressSnapshot,
    StatusUpdate,
    Strategy,
)
from objectives.services.rollup import rollup_run
from stakeholders.models import Organisation, StakeholderGroup
from strategy_tracker.database import database_url

CODE = "BENCH-ROLLUP"
STATUSES = [s.value for s in ImplementationStatus]
STATUS_WEIGHTS = [10, 40, 15, 8, 15, 6, 6]

# The same figures as the rollup, in one statement: every level, per organisation and for
# all, for both audiences, with GROUPING SETS.
RAW_SQL = """
WITH counted AS (
    SELECT 'internal' AS audience, i.organisation_id, i.action_id, a.outcome_id,
           o.objective_id, g.strategy_id, i.status, i.progress, i.last_accepted_at AS accepted_at,
           a.weight, s.reporting_period_days
    FROM objectives_implementation i
    JOIN objectives_action a ON a.id = i.action_id
    JOIN objectives_outcome o ON o.id = a.outcome_id
    JOIN objectives_objective g ON g.id = o.objective_id
    JOIN objectives_strategy s ON s.id = g.strategy_id
    WHERE i.archived_at IS NULL AND a.archived_at IS NULL AND o.archived_at IS NULL
      AND g.archived_at IS NULL AND s.status = 'active'
    UNION ALL
    SELECT 'public', i.organisation_id, i.action_id, a.outcome_id, o.objective_id,
           g.strategy_id, u.status, u.progress, u.accepted_at, a.weight, s.reporting_period_days
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
                        AND (accepted_at IS NULL
                             OR accepted_at < %(now)s - reporting_period_days * INTERVAL '1 day')),
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
        results = self.measure(int(options["repeat"]))
        self.report(results)
        if options["json_path"]:
            with open(str(options["json_path"]), "w", encoding="utf-8") as handle:
                json.dump(results, handle, indent=2)

    # -- data --------------------------------------------------------------------------

    def generate(
        self, implementations: int, updates: int, missions: int, seed: int
    ) -> None:
        rng = random.Random(seed)
        started = time.perf_counter()
        self.stdout.write(
            f"Generating {implementations:,} implementations and {updates:,} updates ..."
        )
        with transaction.atomic():
            Strategy.objects.filter(code=CODE).delete()
            strategy = Strategy.objects.create(
                code=CODE, title_en="Benchmark strategy", status="active"
            )
            group = StakeholderGroup.objects.get_or_create(
                code="BENCH-S", defaults={"name_en": "Benchmark"}
            )[0]
            organisations = [
                Organisation.objects.get_or_create(
                    code=f"BENCH-M{index:02d}",
                    defaults={
                        "kind": "mission",
                        "group": group,
                        "name_en": f"Benchmark mission {index}",
                    },
                )[0]
                for index in range(missions)
            ]
            goals = Objective.objects.bulk_create(
                [
                    Objective(
                        strategy=strategy, code=f"G{n}", order=n, title_en=f"Goal {n}"
                    )
                    for n in range(1, 5)
                ]
            )
            outcomes = Outcome.objects.bulk_create(
                [
                    Outcome(
                        objective=goals[n % 4],
                        code=f"O{n}",
                        order=n,
                        title_en=f"Outcome {n}",
                    )
                    for n in range(1, 16)
                ]
            )
            action_count = implementations // missions
            actions = Action.objects.bulk_create(
                [
                    Action(
                        outcome=outcomes[n % len(outcomes)],
                        code=f"A{n}",
                        order=n,
                        title_en=f"Action {n}",
                        weight=rng.choice([1, 1, 2, 3]),
                    )
                    for n in range(action_count)
                ],
                batch_size=2000,
            )
            self.stdout.write(f"  tree: 4 goals, 15 outcomes, {len(actions):,} actions")
            author = get_user_model().objects.get_or_create(username="bench-author")[0]
            now = timezone.now()
            self._copy_implementations(rng, actions, organisations, now)
            first_id = (
                Implementation.objects.filter(
                    action__outcome__objective__strategy=strategy
                )
                .order_by("pk")
                .first()
                .pk
            )
            self._copy_updates(rng, first_id, implementations, updates, author.pk, now)
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    UPDATE objectives_implementation i SET public_update_id = latest.id
                    FROM (SELECT DISTINCT ON (implementation_id) id, implementation_id
                          FROM objectives_statusupdate
                          WHERE cleared_for_public AND implementation_id >= %s
                          ORDER BY implementation_id, accepted_at DESC, id DESC) latest
                    WHERE latest.implementation_id = i.id
                    """,
                    [first_id],
                )
        with connection.cursor() as cursor:
            # Fresh planner statistics for every table, as autovacuum would give later.
            cursor.execute("ANALYZE")
        self.stdout.write(f"  generated in {time.perf_counter() - started:.1f} s")

    def _copy(
        self, table: str, columns: list[str], rows, total: int, label: str
    ) -> None:
        buffer = io.StringIO()
        written = 0
        with connection.cursor() as cursor:
            for row in rows:
                buffer.write("\t".join(row) + "\n")
                written += 1
                if written % 100_000 == 0 or written == total:
                    buffer.seek(0)
                    cursor.cursor.copy_expert(
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer
                    )
                    buffer = io.StringIO()
                    self.stdout.write(f"  {label}: {written:,}/{total:,}")

    def _copy_implementations(self, rng, actions, organisations, now) -> None:
        def rows():
            for action in actions:
                for organisation in organisations:
                    status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
                    progress = (
                        100
                        if status == "completed"
                        else 0
                        if status == "not_started"
                        else rng.randint(0, 95)
                    )
                    accepted = now - timedelta(days=rng.randint(0, 90))
                    yield [
                        str(action.pk),
                        str(organisation.pk),
                        status,
                        str(progress),
                        accepted.isoformat(),
                        "1",
                        now.isoformat(),
                        now.isoformat(),
                    ]

        total = len(actions) * len(organisations)
        self._copy(
            "objectives_implementation",
            [
                "action_id",
                "organisation_id",
                "status",
                "progress",
                "last_accepted_at",
                "version",
                "created_at",
                "updated_at",
            ],
            rows(),
            total,
            "implementations",
        )

    def _copy_updates(
        self, rng, first_id, implementations, updates, author_id, now
    ) -> None:
        def rows():
            for n in range(updates):
                status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
                progress = 100 if status == "completed" else rng.randint(0, 95)
                created = now - timedelta(days=rng.randint(0, 730))
                accepted = rng.random() < 0.8
                sensitivity = rng.choices(
                    ["unclassified", "confidential", "strictly_confidential"],
                    [8, 1.5, 0.5],
                )[0]
                cleared = (
                    accepted and sensitivity == "unclassified" and rng.random() < 0.5
                )
                yield [
                    str(first_id + n % implementations),
                    status,
                    str(progress),
                    "",
                    "",
                    "",
                    "",
                    "medium",
                    sensitivity,
                    str(author_id),
                    "accepted" if accepted else "submitted",
                    created.isoformat(),
                    (created + timedelta(days=3)).isoformat() if accepted else "\\N",
                    "t" if cleared else "f",
                    (created + timedelta(days=4)).isoformat() if cleared else "\\N",
                    "1",
                    created.isoformat(),
                    created.isoformat(),
                ]

        self._copy(
            "objectives_statusupdate",
            [
                "implementation_id",
                "status",
                "progress",
                "narrative",
                "narrative_language",
                "evidence_url",
                "evidence_file",
                "confidence",
                "sensitivity",
                "author_id",
                "review_state",
                "submitted_at",
                "accepted_at",
                "cleared_for_public",
                "cleared_at",
                "version",
                "created_at",
                "updated_at",
            ],
            rows(),
            updates,
            "status updates",
        )

    # -- measurement ---------------------------------------------------------------------

    def measure(self, repeat: int) -> dict:
        """Time the stored rollup against the raw SQL computing the same figures.

        Two cases: the first run of a day, which writes every row, and a later run of the
        same day (the hourly case), which writes only rows whose figures changed. Then
        measure the rollup's memory in a process of its own, so data generation here does
        not count.
        """
        day = timezone.localdate()
        now = timezone.now()
        ProgressSnapshot.objects.filter(date=day).delete()
        started = time.perf_counter()
        rows = rollup_run(day=day)
        first_of_day = time.perf_counter() - started
        self.stdout.write(f"  first run of the day: rollup {first_of_day:.2f} s")
        rollup_times, sql_times = [], []
        sql_rows = 0
        for attempt in range(1, repeat + 1):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(RAW_SQL, {"now": now})
                sql_rows = len(cursor.fetchall())
            sql_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            rows = rollup_run(day=day)
            rollup_times.append(time.perf_counter() - started)
            self.stdout.write(
                f"  later run {attempt}/{repeat}: rollup {rollup_times[-1]:.2f} s, "
                f"raw SQL {sql_times[-1]:.2f} s"
            )
        tracemalloc.start()
        rollup_run(day=day)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.stdout.write("  measuring the rollup's memory in a process of its own")
        rss = self.child_max_rss_mb(day)
        rollup = statistics.median(rollup_times)
        sql = statistics.median(sql_times)
        return {
            "rollup_first_of_day_seconds": round(first_of_day, 3),
            "rollup_seconds_median": round(rollup, 3),
            "raw_sql_seconds_median": round(sql, 3),
            "ratio_first_of_day": round(first_of_day / sql, 2),
            "ratio": round(rollup / sql, 2),
            "rollup_rows": rows,
            "raw_sql_rows": sql_rows,
            "python_peak_mb": round(peak / 1_048_576, 1),
            "rollup_process_max_rss_mb": rss,
            "implementations": Implementation.objects.count(),
            "status_updates": StatusUpdate.objects.count(),
        }

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
