from django.core.management.base import BaseCommand

from objectives.services.reference import REFERENCE_FILE, reference_data_load


class Command(BaseCommand):
    help = (
        "Load the reference facts: the 2021 strategy with its goals, principles and stakeholder "
        "groups, the missions and HQ departments, and the aligned 2018 strategies. Safe to run twice."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"Loading reference data from {REFERENCE_FILE.name}")
        reference_data_load(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS("Reference data is up to date."))
