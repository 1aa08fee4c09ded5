from django.core.management.base import BaseCommand

from compact.processes.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Print the local URL and the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        self.stdout.write(f"\nCompact is starting at {url}\n\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, name, what in PEOPLE:
            self.stdout.write(f"  {email:<28} {name:<15} {what}")
        self.stdout.write("\nEmails (sign-in codes, invitations) are printed below, in this terminal.\n")
