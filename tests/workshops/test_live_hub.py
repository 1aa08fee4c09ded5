"""The process's rooms (live/hub.py): many streams of one wall share one channel-layer group
member, so each event crosses the layer once per process; a stream that falls behind, or a room
that missed events, catches up from the database without losing or repeating one."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from compact.partnerships.models import Role
from compact.workshops.live import hub
from compact.workshops.models import WallEvent
from compact.workshops.services.events import group_name, wall_event

from .live_clients import SSEClient, committed, run_async

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _live(keep_the_test_connection, no_language_model):
    """See tests/workshops/live_clients.py."""


async def last_id():
    return await database_sync_to_async(lambda: WallEvent.objects.last().pk)()


def members_of(workshop) -> set:
    return set(get_channel_layer().groups.get(group_name(workshop.pk), {}))


async def joined() -> hub.Inbox:
    """The one stream's inbox, once it has joined its room (just after its response starts)."""
    for _ in range(100):
        rooms = list(hub.hub().rooms.values())
        if rooms and rooms[0].inboxes:
            return next(iter(rooms[0].inboxes))
        await asyncio.sleep(0.01)
    raise AssertionError("the stream never joined its room")


@committed
def note(workshop, text, **kwargs):
    return wall_event(workshop, "note", {"text": text}, **kwargs)


@run_async
async def test_three_streams_of_one_wall_are_one_group_member_and_all_get_each_event(live_workshop, people):
    start = await last_id()
    clients = [SSEClient(live_workshop, user=people[role], since=start) for role in (Role.MEMBER, Role.FACILITATOR)]
    clients.append(SSEClient(live_workshop, user=people[Role.MEMBER], since=start))
    for client in clients:
        assert await client.connect() == 200
    assert len(members_of(live_workshop)) == 1
    await note(live_workshop, "Shared once")
    for client in clients:
        assert [d["text"] for _, _, d in await client.events(1)] == ["Shared once"]
        await client.nothing_more()
    await clients[0].close()
    assert len(members_of(live_workshop)) == 1  # the others still follow
    await note(live_workshop, "Still here")
    for client in clients[1:]:
        assert [d["text"] for _, _, d in await client.events(1)] == ["Still here"]
        await client.close()
    assert members_of(live_workshop) == set()  # the last one out leaves the group


@run_async
async def test_a_stream_whose_queue_overflowed_catches_up_in_order_without_repeats(live_workshop, people, monkeypatch):
    monkeypatch.setattr(hub, "INBOX_SIZE", 2)
    start = await last_id()
    client = SSEClient(live_workshop, user=people[Role.MEMBER], since=start)
    await client.connect()
    # Hold the stream's pump so its queue fills and later messages are dropped.
    inbox = await joined()
    real_get = inbox.queue.get
    gate = asyncio.Event()

    async def held_get():
        await gate.wait()
        return await real_get()

    inbox.queue.get = held_get
    for i in range(6):
        await note(live_workshop, f"Burst {i}")
    await asyncio.sleep(0.1)
    assert inbox.queue.full()
    gate.set()
    await note(live_workshop, "After the burst")
    texts = [d["text"] for _, _, d in await client.events(7)]
    assert texts == [f"Burst {i}" for i in range(6)] + ["After the burst"]
    await client.nothing_more()
    await client.close()


@run_async
async def test_a_room_that_missed_the_last_events_before_a_quiet_spell_tells_streams_to_catch_up(
    live_workshop, people, monkeypatch
):
    monkeypatch.setattr(hub, "CHECK_SECONDS", 0.2)
    start = await last_id()
    member = SSEClient(live_workshop, user=people[Role.MEMBER], since=start)
    await member.connect()
    # Stored and committed, but never published (as if Redis had been unreachable).
    await database_sync_to_async(WallEvent.objects.create)(workshop=live_workshop, kind="note", data={"text": "Lost?"})
    await database_sync_to_async(WallEvent.objects.create)(
        workshop=live_workshop, kind="tally", data={"items": []}, facilitators_only=True
    )
    assert [d["text"] for _, _, d in await member.events(1, timeout=3)] == ["Lost?"]
    await member.nothing_more()  # and never the facilitators' tally
    await member.close()


@run_async
async def test_a_room_that_cannot_join_the_channel_layer_fails_the_stream_and_the_next_one_retries(
    live_workshop, people, monkeypatch
):
    layer = get_channel_layer()
    real_group_add = layer.group_add
    calls = []

    async def unreachable(group, channel):
        calls.append(group)
        if len(calls) == 1:
            raise ConnectionError("Redis is restarting")
        return await real_group_add(group, channel)

    monkeypatch.setattr(layer, "group_add", unreachable)
    start = await last_id()
    with pytest.raises(ConnectionError):
        await hub.hub().join(layer, live_workshop.pk)
    assert hub.hub().rooms == {}
    client = SSEClient(live_workshop, user=people[Role.MEMBER], since=start)
    assert await client.connect() == 200
    await note(live_workshop, "Back")
    assert [d["text"] for _, _, d in await client.events(1)] == ["Back"]
    await client.close()


@run_async
async def test_events_published_out_of_order_reach_every_stream_in_order_once(live_workshop, people):
    """Two requests commit events 1 and 2 in that order, but their publishing threads race."""
    from django.db import transaction

    from compact.workshops.services import events

    @database_sync_to_async
    def two_committed_events():
        with transaction.atomic():
            first = WallEvent.objects.create(workshop=live_workshop, kind="note", data={"text": "First"})
            second = WallEvent.objects.create(workshop=live_workshop, kind="note", data={"text": "Second"})
        return first, second

    start = await last_id()
    clients = [SSEClient(live_workshop, user=people[r], since=start) for r in (Role.MEMBER, Role.FACILITATOR)]
    for client in clients:
        await client.connect()
    first, second = await two_committed_events()
    await database_sync_to_async(events.publish)(second, first.pk)
    await database_sync_to_async(events.publish)(first, start)
    for client in clients:
        assert [d["text"] for _, _, d in await client.events(2)] == ["First", "Second"]
        await client.nothing_more()
        await client.close()
