"""The live wall's transports: how long an idea takes to reach N connected clients, over
Server-Sent Events and over WebSockets, on one uvicorn process (in-memory channel layer).

Each idea is POSTed through uvicorn (as wall.js does), so the measured time is the whole trip:
request, save, commit, channel layer, every client's stream. See docs/decisions/0003."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

from bench.measure import PageTiming
from bench.registry import scenario

IDEAS = 15
CLIENTS = (50, 200)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed(n_guests: int):
    import datetime as dt

    from django.core import signing
    from django.utils import timezone

    from compact.partnerships.models import Role
    from compact.processes.models import StageKind
    from compact.workshops.live.guest import SALT, cookie_name
    from compact.workshops.models import Prompt, Workshop
    from compact.workshops.services.participants import participant_join_guest
    from tests.factories import PartnershipFactory, ProcessFactory, at_stage, member

    partnership = PartnershipFactory(name="Bench wall", slug=f"bench-wall-{secrets.token_hex(3)}")
    process = at_stage(ProcessFactory(partnership=partnership), StageKind.WORKSHOPS)
    facilitator = member(partnership, Role.FACILITATOR)
    now = timezone.now()
    workshop = Workshop.objects.create(
        partnership=partnership, process=process, stage=process.stages.get(kind=StageKind.WORKSHOPS),
        title="Bench", slug="bench", starts_at=now, ends_at=now + dt.timedelta(hours=3),
        state=Workshop.State.LIVE, join_code=secrets.token_hex(3).upper(), created_by=facilitator,
    )  # fmt: skip
    prompt = Prompt.objects.create(workshop=workshop, position=1, text="Q?", state=Prompt.State.OPEN)
    name = cookie_name(workshop.pk)
    cookies = []
    for i in range(n_guests):
        _, raw = participant_join_guest(workshop=workshop, display_name=f"Guest {i}")
        cookies.append(f"{name}={signing.get_cookie_signer(salt=name + SALT).sign(raw)}")
    return workshop, prompt, cookies


async def _sse_client(port, workshop_id, cookie, arrivals, ready):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /live/workshops/{workshop_id}/events/?since=999999999 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    try:
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"retry: "):
                ready.release()  # authorised; it joins the group next
            elif line.startswith(b"data: "):
                text = json.loads(line[6:])["data"].get("text", "")
                arrivals.setdefault(text, []).append(time.perf_counter())
    finally:
        writer.close()


async def _ws_client(port, workshop_id, cookie, arrivals, ready):
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{port}/live/workshops/{workshop_id}/ws/?since=999999999"
    async with connect(url, additional_headers={"Cookie": cookie}, origin=f"http://127.0.0.1:{port}") as ws:
        ready.release()
        async for message in ws:
            text = json.loads(message)["data"].get("text", "")
            arrivals.setdefault(text, []).append(time.perf_counter())


def _post_idea(port, code, prompt_id, cookie, text):
    token = secrets.token_hex(16)
    body = f"prompt={prompt_id}&idempotency_key={uuid.uuid4()}&text={text}".encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/join/{code}/", data=body, method="POST",
        headers={"Cookie": f"{cookie}; csrftoken={token}", "X-CSRFToken": token, "Accept": "application/json",
                 "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["ok"]


async def _measure(port, transport, n, workshop, prompt, cookies) -> list[float]:
    arrivals: dict[str, list[float]] = {}
    ready = asyncio.Semaphore(0)
    client = _sse_client if transport == "sse" else _ws_client
    tasks = [asyncio.create_task(client(port, workshop.pk, cookies[i], arrivals, ready)) for i in range(n)]
    for _ in range(n):
        await asyncio.wait_for(ready.acquire(), 30)
    await asyncio.sleep(1)  # every stream subscribed
    samples = []
    for i in range(IDEAS):
        text = f"{transport}-{n}-{i}"
        started = time.perf_counter()
        await asyncio.to_thread(_post_idea, port, workshop.join_code, prompt.pk, cookies[n + i], text)
        deadline = time.perf_counter() + 10
        while len(arrivals.get(text, [])) < n and time.perf_counter() < deadline:
            await asyncio.sleep(0.002)
        got = arrivals.get(text, [])
        if len(got) < n:
            raise AssertionError(f"{transport}: {len(got)} of {n} clients got idea {i}")
        samples.append((max(got) - started) * 1000)  # the last client to see it
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return samples


@scenario("workshops")
def live_transport(ctx):
    workshop, prompt, cookies = _seed(max(CLIENTS) + 2 * IDEAS * len(CLIENTS) * 2)
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.bench")}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        metrics, offset = [], 0
        for n in CLIENTS:
            for transport in ("sse", "ws"):
                guests = cookies[offset : offset + n + IDEAS]
                offset += IDEAS
                samples = asyncio.run(_measure(port, transport, n, workshop, prompt, cookies[:n] + guests[n:]))
                metrics.append(
                    PageTiming(f"workshops.live_{transport}_{n}_clients", samples, queries=0, target_ms=1000)
                )
                ctx.log(f"{transport} x{n}: p50 {sorted(samples)[len(samples) // 2]:.1f} ms, max {max(samples):.1f} ms")
        return metrics
    finally:
        server.terminate()
        server.wait(10)
