"""The wall's event stream. Every change to the wall is stored as a WallEvent (so a client that
reconnects can ask for everything after the last id it saw) and, once the transaction commits,
published to the workshop's channel-layer group for the clients connected now."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from ..models import WallEvent, Workshop


def group_name(workshop_id: int) -> str:
    return f"workshop.{workshop_id}"


@transaction.atomic
def wall_event(workshop: Workshop, kind: str, data: dict, *, facilitators_only: bool = False) -> WallEvent:
    # One writer per workshop at a time (the lock lasts until the caller's transaction commits),
    # so events commit in id order: a client catching up "after id N" can never skip an event
    # with a smaller id that committed later. SQLite already has a single writer.
    Workshop.objects.select_for_update().filter(pk=workshop.pk).values_list("pk", flat=True).first()
    event = WallEvent.objects.create(workshop=workshop, kind=kind, data=data, facilitators_only=facilitators_only)
    transaction.on_commit(lambda: publish(event))
    return event


def publish(event: WallEvent) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group_name(event.workshop_id), {"type": "wall.event", "id": event.pk})
