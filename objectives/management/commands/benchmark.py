"""Measure the pages and endpoints against their lower bounds, on generated data."""

import json
import platform
import shutil
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client

from objectives.devtools.signing_in import client_sign_in
from objectives.models import (
    Implementation,
    ReportingRound,
    StatusUpdate,
    Strategy,
)
from stakeholders.permissions import Role
from stakeholders.services import role_assign


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Time the public home, the leadership dashboard, My actions, the implementation "
        "list API, the strategy tree API, the review queue, the open round's page and its "
        "completeness and changes (p50, p95, queries) against two lower bounds "
        "measured in the same run: a static file of the same size served by the same "
        "stack (WhiteNoise, after collectstatic), and the page's own SQL replayed raw. "
        "PostgreSQL, after generate_scale_data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", default="SCALE", help="the generated strategy")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument(
            "--json", dest="json_path", help="also write the results here"
        )
        parser.add_argument(
            "--pdf-repeat",
            type=int,
            default=3,
            help="how many times to render the briefing PDF (in English and Arabic)",
        )

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL (set DATABASE_URL).")
        if settings.DEBUG:
            raise CommandError("Run with DEBUG=false: debug mode records every query.")
        code = str(options["code"])
        strategy = Strategy.objects.filter(code=code).first()
        if strategy is None:
            raise CommandError(f"No strategy {code}; run generate_scale_data first.")
        repeat = int(options["repeat"])
        people = self.people(code)
        targets = [
            ("public home", "/en/", None),
            (
                "leadership dashboard",
                f"/en/dashboard/?strategy={code}",
                people["leader"],
            ),
            ("My actions", "/en/my/", people["focal point"]),
            (
                "implementation list API, 50",
                "/api/v1/implementations/?page_size=50",
                people["focal point"],
            ),
            (
                "implementation list API, 50, superuser",
                "/api/v1/implementations/?page_size=50",
                people["superuser"],
            ),
            ("strategy tree API", f"/api/v1/strategies/{code}/tree/", people["leader"]),
            (
                "review queue, to accept",
                "/en/review/?stage=to_accept",
                people["manager"],
            ),
        ]
        closed = (
            ReportingRound.objects.closed()
            .filter(strategy=strategy)
            .order_by("-period_start")
            .first()
        )
        mission = people["focal point"].role_assignments.first().organisation
        targets += [
            (
                "dashboard, a mission and a goal",
                f"/en/dashboard/?strategy={code}&mission={mission.code}&goal=G1",
                people["leader"],
            ),
            (
                "dashboard, by status (live)",
                f"/en/dashboard/?strategy={code}&status=at_risk",
                people["leader"],
            ),
            (
                "briefing page",
                f"/en/dashboard/briefing/?strategy={code}",
                people["leader"],
            ),
        ]
        if closed is not None:
            targets.append(
                (
                    "dashboard, a closed round",
                    f"/en/dashboard/?strategy={code}&round={closed.pk}",
                    people["leader"],
                )
            )
        current = ReportingRound.objects.open().filter(strategy=strategy).first()
        if current is not None:
            targets += [
                ("round page", f"/en/rounds/{current.pk}/", people["manager"]),
                (
                    "round completeness API",
                    f"/api/v1/reporting-rounds/{current.pk}/completeness/",
                    people["leader"],
                ),
                (
                    "round changes API",
                    f"/api/v1/reporting-rounds/{current.pk}/changes/",
                    people["leader"],
                ),
            ]
        self.stdout.write(
            f"Data: {Implementation.objects.count():,} implementations, "
            f"{StatusUpdate.objects.count():,} status updates; {repeat} requests each."
        )
        results = []
        try:
            for index, (name, path, user) in enumerate(targets, start=1):
                self.stdout.write(f"  [{index}/{len(targets)}] {name}")
                results.append(self.measure(name, path, user, repeat))
        finally:
            shutil.rmtree(self.floor_folder(), ignore_errors=True)
        overhead = self.permission_overhead(results)
        self.report(results, overhead)
        briefing = self.briefing_pdf(code, people["leader"], int(options["pdf_repeat"]))
        if options["json_path"]:
            document = {
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "processor": platform.machine(),
                    "postgresql": connection.cursor().connection.server_version,
                },
                "repeat": repeat,
                "results": results,
                "object_permission_overhead": overhead,
                "briefing_pdf": briefing,
            }
            with open(str(options["json_path"]), "w", encoding="utf-8") as handle:
                json.dump(document, handle, indent=2)

    def people(self, code: str) -> dict:
        User = get_user_model()
        prefix = code.lower()
        focal = (
            User.objects.filter(
                username__startswith=f"{prefix}-", groups__name="Mission focal point"
            )
            .order_by("username")
            .first()
        )
        if focal is None:
            raise CommandError(
                "No generated focal point; run generate_scale_data first."
            )
        leader, _ = User.objects.get_or_create(username=f"{prefix}-leader")
        role_assign(user=leader, role=Role.LEADERSHIP)
        manager, _ = User.objects.get_or_create(username=f"{prefix}-manager")
        role_assign(user=manager, role=Role.STRATEGY_MANAGER)
        superuser, _ = User.objects.get_or_create(
            username=f"{prefix}-superuser", defaults={"is_superuser": True}
        )
        return {
            "focal point": focal,
            "leader": leader,
            "manager": manager,
            "superuser": superuser,
        }

    def client(self, user) -> Client:
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        if user is not None:
            # As the person sees the pages after entering their second factor.
            client_sign_in(client, user)
        return client

    def timed(self, client: Client, path: str, repeat: int) -> list[float]:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            if response.streaming:  # a static file: read it all (which closes it)
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
        return times

    def floor_folder(self) -> Path:
        return Path(settings.STATIC_ROOT) / "benchmark-floor"

    def static_floor(self, size: int, repeat: int) -> list[float]:
        """A static file of `size` bytes, served by WhiteNoise through the same stack."""
        folder = self.floor_folder()
        folder.mkdir(parents=True, exist_ok=True)
        name = f"floor-{size}.html"
        (folder / name).write_bytes(b"x" * size)
        # A new client is a new handler, whose WhiteNoise indexes STATIC_ROOT afresh.
        client = self.client(None)
        path = f"{settings.STATIC_URL}benchmark-floor/{name}"
        self.timed(client, path, 3)
        return self.timed(client, path, repeat)

    def measure(self, name: str, path: str, user, repeat: int) -> dict:
        client = self.client(user)
        self.timed(client, path, 3)  # warm caches and connections
        captured: list[tuple[str, object]] = []

        def record(execute, sql, params, many, context):
            captured.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = client.get(path)
        size = len(response.content)
        page = self.timed(client, path, repeat)
        floor = self.static_floor(size, repeat)
        statements = [
            (sql, params)
            for sql, params in captured
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))
            and "django_session" not in sql
        ]
        sql = []
        with connection.cursor() as cursor:
            for _ in range(repeat):
                started = time.perf_counter()
                for statement, params in statements:
                    cursor.execute(statement, params)
                    cursor.fetchall()
                sql.append(time.perf_counter() - started)
        p95 = _percentile(page, 0.95)
        bound = _percentile(floor, 0.95) + _percentile(sql, 0.95)
        return {
            "name": name,
            "path": path,
            "bytes": size,
            "queries": len(captured),
            "p50_ms": round(statistics.median(page) * 1000, 1),
            "p95_ms": round(p95 * 1000, 1),
            "floor_p95_ms": round(_percentile(floor, 0.95) * 1000, 1),
            "raw_sql_p95_ms": round(_percentile(sql, 0.95) * 1000, 1),
            "ratio_to_bounds": round(p95 / bound, 2),
        }

    def briefing_pdf(self, code: str, user, repeat: int) -> dict:
        """Render the whole strategy's briefing pack as a PDF, as the worker does, in
        English and Arabic; the target is at most 5 s."""
        from ...selectors.dashboard import DashboardFilters
        from ...services.briefings import briefing_render

        result: dict = {}
        for language in ("en", "ar"):
            times, pages = [], 0
            for index in range(1, repeat + 1):
                self.stdout.write(f"  briefing PDF ({language}) {index}/{repeat}")
                started = time.perf_counter()
                _pdf, pages = briefing_render(
                    DashboardFilters(strategy=code), user=user, language=language
                )
                times.append(time.perf_counter() - started)
            result[language] = {
                "pages": pages,
                "median_s": round(statistics.median(times), 2),
                "max_s": round(max(times), 2),
            }
            self.stdout.write(
                f"Briefing PDF ({language}): {pages} pages, median "
                f"{result[language]['median_s']} s, slowest {result[language]['max_s']} s"
                " (target at most 5 s)."
            )
        return result

    def permission_overhead(self, results: list[dict]) -> float | None:
        by_name = {result["name"]: result for result in results}
        scoped = by_name.get("implementation list API, 50", {}).get("p95_ms")
        superuser = by_name.get("implementation list API, 50, superuser", {}).get(
            "p95_ms"
        )
        if not scoped or not superuser:
            return None
        return round(scoped / superuser - 1, 2)

    def report(self, results: list[dict], overhead: float | None) -> None:
        self.stdout.write("")
        header = f"{'page':<40}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}{'floor':>8}{'SQL':>8}{'ratio':>7}"
        self.stdout.write(header)
        for result in results:
            if "p95_ms" not in result:
                self.stdout.write(f"{result['name']:<40}{result['status']:>49}")
                continue
            self.stdout.write(
                f"{result['name']:<40}{result['queries']:>8}{result['p50_ms']:>9}"
                f"{result['p95_ms']:>9}{result['floor_p95_ms']:>8}"
                f"{result['raw_sql_p95_ms']:>8}{result['ratio_to_bounds']:>7}"
            )
        self.stdout.write(
            "ratio = p95 / (floor p95 + raw SQL p95); target at most 2. "
            f"Object permission overhead on the list: {overhead if overhead is not None else '-'}"
            " (target at most 0.30)."
        )
