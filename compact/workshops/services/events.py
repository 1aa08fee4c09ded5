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
    previous = WallEvent.objects.filter(workshop=workshop).order_by("-pk").values_list("pk", flat=True).first()
    event = WallEvent.objects.create(workshop=workshop, kind=kind, data=data, facilitators_only=facilitators_only)
    transaction.on_commit(lambda: publish(event, previous or 0))
    return event


def publish(event: WallEvent, previous: int = 0) -> None:
    """The whole event goes in the message, so no client needs a database read to show it, with
    the id of the workshop's event before it: a client that has not seen that one knows it
    missed something (a full channel drops messages) and catches up from the database."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": "wall.event", "id": event.pk, "previous": previous, "kind": event.kind, "data": event.data,
        "facilitators_only": event.facilitators_only,
    }  # fmt: skip
    async_to_sync(layer.group_send)(group_name(event.workshop_id), message)
