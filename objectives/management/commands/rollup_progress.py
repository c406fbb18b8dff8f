import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from objectives.services.rollup import RollupBusy, rollup_run


class Command(BaseCommand):
    help = "Roll progress up the strategy now and store the day's snapshots (also runs hourly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="YYYY-MM-DD; today by default",
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
        self.stdout.write(self.style.SUCCESS(f"Stored {rows} snapshot rows."))
