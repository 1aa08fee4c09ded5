"""The live wall's streams: SSE and WebSocket clients see each other's ideas, a client that
reconnects catches up from its last event id, facilitators_only events reach only organisers,
and strangers get nothing."""

import asyncio
import uuid

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async

from compact.partnerships.models import Role
from compact.workshops.live.guest import cookie_name
from compact.workshops.models import WallEvent
from compact.workshops.services.events import wall_event
from compact.workshops.services.ideas import idea_submit
from compact.workshops.services.participants import participant_join_guest

from .live_clients import SocketClient, SSEClient, committed, run_async, sign_guest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _live(keep_the_test_connection, no_language_model):
    """See tests/workshops/live_clients.py."""


@committed
def add_idea(workshop, person=None, participant=None, text="Local suppliers first"):
    return idea_submit(
        workshop=workshop, prompt=workshop.prompts.first(), text=text, idempotency_key=uuid.uuid4(),
        actor=person, participant=participant,
    )  # fmt: skip


@run_async
async def test_two_sse_clients_see_each_others_ideas_live(live_workshop, people):
    member, guest_user = people[Role.MEMBER], people[Role.CONVENOR]
    guest, raw_key = await database_sync_to_async(participant_join_guest)(workshop=live_workshop, display_name="Ada")
    last = await database_sync_to_async(lambda: WallEvent.objects.last().pk)()
    a = SSEClient(live_workshop, user=member, since=last)
    b = SSEClient(live_workshop, headers=sign_guest(live_workshop, raw_key), since=last)
    assert await a.connect() == 200 and await b.connect() == 200
    await add_idea(live_workshop, person=member, text="<b>Pay on time</b>")
    await add_idea(live_workshop, participant=guest, text="Fund core costs")
    for client in (a, b):
        (_, kind1, one), (_, kind2, two) = await client.events(2)
        assert (kind1, one["text"], one["by"]) == ("idea", "<b>Pay on time</b>", member.full_name)
        assert (kind2, two["text"], two["by"]) == ("idea", "Fund core costs", "Ada")
    await a.close()
    await b.close()
    assert guest_user  # the convenor is not connected and needs nothing


@run_async
async def test_a_client_that_reconnects_gets_everything_after_its_last_id_once(live_workshop, people):
    member = people[Role.MEMBER]
    client = SSEClient(live_workshop, user=member)
    await client.connect()
    history = await client.events(await database_sync_to_async(WallEvent.objects.count)())
    assert [kind for _, kind, _ in history][-1] == "prompt"
    await add_idea(live_workshop, person=member, text="First")
    ((last_id, _, first),) = await client.events(1)
    assert first["text"] == "First"
    await client.close()
    # While away: two ideas.
    await add_idea(live_workshop, person=people[Role.CONVENOR], text="Second")
    await add_idea(live_workshop, person=people[Role.FACILITATOR], text="Third")
    again = SSEClient(live_workshop, user=member, headers=[(b"last-event-id", str(last_id).encode())])
    await again.connect()
    missed = await again.events(2)
    assert [d["text"] for _, _, d in missed] == ["Second", "Third"]
    assert all(pk > last_id for pk, _, _ in missed)
    await again.nothing_more()
    await again.close()


@run_async
async def test_an_event_the_channel_dropped_is_fetched_when_the_next_one_shows_the_gap(live_workshop, people):
    """A full channel drops messages silently. Each message names the workshop's event before it,
    so a stream that never saw that one catches up from the database before going on."""

    @committed
    def dropped_then_published():
        dropped = WallEvent.objects.create(workshop=live_workshop, kind="note", data={"text": "dropped"})
        wall_event(live_workshop, "note", {"text": "published"})
        return dropped

    start = await database_sync_to_async(lambda: WallEvent.objects.last().pk)()
    client = SSEClient(live_workshop, user=people[Role.MEMBER], since=start)
    await client.connect()
    await dropped_then_published()
    assert [d["text"] for _, _, d in await client.events(2)] == ["dropped", "published"]
    await client.nothing_more()
    await client.close()


