from django.core.management.base import BaseCommand

from compact.casestudies.services import consents_expire


class Command(BaseCommand):
    help = (
        "Send approved or published case studies whose consent has run out back to consent pending "
        "(unpublished everywhere) and email their editors. Run it daily; safe to run more often."
    )

    def handle(self, *args, **options):
        count = consents_expire()
        self.stdout.write(f"{count} case stud{'ies' if count != 1 else 'y'} went back to consent pending.")
