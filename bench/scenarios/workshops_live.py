"""The live wall.

`live_transport`: how long an idea takes to reach N connected clients, over Server-Sent Events
and over WebSockets, on one uvicorn process (the channel layer the settings give: in memory, or
Redis with REDIS_URL). BENCH_LIVE_CLIENTS="50,200" widens it (default 50).

`live_at_scale`: the issue's load. 300 participants follow the wall over SSE, 150 on each of two
uvicorn processes sharing PostgreSQL and Redis, and together send 10 ideas a second for 60
seconds, each through the server its sender follows. Every client counts every idea it sees, so
ideas lost or duplicated are counted exactly; the delay of an idea is from the start of its POST
to the moment the last of the 300 clients has it. Needs the bench database on PostgreSQL and
REDIS_URL (skipped with a note otherwise). BENCH_LIVE_SCALE="clients,rate,seconds" changes it.

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
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import PageTiming, percentile
from bench.registry import scenario

IDEAS = 15
CLIENTS = tuple(int(n) for n in os.environ.get("BENCH_LIVE_CLIENTS", "50").split(",") if n.strip())
SCALE = tuple(int(n) for n in os.environ.get("BENCH_LIVE_SCALE", "300,10,60").split(","))
DRAIN = 60  # seconds after the last POST for every client to get every idea


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.bench")}
    return env


def _start_server(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port), "--log-level", "warning",
         "--no-access-log", "--lifespan", "off"],
        env=_server_env(),
    )  # fmt: skip


def _wait_for(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"uvicorn on port {port} did not start")


def _stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)


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

    suffix = secrets.token_hex(3)
    partnership = PartnershipFactory(name=f"Bench wall {suffix}", slug=f"bench-wall-{suffix}")
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
    server = _start_server(port)
    try:
        _wait_for(port)
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
        _stop_server(server)


# The scale: two processes, 300 clients, 10 ideas a second for a minute ---------------------


@dataclass
class Count:
    """A count for the results table (lost or duplicated ideas): shown in the p95 column."""

    name: str
    value: float
    unit: str = "ideas"
    target_ms: float | None = 0  # the target, in the count's own unit

    @property
    def passed(self) -> bool:
        return self.target_ms is None or self.value <= self.target_ms

    def records(self, when: str) -> list[dict]:
        return [{"name": self.name, "value": self.value, "unit": self.unit, "target": self.target_ms,
                 "better": "lower", "n": 1, "when": when}]  # fmt: skip

    def row(self) -> dict:
        return {"name": self.name, "p50": None, "p95": self.value, "target": self.target_ms, "cpu_p50": None,
                "queries": 0, "passed": self.passed}  # fmt: skip


@dataclass
class Wall:
    """What every client saw: per client, how often each idea came; per idea, when it arrived."""

    clients: int
    seen: list[dict] = field(default_factory=list)  # client -> {text: times seen}
    first_seen: dict = field(default_factory=dict)  # text -> [arrival per client]
    reconnects: int = 0
    events: int = 0

    def __post_init__(self):
        self.seen = [{} for _ in range(self.clients)]

    def saw(self, client: int, text: str, at: float) -> None:
        self.events += 1
        count = self.seen[client].get(text, 0)
        self.seen[client][text] = count + 1
        if count == 0:
            self.first_seen.setdefault(text, []).append(at)

    def everyone_has(self, text: str) -> bool:
        return len(self.first_seen.get(text, ())) >= self.clients


def _http_head(port: int, path: str, cookie: str, extra: str = "") -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            f"Accept: text/event-stream\r\n{extra}\r\n").encode()  # fmt: skip


async def _follow(client: int, port: int, workshop_id: int, cookie: str, wall: Wall, ready, stop) -> None:
    """One participant's EventSource: follows the stream, and after a drop reconnects with
    Last-Event-ID as browsers do (so a drop costs time, never an idea)."""
    last_id = None
    announced = False
    while not stop.is_set():
        path = f"/live/workshops/{workshop_id}/events/" + ("" if last_id else "?since=0")
        extra = f"Last-Event-ID: {last_id}\r\n" if last_id else ""
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
        except OSError:
            await asyncio.sleep(0.5)
            continue
        try:
            writer.write(_http_head(port, path, cookie, extra))
            await writer.drain()
            event_id, data = None, None
            while True:
                line = await reader.readline()
                if not line:
                    break
                if line.startswith(b"data: "):
                    data = line[6:]
                elif line.startswith(b"id: "):
                    event_id = line[4:].strip().decode()
                elif line.startswith(b"retry: ") and not announced:
                    announced = True
                    ready.release()
                elif line in (b"\n", b"\r\n") and data is not None:
                    text = json.loads(data)["data"].get("text", "")
                    wall.saw(client, text, time.perf_counter())
                    last_id, event_id, data = event_id or last_id, None, None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()
        if not stop.is_set():
            wall.reconnects += 1
            await asyncio.sleep(0.2)


async def _post(port: int, code: str, prompt_id: int, cookie: str, text: str) -> tuple[int, float]:
    """POST one idea as wall.js does; returns (HTTP status, seconds until the response)."""
    started = time.perf_counter()
    token = secrets.token_hex(16)
    body = urllib.parse.urlencode({"prompt": prompt_id, "idempotency_key": str(uuid.uuid4()), "text": text}).encode()
    head = (f"POST /join/{code}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}; csrftoken={token}\r\n"
            f"X-CSRFToken: {token}\r\nAccept: application/json\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 30)
        response = await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()
    status = int(status_line.split()[1])
    if status == 200 and b'"ok": true' not in response and b'"ok":true' not in response:
        status = 599
    return status, time.perf_counter() - started


async def _lag_monitor(samples: list[float], stop) -> None:
    """How late the client's event loop wakes from a 10 ms sleep: if the client side were the
    bottleneck, its arrival times (and so the delays) would be late by about this much."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        samples.append((time.perf_counter() - before - 0.01) * 1000)


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


