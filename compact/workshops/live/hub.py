"""One channel-layer subscription per workshop per process, shared by every stream of that wall.

Without it each stream is its own group member, so channels-redis stores and pops every event
once per connected client: 300 clients and 10 ideas a second is 3,000 Redis round trips a second,
and delays grew to 16 s in the bench (docs/decisions/0003). Here a process joins the workshop's
group once (a `Room`), reads each event once and hands it to its local streams through bounded
in-memory queues.

A stream whose queue is full loses messages, never ideas: each message names the workshop's
previous event, so the stream notices the gap at the next one and catches up from the database.
A room also checks the database every `CHECK_SECONDS` for events it never received (the last
ones before a quiet spell, or any while Redis was unreachable) and tells its streams to catch up."""

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

RESYNC = {"type": "wall.resync"}  # "catch up from the database": not an event


class Inbox:
    """A stream's queue of messages from its room."""

    def __init__(self):
        self.queue: asyncio.Queue[dict] = asyncio.Queue(INBOX_SIZE)
        self.resync = False  # set when a RESYNC found the queue full

    def put(self, message: dict) -> None:
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            # Dropped: the next message's `previous` (or the next check) shows the gap.
            if message is RESYNC:
                self.resync = True

    async def get(self) -> dict:
        if self.resync:  # only set while the queue is full, so nothing waits on it meanwhile
            self.resync = False
            return RESYNC
        return await self.queue.get()


def _last_event_id(workshop_id: int) -> int:
    return selectors_live.last_event_id(workshop_id)  # a foreign key filters by id as well


class Room:
    """This process's member of one workshop's group."""

    def __init__(self, layer, workshop_id: int):
        self.layer = layer
        self.workshop_id = workshop_id
        self.inboxes: set[Inbox] = set()
        self.channel: str | None = None
        self.last_id = 0  # the highest event id this room has received or checked
        self._started = asyncio.Event()
        self.working = False
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        try:
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(group_name(self.workshop_id), self.channel)
            # Read after joining: an event committed in between arrives through the group.
            self.last_id = await database_sync_to_async(_last_event_id)(self.workshop_id)
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
        for inbox in list(self.inboxes):
            inbox.put(message)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Live wall %s: channel layer unreachable; retrying", self.workshop_id, exc_info=True)
                await asyncio.sleep(RETRY_SECONDS)
                continue
            try:
                self.last_id = max(self.last_id, int(message.get("id") or 0))
            except (TypeError, ValueError):
                continue
            self._send(message)

    async def _check(self) -> None:
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                last = await database_sync_to_async(_last_event_id)(self.workshop_id)
            except Exception:
                logger.warning("Live wall %s: could not check for missed events", self.workshop_id, exc_info=True)
                continue
            if last > self.last_id:
                self.last_id = last
                self._send(RESYNC)


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
        message = await inbox.get()
        await handle(message)
