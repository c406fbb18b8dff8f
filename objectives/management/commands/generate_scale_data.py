import time

from django.core.management.base import BaseCommand, CommandParser

from objectives.devtools.scale_data import Scale, scale_data_generate


class Command(BaseCommand):
    help = (
        "Generate deterministic data at scale under one strategy (default: 20 missions, "
        "4 goals, 15 outcomes, 5,000 actions, 100,000 implementations, 1,000,000 status "
        "updates over 24 months, 500 users). COPY on PostgreSQL; use smaller numbers on "
        "SQLite. A second run replaces the first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Scale()
        for name in (
            "missions",
            "goals",
            "outcomes",
            "actions",
            "implementations",
            "updates",
            "months",
            "users",
            "seed",
        ):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--code", default=defaults.code)

    def handle(self, *args: object, **options: object) -> None:
        scale = Scale(
            **{
                name: options[name]
                for name in Scale.__dataclass_fields__
                if options.get(name) is not None
            }
        )
        started = time.perf_counter()
        self.stdout.write(f"Generating {scale} ...")
        counts = scale_data_generate(
            scale=scale, progress=lambda message: self.stdout.write(f"  {message}")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.perf_counter() - started:.0f} s: "
                + ", ".join(f"{value:,} {key}" for key, value in counts.items())
            )
        )
