from django.core.management.base import BaseCommand

from compact.drafting.services.invitations import send_due_reminders


class Command(BaseCommand):
    help = "Remind people who have not responded when a consultation round closes within two days. Run every hour."

    def handle(self, *args, **options):
        count = send_due_reminders()
        self.stdout.write(f"Reminders sent for {count} round{'s' if count != 1 else ''}.")
