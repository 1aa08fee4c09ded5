"""Workshop background work: deleting access needs a few hours after a workshop ends.

The task is queued (run_after = the end + ACCESS_NEEDS_KEPT_FOR) when someone gives access needs.
It checks again when it runs: a workshop moved later is re-queued for its new end, and one
already purged is left alone. `manage.py purge_workshop_access_needs` is the sweep."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from compact.core.tasks import enqueue_on_commit

from .models import Workshop


def schedule_access_needs_purge(workshop: Workshop) -> None:
    from .services.access_needs import access_needs_due_at

    enqueue_on_commit(purge_access_needs, workshop.pk, run_after=access_needs_due_at(workshop))


@task()
def purge_access_needs(workshop_id: int) -> None:
    from .services.access_needs import access_needs_due, access_needs_purge

    workshop = Workshop.objects.filter(pk=workshop_id).first()
    if workshop is None or workshop.access_needs_deleted_at is not None:
        return
    if access_needs_due(workshop, timezone.now()):
        access_needs_purge(workshop=workshop)
    else:  # the workshop was moved later
        schedule_access_needs_purge(workshop)
