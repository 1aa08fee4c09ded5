"""Access needs are kept only until a few hours after the workshop ends (or it is cancelled):
then they are blanked, once, and the audit log notes how many there were, never what they said.
A task is queued for the due time when someone gives access needs (tasks.py);
`manage.py purge_workshop_access_needs` is the sweep for set-ups whose queue cannot defer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from compact.activity.services import audit_record

from ..models import Workshop

ACCESS_NEEDS_KEPT_FOR = dt.timedelta(hours=6)  # after the workshop ends
State = Workshop.State


def access_needs_due_at(workshop: Workshop) -> dt.datetime:
    return workshop.ends_at + ACCESS_NEEDS_KEPT_FOR


def access_needs_due(workshop: Workshop, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return workshop.state == State.CANCELLED or access_needs_due_at(workshop) <= now


@transaction.atomic
def access_needs_purge(*, workshop: Workshop, actor=None, now: dt.datetime | None = None) -> int | None:
    """Blank every access need of a workshop that has ended (or been cancelled) and note when.
    Returns how many registrations had some, or None if it is not due or already done."""
    now = now or timezone.now()
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.access_needs_deleted_at is not None or not access_needs_due(workshop, now):
        return None
    count = workshop.registrations.exclude(access_needs="").update(access_needs="", updated_at=now)
    workshop.access_needs_deleted_at = now
    workshop.save(update_fields=["access_needs_deleted_at", "updated_at"])
    audit_record(
        actor=actor, action="workshop.delete_access_needs", obj=workshop, partnership_id=workshop.partnership_id,
        changes={"registrations_with_access_needs": count},
    )  # fmt: skip
    return count


def access_needs_purge_due(*, now: dt.datetime | None = None) -> int:
    """The sweep: purge every workshop that is due. Returns how many workshops were purged."""
    now = now or timezone.now()
    candidates = Workshop.objects.filter(access_needs_deleted_at__isnull=True).filter(
        Q(ends_at__lte=now - ACCESS_NEEDS_KEPT_FOR) | Q(state=State.CANCELLED)
    )
    done = 0
    for workshop in candidates.only("pk"):
        if access_needs_purge(workshop=workshop, now=now) is not None:
            done += 1
    return done
