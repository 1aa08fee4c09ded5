from django.core.management.base import BaseCommand

from compact.decisions.notifications import send_closing_reminders


class Command(BaseCommand):
    help = "Email people who have not voted when a proposal closes within 24 hours. Run every few minutes."

    def handle(self, *args, **options):
        count = send_closing_reminders()
        self.stdout.write(f"Reminders sent for {count} proposal{'s' if count != 1 else ''}.")
