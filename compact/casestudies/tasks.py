"""Case study background work: taking down case studies the day after a consent runs out.

Recording a consent with an expiry date queues the sweep for the first minute of the next day,
so nobody has to remember a cron job; `manage.py expire_case_study_consents` runs the same sweep
by hand or from a scheduler, and running it twice changes nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from compact.core.tasks import enqueue_on_commit


def schedule_expiry_sweep(expires_on: dt.date) -> None:
    day_after = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time(0, 1))
    enqueue_on_commit(expire_consents, run_after=timezone.make_aware(day_after))


@task()
def expire_consents() -> int:
    from .services.consents import consents_expire

    return consents_expire()
