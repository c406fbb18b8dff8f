from django.core.management.base import BaseCommand, CommandError, CommandParser

from objectives.devtools.demo import DEMO_PASSWORD, demo_data_load
from strategy_tracker.exceptions import ForbiddenInProduction


class Command(BaseCommand):
    help = (
        "Load demo data for the embedded default: reference data, illustrative outcomes and "
        "actions, demo accounts and about a year of status updates. Refuses production settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2021, help="random seed (default 2021)"
        )
        parser.add_argument(
            "--reset", action="store_true", help="replace the demo status updates"
        )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write("Loading demo data ...")
        try:
            result = demo_data_load(
                seed=options["seed"],
                reset=bool(options["reset"]),
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except ForbiddenInProduction as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result['implementations']} implementations, "
                f"{result['updates']} status updates. Accounts (password {DEMO_PASSWORD}): "
                "leader, manager, minusca-focal, minusca-approver, unmiss-focal, unmiss-approver."
            )
        )
