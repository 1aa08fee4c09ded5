"""Live wall clients. Both transports do the same three things:

1. check who is asking (a partnership member by their session, or a guest by the workshop's
   cookie) and whether they are an organiser (only organisers get facilitators_only events);
2. join the workshop's room in this process (live/hub.py: one channel-layer group member per
   process per workshop), then send every stored event after the client's last id (SSE: the
   Last-Event-ID header the browser sends when it reconnects, or ?since=), so nothing committed
   while it was away is missed;
3. forward each new event as it is published, skipping ids already sent (an event can arrive
   both in the catch-up and from the room)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from dataclasses import dataclass
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.http import AsyncHttpConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from compact.partnerships.rules import is_organiser

from .. import selectors_live
from ..services.participants import participant_for_key
from . import hub
from .guest import key_from_scope

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
RETRY_MS = 2000
SEEN = 2000  # ids remembered for de-duplication
MAX_CATCH_UP_PAGES = 20  # 10,000 events; past that the client is told to reload


@dataclass(frozen=True)
class Viewer:
    workshop_id: int
    organiser: bool


def viewer_for(scope, workshop_id: int) -> Viewer | None:
    """Who may follow this wall: members of the partnership, and guests holding its cookie."""
    workshop = selectors_live.workshop_by_id(workshop_id)
    if workshop is None:
        return None
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.has_perm("workshops.view_workshop", workshop):
        return Viewer(workshop.pk, bool(is_organiser.test(user, workshop)))
    if participant_for_key(workshop=workshop, raw_key=key_from_scope(scope, workshop.pk)) is not None:
        return Viewer(workshop.pk, False)
    return None


def _events_after(viewer: Viewer, since: int, limit: int = selectors_live.MAX_CATCH_UP) -> list[dict]:
    return [
        _payload(e)
        for e in selectors_live.events_since(
            workshop_id=viewer.workshop_id, since=since, organiser=viewer.organiser, limit=limit
        )
    ]


def _payload(event) -> dict:
    return {"id": event.pk, "kind": event.kind, "data": event.data, "facilitators_only": event.facilitators_only}


class _Follower:
    """What both transports share: the viewer, the room, the ids already sent and catch-up."""

    viewer: Viewer | None = None
    inbox: hub.Inbox | None = None
    pumping: asyncio.Task | None = None

    def _start(self):
        self._seen_ids: set[int] = set()
        self._seen_order: deque[int] = deque()
        self.cursor = 0

    def _mark(self, pk: int) -> bool:
        """True the first time an id is seen."""
        if pk in self._seen_ids:
            return False
        self._seen_ids.add(pk)
        self._seen_order.append(pk)
        if len(self._seen_order) > SEEN:
            self._seen_ids.discard(self._seen_order.popleft())
        self.cursor = max(self.cursor, pk)
        return True

    async def follow(self, since: int) -> None:
        """Join the room before reading the catch-up, so nothing falls between the two."""
        self.inbox = await hub.hub().join(self.channel_layer, self.viewer.workshop_id)
        await self.catch_up(since)
        self.pumping = asyncio.ensure_future(self._pump())

    async def unfollow(self) -> None:
        if self.pumping is not None:
            self.pumping.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.pumping
            self.pumping = None
        if self.inbox is not None:
            inbox, self.inbox = self.inbox, None
            await hub.hub().leave(self.channel_layer, self.viewer.workshop_id, inbox)

    async def _pump(self) -> None:
        try:
            await hub.pump(self.inbox, self.on_group_event)
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went mid-send; disconnect() cleans up
            logger.debug("Live wall stream stopped", exc_info=True)

    async def catch_up(self, since: int) -> None:
        self.cursor = since
        for _ in range(MAX_CATCH_UP_PAGES):
            events = await database_sync_to_async(_events_after)(self.viewer, self.cursor)
            for payload in events:
                if self._mark(payload["id"]):
                    await self.deliver(payload)
            if len(events) < selectors_live.MAX_CATCH_UP:
                return
        await self.deliver({"id": self.cursor, "kind": "reload", "data": {}, "facilitators_only": False})

    async def on_group_event(self, message) -> None:
        if message is hub.RESYNC or "kind" not in message:
            await self.catch_up(self.cursor)  # the room missed something
            return
        pk = int(message["id"])
        if pk in self._seen_ids:
            return
        if int(message.get("previous") or 0) > self.cursor:
            # An earlier event never reached us (a full queue drops messages): fetch what we
            # missed first. Events commit in id order, so everything up to `previous` is there.
            await self.catch_up(self.cursor)
            self.cursor = max(self.cursor, int(message["previous"]))
            if pk in self._seen_ids:
                return
        payload = {k: message[k] for k in ("id", "kind", "data", "facilitators_only")}
        if not self._mark(pk) or (payload["facilitators_only"] and not self.viewer.organiser):
            return
        await self.deliver(payload)

    async def deliver(self, payload: dict) -> None:  # pragma: no cover - each transport has its own
        raise NotImplementedError


def _since(value) -> int:
    try:
        return max(int(str(value).strip()), 0)
    except (TypeError, ValueError):
        return 0


class WallEventsConsumer(_Follower, AsyncHttpConsumer):
    """Server-Sent Events: GET /live/workshops/<id>/events/ (text/event-stream)."""

    heartbeat = None

    async def http_request(self, message):
        # AsyncHttpConsumer ends the response when handle() returns; a stream stays open until
        # the client goes (http.disconnect) while the room keeps handing it events.
        if "body" in message:
            self.body.append(message["body"])
        if not message.get("more_body"):
            await self.handle(b"".join(self.body))

    async def handle(self, body):
        self._start()
        workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        self.viewer = await database_sync_to_async(viewer_for)(self.scope, workshop_id)
        if self.viewer is None:
            await self.send_response(404, b"No such workshop", headers=[(b"content-type", b"text/plain")])
            raise StopConsumer()
        headers = dict(self.scope.get("headers", []))
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        since = _since(headers.get(b"last-event-id", b"").decode("latin-1") or (query.get("since") or ["0"])[0])
        await self.send_headers(
            headers=[
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache, no-store"),
                (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
            ]
        )
        await self.send_body(f"retry: {RETRY_MS}\n\n".encode(), more_body=True)
        await self.follow(since)
        self.heartbeat = asyncio.ensure_future(self._beat())

    async def _beat(self):
        """Keep proxies from closing a quiet stream (the room checks for missed events)."""
        with contextlib.suppress(Exception):
            while True:
                await asyncio.sleep(HEARTBEAT_SECONDS)
                await self.send_body(b": keep-alive\n\n", more_body=True)

    async def deliver(self, payload: dict) -> None:
        data = json.dumps({"kind": payload["kind"], "data": payload["data"]}, separators=(",", ":"))
        await self.send_body(f"id: {payload['id']}\ndata: {data}\n\n".encode(), more_body=True)

    async def disconnect(self):
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        await self.unfollow()


class WallSocketConsumer(_Follower, AsyncJsonWebsocketConsumer):
    """WebSocket: /live/workshops/<id>/ws/?since=<id>. Messages are {"id", "kind", "data"}."""

    async def connect(self):
        self._start()
        workshop_id = int(self.scope["url_route"]["kwargs"]["workshop_id"])
        self.viewer = await database_sync_to_async(viewer_for)(self.scope, workshop_id)
        if self.viewer is None:
            await self.close(code=4404)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        await self.accept()
        await self.follow(_since((query.get("since") or ["0"])[0]))

    async def receive_json(self, content, **kwargs):
        """A client may ask again for everything after an id: {"since": 123}."""
        if isinstance(content, dict) and "since" in content:
            # Never further back than what this connection already has: a client cannot make
            # the server re-read the whole history over and over.
            await self.catch_up(max(_since(content["since"]), self.cursor))

    async def deliver(self, payload: dict) -> None:
        await self.send_json({"id": payload["id"], "kind": payload["kind"], "data": payload["data"]})

    async def disconnect(self, code):
        await self.unfollow()