async def _scale_run(ports, workshop, prompt, cookies, clients, rate, seconds, log) -> dict:
    wall = Wall(clients)
    ready, stop, lag_stop = asyncio.Semaphore(0), asyncio.Event(), asyncio.Event()
    followers = [
        asyncio.create_task(_follow(i, ports[i % 2], workshop.pk, cookies[i], wall, ready, stop))
        for i in range(clients)
    ]
    for _ in range(clients):
        await asyncio.wait_for(ready.acquire(), 60)

    async def until_everyone_has(texts, timeout):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and not all(wall.everyone_has(t) for t in texts):
            await asyncio.sleep(0.01)

    # Warm up each server (first request, first event) and prove every stream is subscribed.
    warm = [f"warm-up {i}" for i in range(2)]
    for i, text in enumerate(warm):
        status, _ = await _post(ports[i], workshop.join_code, prompt.pk, cookies[i], text)
        assert status == 200, f"warm-up idea answered {status}"
    await until_everyone_has(warm, 30)
    missing = [t for t in warm if not wall.everyone_has(t)]
    assert not missing, f"{missing}: not every client is following the wall"
    wall.reconnects = 0

    lag: list[float] = []
    lag_task = asyncio.create_task(_lag_monitor(lag, lag_stop))
    total = rate * seconds
    texts = [f"Scale idea {i} {secrets.token_hex(3)}" for i in range(total)]
    started_at: dict[str, float] = {}
    posts: list[tuple[int, float]] = []

    async def send(i: int) -> None:
        client = i % clients
        started_at[texts[i]] = time.perf_counter()
        try:
            posts.append(await _post(ports[client % 2], workshop.join_code, prompt.pk, cookies[client], texts[i]))
        except (OSError, TimeoutError, ValueError, IndexError) as exc:
            log(f"  POST {i} failed: {exc!r}")
            posts.append((0, 0.0))

    cpu_before = time.process_time()
    t0 = time.perf_counter()
    senders = []
    for i in range(total):
        await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))  # open loop: on schedule
        senders.append(asyncio.create_task(send(i)))
        if i and i % (rate * 10) == 0:
            done = sum(wall.everyone_has(t) for t in texts[:i])
            log(f"  {i / rate:.0f} s: {i} sent, {done} seen by all {clients}, {wall.reconnects} reconnections")
    send_span = time.perf_counter() - t0
    await asyncio.gather(*senders)
    # Let a backlog drain (a late idea counts in the delays; only one never seen counts as lost).
    await until_everyone_has(texts, DRAIN)
    elapsed = time.perf_counter() - t0
    client_cpu = time.process_time() - cpu_before
    await asyncio.sleep(1)  # any late duplicate would arrive now
    lag_stop.set()
    stop.set()
    for task in followers:
        task.cancel()
    await asyncio.gather(*followers, lag_task, return_exceptions=True)

    delays, lost, duplicated = [], 0, 0
    for text in texts:
        for seen in wall.seen:
            n = seen.get(text, 0)
            lost += n == 0
            duplicated += max(n - 1, 0)
        if wall.everyone_has(text):
            delays.append((max(wall.first_seen[text]) - started_at[text]) * 1000)
    return {
        "texts": texts, "delays": delays, "lost": lost, "duplicated": duplicated, "posts": posts, "lag": lag,
        "reconnects": wall.reconnects, "events": wall.events, "send_span": send_span, "elapsed": elapsed,
        "never_seen": sum(1 for t in texts if not wall.first_seen.get(t)),
        "client_cpu": client_cpu,
    }  # fmt: skip


