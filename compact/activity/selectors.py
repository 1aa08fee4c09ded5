from __future__ import annotations

import datetime as dt

from .models import AuditEntry


def audit_entries_for_partnership(
    *,
    partnership_id: int,
    action: str = "",
    actor_id: int | None = None,
    object_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    qs = AuditEntry.objects.filter(partnership_id=partnership_id).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs


def audit_actions_for_partnership(*, partnership_id: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(partnership_id=partnership_id)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
