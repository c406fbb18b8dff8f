import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from objectives.services.rollup import RollupBusy, RollupDayPassed, rollup_run


class Command(BaseCommand):
    help = "Roll progress up the strategy now and store the day's snapshots (also runs hourly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="YYYY-MM-DD, the day the figures computed now are stored for; today by "
            "default. A day before the latest snapshots is refused.",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            rows = rollup_run(
                day=options["date"],
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except RollupBusy as error:
            raise CommandError(
                "Another rollup is running; try again when it has finished."
            ) from error
        except RollupDayPassed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{rows} snapshot rows hold on that day."))
        peak = peak_memory_mb()
        if peak is not None:
            self.stdout.write(f"Peak memory of this process: {peak} MB")


def peak_memory_mb() -> float | None:
    """This process's own peak resident memory (VmHWM), where /proc tells it; unlike
    getrusage it does not inherit the peak of a parent that forked it."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
