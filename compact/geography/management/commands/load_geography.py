from django.core.management.base import BaseCommand

from compact.geography.services import geography_load


class Command(BaseCommand):
    help = "Load NHS regions, ICBs (with the 2026 London merger), London boroughs and LSOA deprivation."

    def add_arguments(self, parser):
        parser.add_argument("--no-lsoas", action="store_true", help="Skip the 1,238 LSOAs")

    def handle(self, *args, no_lsoas=False, **options):
        result = geography_load(with_lsoas=not no_lsoas)
        self.stdout.write(f"Geography loaded: {result.created} created, {result.updated} updated.")
