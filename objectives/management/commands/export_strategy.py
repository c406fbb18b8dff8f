import sys
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from objectives.models import Strategy
from objectives.tree_format.export import strategy_export_tree


class Command(BaseCommand):
    help = "Export a strategy tree as YAML in the import format (to standard output or a file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the strategy's code, e.g. DTS-2021")
        parser.add_argument("--output", "-o", type=Path, help="write to this file")

    def handle(self, *args: object, **options: object) -> None:
        strategy = Strategy.objects.filter(code=options["code"]).first()
        if strategy is None:
            known = ", ".join(Strategy.objects.values_list("code", flat=True)) or "none"
            raise CommandError(
                f'no strategy with code "{options["code"]}" (known: {known})'
            )
        text = yaml.safe_dump(
            strategy_export_tree(strategy=strategy),
            allow_unicode=True,
            sort_keys=False,
            width=100,
        )
        output = options["output"]
        if output:
            output = Path(str(output))
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {strategy.code} to {output}")
        else:
            sys.stdout.write(text)
