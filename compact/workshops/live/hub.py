"""One channel-layer subscription per workshop per process, shared by every stream of that wall.

Without it each stream is its own group member, so channels-redis stores and pops every event
once per connected client (300 clients at 10 ideas a second is 3,000 Redis round trips a second).
Here a process joins the workshop's group once (a `Room`), reads each event once and hands it to
its local streams through bounded in-memory queues.

The room also puts events in order. Events commit in id order (services/events.py), but they are
published from different threads and processes, so they can reach the layer out of order, and a
full channel drops messages. Each message names the workshop's event before it; when that is not
the last one the room passed on, the room reads what it missed from the database (where it is
already, committed) once for all its streams, instead of every stream doing so. Every
`CHECK_SECONDS` it also looks for events it never received (the last ones before a quiet spell,
or any while Redis was unreachable).

A stream whose own queue is full loses messages, never ideas: it notices the gap at the next
message, or is told to catch up at the next check, and reads from the database after its last id."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable

from channels.db import database_sync_to_async

from .. import selectors_live
from ..services.events import group_name

logger = logging.getLogger(__name__)

INBOX_SIZE = 1000  # events a slow stream may fall behind before it catches up from the database
CHECK_SECONDS = 15
RETRY_SECONDS = 1

RESYNC = {"type": "wall.resync"}  # "catch up from the database after your last id": not an event


class Inbox:
    """A stream's queue of messages from its room."""

    def __init__(self):
        self.queue: asyncio.Queue[dict] = asyncio.Queue(INBOX_SIZE)
        self.dropped = False

    def put(self, message: dict) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.dropped = True  # the next message's `previous`, or the room's next check, shows it

    async def get(self) -> dict:
        return await self.queue.get()


def _last_event_id(workshop_id: int) -> int:
    return selectors_live.last_event_id(workshop_id)  # a foreign key filters by id as well


def _events_after(workshop_id: int, since: int) -> list[dict]:
    """Every event after `since` (facilitators' ones too: each stream filters), as messages."""
    messages = []
    for event in selectors_live.events_since(workshop_id=workshop_id, since=since, organiser=True):
        messages.append({"type": "wall.event", "id": event.pk, "previous": since, "kind": event.kind,
                         "data": event.data, "facilitators_only": event.facilitators_only})  # fmt: skip
        since = event.pk
    return messages


class Room:
    """This process's member of one workshop's group."""

    def __init__(self, layer, workshop_id: int):
        self.layer = layer
        self.workshop_id = workshop_id
        self.inboxes: set[Inbox] = set()
        self.channel: str | None = None
        self.cursor = 0  # every event up to this id has been passed on, in order
        self.working = False
        self._started = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(group_name(self.workshop_id), self.channel)
            # Read after joining: an event committed in between arrives through the group, and
            # each stream reads everything up to here itself when it joins.
            self.cursor = await database_sync_to_async(_last_event_id)(self.workshop_id)
            self._tasks = [asyncio.ensure_future(self._read()), asyncio.ensure_future(self._check())]
            self.working = True
        finally:
            self._started.set()

    async def ready(self) -> bool:
        """Wait for another stream's start(); False if it failed."""
        await self._started.wait()
        return self.working

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self.channel is not None:
            try:
                await self.layer.group_discard(group_name(self.workshop_id), self.channel)
            except Exception:  # the group entry expires on its own (channels' group_expiry)
                logger.warning("Could not leave the channel group of workshop %s", self.workshop_id, exc_info=True)

    def _send(self, message: dict) -> None:
        self.cursor = message["id"]
        for inbox in list(self.inboxes):
            inbox.put(message)

    async def _catch_up(self) -> None:
        while True:
            missed = await database_sync_to_async(_events_after)(self.workshop_id, self.cursor)
            for message in missed:
                self._send(message)
            if len(missed) < selectors_live.MAX_CATCH_UP:
                return

    async def on_message(self, message: dict) -> None:
        try:
            pk, previous = int(message["id"]), int(message.get("previous") or 0)
        except (KeyError, TypeError, ValueError):
            return
        if pk <= self.cursor:
            return  # passed on already, from the database
        if previous > self.cursor or "kind" not in message:
            await self._catch_up()  # this one is committed too, so it comes with them
        else:
            self._send(message)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
                await self.on_message(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Live wall %s: channel layer or database unreachable; retrying", self.workshop_id,
                               exc_info=True)  # fmt: skip
                await asyncio.sleep(RETRY_SECONDS)

    async def _check(self) -> None:
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                if await database_sync_to_async(_last_event_id)(self.workshop_id) > self.cursor:
                    await self._catch_up()
            except Exception:
                logger.warning("Live wall %s: could not check for missed events", self.workshop_id, exc_info=True)
            for inbox in list(self.inboxes):
                if inbox.dropped and not inbox.queue.full():
                    inbox.dropped = False
                    inbox.put(RESYNC)


class Hub:
    """This process's rooms (one hub per event loop: a process serves from one loop)."""

    def __init__(self):
        self.rooms: dict[tuple[int, int], Room] = {}

    async def join(self, layer, workshop_id: int) -> Inbox:
        """Raises what the channel layer raised if the room cannot start (the stream then fails
        and its client retries, as after any dropped connection)."""
        key = (id(layer), workshop_id)
        room = self.rooms.get(key)
        if room is None or not await room.ready():
            room = self.rooms[key] = Room(layer, workshop_id)
            try:
                await room.start()
            except Exception:
                if self.rooms.get(key) is room:
                    del self.rooms[key]
                raise
        inbox = Inbox()
        room.inboxes.add(inbox)
        return inbox

    async def leave(self, layer, workshop_id: int, inbox: Inbox) -> None:
        key = (id(layer), workshop_id)
        room = self.rooms.get(key)
        if room is None:
            return
        room.inboxes.discard(inbox)
        if not room.inboxes:
            del self.rooms[key]  # before awaiting: a stream joining now starts a new room
            await room.stop()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub()
    return _hubs[loop]


async def pump(inbox: Inbox, handle: Callable[[dict], Awaitable[None]]) -> None:
    """Hand a stream's messages to it one by one until the stream goes."""
    while True:
        await handle(await inbox.get())