@run_async
async def test_facilitators_only_events_never_reach_participants(live_workshop, people):
    @committed
    def tally():
        from django.db import transaction

        with transaction.atomic():
            wall_event(live_workshop, "tally", {"dots": {"1": 4}}, facilitators_only=True)
            return wall_event(live_workshop, "note", {"text": "for everyone"})

    start = await database_sync_to_async(lambda: WallEvent.objects.last().pk)()
    member = SSEClient(live_workshop, user=people[Role.MEMBER], since=start)
    facilitator = SSEClient(live_workshop, user=people[Role.FACILITATOR], since=start)
    await member.connect()
    await facilitator.connect()
    await tally()
    assert [kind for _, kind, _ in await facilitator.events(2)] == ["tally", "note"]
    assert [kind for _, kind, _ in await member.events(1)] == ["note"]
    await member.nothing_more()
    # ... nor in a catch-up.
    late = SSEClient(live_workshop, user=people[Role.MEMBER], since=start)
    await late.connect()
    assert [kind for _, kind, _ in await late.events(1)] == ["note"]
    await late.nothing_more()
    for client in (member, facilitator, late):
        await client.close()


@run_async
async def test_strangers_and_bad_cookies_get_404(live_workshop, people):
    for client in (
        SSEClient(live_workshop, user=people["outsider"]),
        SSEClient(live_workshop, headers=[(b"cookie", f"{cookie_name(live_workshop.pk)}=forged:value".encode())]),
        SSEClient(live_workshop),
    ):
        assert await client.connect() == 404


@run_async
async def test_websocket_clients_see_ideas_and_catch_up(live_workshop, people):
    member = people[Role.MEMBER]
    start = await database_sync_to_async(lambda: WallEvent.objects.last().pk)()
    sockets = []
    for person in (member, people[Role.OBSERVER]):
        socket = SocketClient(f"/live/workshops/{live_workshop.pk}/ws/?since={start}", person)
        connected, _ = await socket.connect()
        assert connected
        sockets.append(socket)
    await add_idea(live_workshop, person=member, text="Shared buying")
    for socket in sockets:
        message = await socket.receive_json_from(2)
        assert message["kind"] == "idea" and message["data"]["text"] == "Shared buying"
    await sockets[0].send_json_to({"since": start})  # asking again sends nothing twice
    assert await sockets[0].receive_nothing(0.3)
    for socket in sockets:
        await socket.disconnect()
    stranger = SocketClient(f"/live/workshops/{live_workshop.pk}/ws/", people["outsider"])
    connected, code = await stranger.connect()
    assert not connected and code == 4404


@run_async
async def test_the_asgi_application_routes_streams_to_channels_and_pages_to_django(live_workshop):
    from config.asgi import application

    guest, raw_key = await database_sync_to_async(participant_join_guest)(workshop=live_workshop, display_name="Bo")
    scope = {
        "type": "http", "http_version": "1.1", "method": "GET", "path": f"/live/workshops/{live_workshop.pk}/events/",
        "query_string": b"", "headers": [(b"host", b"localhost"), *sign_guest(live_workshop, raw_key)],
    }  # fmt: skip
    stream = ApplicationCommunicator(application, scope)
    await stream.send_input({"type": "http.request", "body": b""})
    start = await stream.receive_output(2)
    assert start["status"] == 200 and (b"content-type", b"text/event-stream; charset=utf-8") in start["headers"]
    await stream.send_input({"type": "http.disconnect"})
    await stream.wait(1)
    page = ApplicationCommunicator(application, {**scope, "path": "/join/", "headers": [(b"host", b"localhost")]})
    await page.send_input({"type": "http.request", "body": b""})
    assert (await page.receive_output(5))["status"] in (200, 404)
    await asyncio.sleep(0)
