from django.core.management.base import BaseCommand

from compact.workshops.services.access_needs import access_needs_purge_due


class Command(BaseCommand):
    help = (
        "Delete the access needs people gave for workshops that ended more than a few hours ago "
        "(or were cancelled). Safe to run often: the sweep behind the scheduled task."
    )

    def handle(self, *args, **options):
        count = access_needs_purge_due()
        self.stdout.write(f"Access needs deleted for {count} workshop{'s' if count != 1 else ''}.")
