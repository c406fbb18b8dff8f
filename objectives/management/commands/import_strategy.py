from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from objectives.services.tree_import import strategy_import
from objectives.tree_format.limits import load_strategy_yaml
from strategy_tracker.exceptions import ImportValidationError


class Command(BaseCommand):
    help = (
        "Import a strategy tree from a YAML file (format in the README). The whole file is "
        "validated first; nothing is written unless every row is valid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the YAML file to import")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        try:
            text = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        self.stdout.write(f"Validating {path} ...")
        try:
            data = load_strategy_yaml(text)
            report = strategy_import(
                data=data, progress=lambda message: self.stdout.write(f"  {message}")
            )
        except ImportValidationError as error:
            for problem in error.errors:
                self.stderr.write(f"  {problem}")
            raise CommandError(error.message) from error
        for line in report.lines():
            self.stdout.write(f"  {line}")
        verdict = (
            "imported" if report.changed else "already up to date; nothing changed"
        )
        self.stdout.write(
            self.style.SUCCESS(f"Strategy {report.strategy_code} {verdict}.")
        )
