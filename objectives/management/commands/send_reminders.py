from django.core.management.base import BaseCommand

from objectives.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send today's reporting reminders (also runs daily); a digest is never sent twice in a period."

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders_send()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder e-mail(s)."))
