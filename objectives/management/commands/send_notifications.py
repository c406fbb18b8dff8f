from django.core.management.base import BaseCommand

from objectives.services.notifications import notification_digests_send


class Command(BaseCommand):
    help = "Send the pending e-mail notices now, one digest per person (also runs on a schedule)."

    def handle(self, *args: object, **options: object) -> None:
        sent = notification_digests_send()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} digest e-mail(s)."))
