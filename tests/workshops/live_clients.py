"""What the live-stream tests share: an SSE client and a WebSocket client on asgiref's
communicator, running async tests on the main thread, and publishing after commit. Their fixtures
(keep_the_test_connection, no_language_model) are in conftest.py."""

import functools
import json

from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from django.test import TestCase
from django.urls import path

from compact.workshops.live.consumers import WallEventsConsumer, WallSocketConsumer
from compact.workshops.live.guest import cookie_name, set_guest_cookie


def run_async(test):
    """Run an async test from this (the main) thread, so the consumers' database calls come back
    to it and share the test's connection and transaction (SQLite's audit-log triggers refuse
    the flush that transactional tests need)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return async_to_sync(test)(*args, **kwargs)

    return run


def committed(fn):
    """Run `fn` in the main thread, then its on-commit work (publishing to the channel layer)."""

    @database_sync_to_async
    def call(*args, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return fn(*args, **kwargs)

    return call


sse_app = URLRouter([path("live/workshops/<int:workshop_id>/events/", WallEventsConsumer.as_asgi())])
ws_app = URLRouter([path("live/workshops/<int:workshop_id>/ws/", WallSocketConsumer.as_asgi())])


class SSEClient:
    """An EventSource, as far as the tests need: connect, read events, disconnect."""

    def __init__(self, workshop, user=None, headers=(), since=None):
        scope = {
            "type": "http", "http_version": "1.1", "method": "GET",
            "path": f"/live/workshops/{workshop.pk}/events/",
            "query_string": f"since={since}".encode() if since is not None else b"",
            "headers": list(headers),
        }  # fmt: skip
        if user is not None:
            scope["user"] = user
        self.app = ApplicationCommunicator(sse_app, scope)
        self.buffer = ""
        self.status = None

    async def connect(self):
        await self.app.send_input({"type": "http.request", "body": b""})
        start = await self.app.receive_output(2)
        self.status = start.get("status")
        return self.status

    async def events(self, n, timeout=2):
        """The next n events as (id, kind, data)."""
        found = []
        while len(found) < n:
            while "\n\n" not in self.buffer:
                message = await self.app.receive_output(timeout)
                self.buffer += message.get("body", b"").decode()
            block, self.buffer = self.buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":")
            if "data" in fields:
                body = json.loads(fields["data"])
                found.append((int(fields["id"]), body["kind"], body["data"]))
        return found

    async def nothing_more(self):
        assert await self.app.receive_nothing(0.3)

    async def close(self):
        await self.app.send_input({"type": "http.disconnect"})
        await self.app.wait(1)


class SocketClient:
    """A WebSocket client on asgiref's communicator (channels.testing needs daphne, which
    this project does not install)."""

    def __init__(self, path, user):
        path, _, query = path.partition("?")
        scope = {"type": "websocket", "path": path, "query_string": query.encode(), "headers": [], "user": user,
                 "subprotocols": []}  # fmt: skip
        self.app = ApplicationCommunicator(ws_app, scope)

    async def connect(self):
        await self.app.send_input({"type": "websocket.connect"})
        reply = await self.app.receive_output(2)
        return reply["type"] == "websocket.accept", reply.get("code")

    async def receive_json_from(self, timeout=2):
        return json.loads((await self.app.receive_output(timeout))["text"])

    async def send_json_to(self, data):
        await self.app.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_nothing(self, timeout):
        return await self.app.receive_nothing(timeout)

    async def disconnect(self):
        await self.app.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.app.wait(1)


def sign_guest(workshop, raw_key):
    """The cookie exactly as the join page sets it (set_guest_cookie), as a request header."""
    from django.http import HttpResponse

    response = HttpResponse()
    set_guest_cookie(response, workshop, raw_key)
    morsel = response.cookies[cookie_name(workshop.pk)]
    return [(b"cookie", f"{morsel.key}={morsel.coded_value}".encode())]
