import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from objectives.models import ReportingRound, Strategy
from objectives.services import rounds as round_services
from strategy_tracker.exceptions import ApplicationError


class Command(BaseCommand):
    help = (
        "Reporting rounds: list them, open one, close one (which freezes its figures), "
        "reopen one with a reason, or open the rounds due on the strategies' schedules."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="Every round, newest period first.")
        listing.add_argument("--strategy", help="A strategy's code.")
        opening = verbs.add_parser("open", help="Open a round for a strategy.")
        opening.add_argument("strategy", help="The strategy's code, e.g. DTS-2021.")
        opening.add_argument("name", help="e.g. 2026-Q4")
        for name in ("period-start", "period-end", "opens-on", "deadline"):
            opening.add_argument(
                f"--{name}",
                type=datetime.date.fromisoformat,
                required=name != "opens-on",
                help="YYYY-MM-DD"
                + ("; today by default" if name == "opens-on" else ""),
            )
        opening.add_argument(
            "--expects-unstarted-work",
            action="store_true",
            help="Work whose start date is after the period reports too.",
        )
        closing = verbs.add_parser("close", help="Close a round; freezes its figures.")
        closing.add_argument("strategy")
        closing.add_argument("name")
        reopening = verbs.add_parser("reopen", help="Reopen a closed round.")
        reopening.add_argument("strategy")
        reopening.add_argument("name")
        reopening.add_argument("--reason", required=True)
        verbs.add_parser(
            "schedule", help="Open the rounds due on the strategies' schedules."
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            getattr(self, f"_{options['verb']}")(options)
        except (ApplicationError, ValidationError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(str(m) for m in messages)) from error

    def _list(self, options) -> None:
        rounds = ReportingRound.objects.select_related("strategy").order_by(
            "strategy__code", "-period_start"
        )
        if options["strategy"]:
            rounds = rounds.filter(strategy__code=options["strategy"])
        for r in rounds:
            state = f"closed {r.closed_at:%Y-%m-%d}" if r.closed_at else "open"
            self.stdout.write(
                f"{r.strategy.code} {r.name}: {r.period_start} to {r.period_end}, "
                f"deadline {r.deadline}, {state}"
            )

    def _round(self, options) -> ReportingRound:
        found = ReportingRound.objects.filter(
            strategy__code=options["strategy"], name=options["name"]
        ).first()
        if found is None:
            raise CommandError(
                f"No round {options['name']} for strategy {options['strategy']}."
            )
        return found

    def _open(self, options) -> None:
        strategy = Strategy.objects.filter(code=options["strategy"]).first()
        if strategy is None:
            raise CommandError(f"No strategy {options['strategy']}.")
        opened = round_services.round_open(
            strategy=strategy,
            actor=None,
            name=options["name"],
            period_start=options["period_start"],
            period_end=options["period_end"],
            opens_on=options["opens_on"] or timezone.localdate(),
            deadline=options["deadline"],
            expects_unstarted_work=options["expects_unstarted_work"],
        )
        self.stdout.write(self.style.SUCCESS(f"Opened {opened}."))

    def _close(self, options) -> None:
        reporting_round = self._round(options)
        rows = round_services.round_close(
            reporting_round=reporting_round,
            actor=None,
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        self.stdout.write(
            self.style.SUCCESS(f"Closed {reporting_round}; {rows} figure rows frozen.")
        )

    def _reopen(self, options) -> None:
        reopened = round_services.round_reopen(
            reporting_round=self._round(options), actor=None, reason=options["reason"]
        )
        self.stdout.write(self.style.SUCCESS(f"Reopened {reopened}."))

    def _schedule(self, options) -> None:
        opened = round_services.rounds_open_on_schedule()
        for reporting_round in opened:
            self.stdout.write(f"Opened {reporting_round}.")
        if not opened:
            self.stdout.write("No round is due.")
