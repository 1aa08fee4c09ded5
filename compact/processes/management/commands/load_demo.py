from django.core.management.base import BaseCommand

from compact.processes.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo partnerships (South East London; Kensington & Chelsea and Westminster). Safe to run again."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