def _scale_seed(clients: int):
    from django.core import signing

    from compact.workshops.live.guest import SALT, cookie_name
    from compact.workshops.services.participants import participant_join_guest

    workshop, prompt, _ = _seed(0)

    name = cookie_name(workshop.pk)
    cookies = []
    for i in range(clients):
        _, raw = participant_join_guest(workshop=workshop, display_name=f"Participant {i}")
        # Signed with the salt key_from_scope reads (see the report on compact/workshops/live/guest.py).
        cookies.append(f"{name}={signing.get_cookie_signer(salt=name + SALT).sign(raw)}")
    return workshop, prompt, cookies


@scenario("workshops")
def live_at_scale(ctx):
    from django.conf import settings
    from django.db import connection

    from compact.workshops.models import Idea

    clients, rate, seconds = SCALE
    if connection.vendor != "postgresql" or not settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith(
        "channels_redis"
    ):
        ctx.log(
            "live_at_scale skipped: it needs the bench database on PostgreSQL and REDIS_URL (two processes share "
            "events through Redis; the database is created if missing). For example: "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/compact_bench REDIS_URL=redis://127.0.0.1:6379/0 "
            "DJANGO_SETTINGS_MODULE=config.settings.bench python -m bench --only workshops"
        )
        return []
    started = time.perf_counter()
    workshop, prompt, cookies = _scale_seed(clients)
    ctx.log(f"Seeded {clients} participants in {time.perf_counter() - started:.1f}s")
    ports = [_free_port(), _free_port()]
    servers = [_start_server(port) for port in ports]
    try:
        for port in ports:
            _wait_for(port)
        cpu_before = [_cpu_seconds(s.pid) for s in servers]
        result = asyncio.run(_scale_run(ports, workshop, prompt, cookies, clients, rate, seconds, ctx.log))
        server_cpu = [_cpu_seconds(s.pid) - b for s, b in zip(servers, cpu_before, strict=True)]
    finally:
        for server in servers:
            _stop_server(server)

    texts = result["texts"]
    stored = Idea.objects.filter(workshop=workshop, text__in=texts).count()
    ok = sum(1 for status, _ in result["posts"] if status == 200)
    delays, lag, elapsed = result["delays"], result["lag"], result["elapsed"]
    tag = f"workshops.live_{clients}_clients_2_processes"
    ctx.log(
        f"{tag}: {len(texts)} ideas sent in {result['send_span']:.1f}s ({ok} answered 200, {stored} stored), "
        f"{result['lost']} lost and {result['duplicated']} duplicated deliveries over {clients} clients, "
        f"{result['never_seen']} ideas seen by no client, {result['events']:,} events received, "
        f"{result['reconnects']} reconnections, last idea in {elapsed - result['send_span']:.1f}s after the last POST; delay p50 "
        f"{percentile(delays, 50):.0f} ms, p95 {percentile(delays, 95):.0f} ms, max {max(delays):.0f} ms; "
        f"client loop lag p95 {percentile(lag, 95):.1f} ms, max {max(lag):.1f} ms; CPU over {elapsed:.0f}s: "
        f"client {result['client_cpu'] / elapsed:.0%} of a core, servers "
        + ", ".join(f"{c / elapsed:.0%}" for c in server_cpu)
    )
    post_ms = [seconds_ * 1000 for status, seconds_ in result["posts"] if status == 200]
    return [
        PageTiming(f"{tag}.delay_to_last_client", delays, queries=0, target_ms=300),
        PageTiming(f"{tag}.post_response", post_ms, queries=0, target_ms=None),
        PageTiming(f"{tag}.client_loop_lag", lag, queries=0, target_ms=None),
        Count(f"{tag}.ideas_lost", result["lost"]),
        Count(f"{tag}.ideas_duplicated", result["duplicated"]),
        Count(f"{tag}.ideas_not_stored", len(texts) - stored),
        Count(f"{tag}.posts_failed", len(texts) - ok, unit="requests"),
    ]
