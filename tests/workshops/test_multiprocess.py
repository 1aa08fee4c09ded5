"""Two app processes, one wall: an idea sent to server A reaches a client following server B's
stream (Server-Sent Events), through the Redis channel layer and the shared PostgreSQL database.
A client that reconnects with Last-Event-ID gets what it missed, and nothing twice.

Nothing here uses the test process's database or transaction (the servers could not see it):
the test creates its own PostgreSQL database on the server named by DATABASE_URL, migrates and
seeds it in subprocesses, and drops it at the end. The servers use a Redis database of their own
(claimed with a key, from the top of Redis's 16 down) so the channel layer's groups never meet
those of another run or of the test suite's cache (databases 1 and up)."""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import json
import os
import queue
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
REDIS_URL = os.environ.get("REDIS_URL", "")
CLAIM_KEY = "compact:multiprocess-test:claim"
WAIT = 5.0  # seconds an event may take to reach the other process's client
START_TIMEOUT = 45.0
# channels-redis blocks 5 s on an idle stream; settings give its Redis a 30 s socket timeout.
IDLE = 7.0  # seconds: longer than channels-redis's 5 s blocking read


def _python() -> str:
    python = VENV_BIN / "python"
    return str(python) if python.exists() else sys.executable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The database and Redis of this run --------------------------------------------------------------


def _server_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    return url


def _admin_connection(url: str):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or "") or None, dbname="postgres", autocommit=True,
        connect_timeout=10,
    )  # fmt: skip


@pytest.fixture(scope="module")
def mp_database_url():
    """A fresh, empty PostgreSQL database for this run's servers, dropped at the end."""
    from psycopg import sql

    url = _server_database_url()
    name = f"compact_mp_{secrets.token_hex(5)}"
    with _admin_connection(url) as conn:
        # template0 takes no connections, so creating from it never waits for another session.
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
    try:
        yield urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}", query=""))
    finally:
        with _admin_connection(url) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def mp_redis_url():
    """A Redis database number of this run's own, claimed with SET NX (databases 8 to 15: the
    suite's cache uses 1 + the xdist worker number, CI's REDIS_URL names 0)."""
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set: two processes need the Redis channel layer to share events")
    import redis

    base = REDIS_URL.split("?", 1)[0].rstrip("/")
    if re.search(r"/\d+$", base):
        base = base.rsplit("/", 1)[0]
    token = secrets.token_hex(8)
    for number in range(15, 7, -1):
        client = redis.Redis.from_url(f"{base}/{number}", socket_timeout=5)
        try:
            if client.set(CLAIM_KEY, token, nx=True, ex=600):
                break
        except redis.RedisError as exc:
            client.close()
            pytest.skip(f"Redis at {base} does not answer: {exc}")
        client.close()
    else:
        pytest.fail("No free Redis database between 8 and 15 (each holds a claim of another run)")
    try:
        yield f"{base}/{number}"
    finally:
        # The channel layer's keys of this run (channels-redis prefixes them with "asgi"), then the claim.
        for key in client.scan_iter(match="asgi*", count=500):
            client.delete(key)
        if client.get(CLAIM_KEY) == token.encode():
            client.delete(CLAIM_KEY)
        client.close()


# Servers -----------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no log)"


@dataclass
class Cluster:
    a: Server
    b: Server
    c: Server  # a third process, for the idle-stream test
    seed: dict
    tmp: Path

    def dump_logs(self) -> str:
        return "\n".join(f"----- server {s.name} ({s.base_url}) log -----\n{s.log()}" for s in (self.a, self.b, self.c))


def _run(command: list[str], env: dict, what: str) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    if done.returncode:
        pytest.fail(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


def _start(name: str, env: dict, tmp: Path) -> Server:
    port = _free_port()
    log_path = tmp / f"server-{name}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [_python(), "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--lifespan", "off", "--no-access-log"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    return Server(name, f"http://127.0.0.1:{port}", process, log_path)


def _wait_until_up(server: Server, deadline: float) -> None:
    while True:
        try:
            with urllib.request.urlopen(server.base_url + "/join/", timeout=2):  # noqa: S310 (our own server)
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            if server.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"Server {server.name} did not start. Its log:\n{server.log()}") from None
            time.sleep(0.2)


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(mp_database_url, mp_redis_url):
    tmp = Path(tempfile.mkdtemp(prefix="compact-mp-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.e2e",  # a real server's settings, files in tmp
        "DATABASE_URL": mp_database_url,
        "REDIS_URL": mp_redis_url,  # the channel layer: channels-redis (config/settings/base.py)
        "E2E_EMAIL_DIR": str(tmp / "email"),
        "E2E_MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    _run([_python(), "manage.py", "migrate", "--noinput", "-v0"], env, "manage.py migrate")
    seed = json.loads(
        _run([_python(), "-m", "tests.workshops.multiprocess_seed"], env, "seeding").strip().splitlines()[-1]
    )
    servers = []
    try:
        servers = [_start("A", env, tmp), _start("B", env, tmp), _start("C", env, tmp)]
        deadline = time.monotonic() + START_TIMEOUT
        for server in servers:
            _wait_until_up(server, deadline)
        yield Cluster(*servers, seed=seed, tmp=tmp)
    finally:
        for server in servers:
            _stop(server)
        shutil.rmtree(tmp, ignore_errors=True)


# Clients -----------------------------------------------------------------------------------------


class Browser:
    """A cookie jar and urllib: what a browser without JavaScript does (forms, redirects)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base_url + path, timeout=10) as response:
            assert response.status == 200, f"GET {path}: {response.status}"
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[str, str]:
        """POST a form with the CSRF token Django put on the page; returns (final url, page)."""
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")
        request.add_header("Referer", self.base_url + path)
        with self.opener.open(request, timeout=10) as response:
            assert response.status == 200, f"POST {path}: {response.status}"
            return response.url, response.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} field on the page"
    return match.group(1)


def join_as_guest(base_url: str, code: str, name: str) -> tuple[Browser, str]:
    """Join with the code (the guest's form), as someone who followed the QR code. Returns the
    browser (holding the guest cookie) and the wall page it lands on."""
    browser = Browser(base_url)
    form = browser.get(f"/join/{code}/")
    url, wall = browser.post(
        f"/join/{code}/", {"csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"), "display_name": name}
    )
    assert url.endswith(f"/join/{code}/") and "data-idea-form" in wall, "the guest did not land on the wall"
    return browser, wall


def sign_in(base_url: str, email: str, password: str, wall_path: str) -> tuple[Browser, str]:
    """Sign in through allauth's form, then open the wall. Returns the browser and the wall page."""
    browser = Browser(base_url)
    form = browser.get("/accounts/login/")
    url, _page = browser.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"), "login": email, "password": password},
    )
    assert "/accounts/login/" not in url, f"signing in as {email} failed"
    return browser, browser.get(wall_path)


def stream_path(wall: str) -> str:
    """The page's own stream address with ?since= one before its last event, so the stream's
    catch-up sends exactly one event: once it has come, the stream has joined the group."""
    match = re.search(r'data-wall-stream="([^"?]+)\?since=(\d+)"', wall)
    assert match, "the wall page names no event stream"
    return f"{match.group(1)}?since={max(int(match.group(2)) - 1, 0)}"


def submit_idea(browser: Browser, code: str, text: str) -> str:
    """Send the wall's idea form as a browser without JavaScript does; returns the page after."""
    wall = browser.get(f"/join/{code}/")
    form = wall[wall.index("data-idea-form") :]
    _url, page = browser.post(
        f"/join/{code}/",
        {
            "csrfmiddlewaretoken": _field(form, "csrfmiddlewaretoken"),
            "prompt": _field(form, "prompt"),
            "idempotency_key": _field(form, "idempotency_key"),
            "text": text,
        },
    )
    assert "Your idea has been added" in page, "the idea was not accepted"
    return page


class Stream:
    """One Server-Sent Events connection, read on a thread into a queue of (id, data) events."""

    def __init__(self, base_url: str, path: str, cookie: str, last_event_id: str | None = None):
        parts = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Cookie": cookie, "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        self.conn.request("GET", path, headers=headers)
        self.response = self.conn.getresponse()
        assert self.response.status == 200, f"stream answered {self.response.status}: {self.response.read()[:500]!r}"
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")
        self.events: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        event_id, data = None, []
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                line = line.decode().rstrip("\r\n")
                if line.startswith("id: "):
                    event_id = int(line[4:])
                elif line.startswith("data: "):
                    data.append(line[6:])
                elif line == "" and data:
                    self.events.put((event_id, json.loads("\n".join(data)), time.monotonic()))
                    event_id, data = None, []
        except Exception:  # noqa: BLE001 - closed under it by close() or by the server: the stream ended
            pass
        self.events.put(None)

    def next_idea(self, timeout: float = WAIT) -> tuple[int, dict]:
        """The next idea event (other kinds are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                item = self.events.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise AssertionError(f"no idea event within {timeout:.0f} s") from None
            if item is None:
                raise AssertionError("the stream ended")
            if item[1]["kind"] == "idea":
                self.arrived_at = item[2]  # when the reading thread had it
                return item[0], item[1]["data"]

    def close(self) -> None:
        with contextlib.suppress(OSError, AttributeError):  # wakes the reading thread
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        self.conn.close()
        self.thread.join(timeout=5)


def _follow_on_b_while_a_takes_ideas(cluster: Cluster, follower: Browser, wall: str, page: str) -> None:
    """The follower's stream on B sees an idea sent through A's form live, and after dropping
    and reconnecting with Last-Event-ID it gets exactly what it missed, then live ideas again."""
    code = cluster.seed["join_code"]
    streams: list[Stream] = []
    try:
        path = stream_path(wall)
        stream = Stream(cluster.b.base_url, path, follower.cookie_header())
        streams.append(stream)
        # The latest idea comes by catch-up, which runs after the stream joined the group.
        ready_id, _ready = stream.next_idea()

        # A guest sends an idea through server A's form (no JavaScript: POST, redirect).
        sender, _wall = join_as_guest(cluster.a.base_url, code, "Sender on A")
        text = f"Shared across processes {secrets.token_hex(4)}"
        sent_at = time.monotonic()
        submit_idea(sender, code, text)
        live_id, live = stream.next_idea()
        took = stream.arrived_at - sent_at
        assert live["text"] == text and live["by"] == "Sender on A"
        assert live_id > ready_id
        assert took < WAIT, f"the idea took {took:.2f} s to reach the other process's client"

        # The follower drops; meanwhile two more ideas go to A.
        stream.close()
        missed = [f"Sent while away {i} {secrets.token_hex(4)}" for i in range(2)]
        for missed_text in missed:
            submit_idea(sender, code, missed_text)

        # It reconnects to B as EventSource does, with Last-Event-ID: it gets exactly what it missed.
        again = Stream(cluster.b.base_url, path.split("?")[0], follower.cookie_header(), last_event_id=str(live_id))
        streams.append(again)
        caught_up = [again.next_idea() for _ in missed]
        assert [d["text"] for _i, d in caught_up] == missed
        assert live_id < caught_up[0][0] < caught_up[1][0]

        # The reconnected stream is live again too, and nothing already sent comes twice.
        last = f"After the reconnection {secrets.token_hex(4)}"
        submit_idea(sender, code, last)
        last_id, last_data = again.next_idea()
        assert last_data["text"] == last and last_id > caught_up[-1][0]
        with pytest.raises(AssertionError, match="no idea event"):
            again.next_idea(timeout=0.5)

        # Both servers render the same wall from the shared database.
        assert all(t in sender.get(f"/join/{code}/") for t in (text, *missed, last))
        assert all(t in follower.get(page) for t in (text, *missed, last))
    except BaseException:
        print(cluster.dump_logs())  # shown by pytest with the failure
        raise
    finally:
        for s in streams:
            s.close()


def wall_url(cluster: Cluster) -> str:
    return cluster.b.base_url + cluster.seed["wall_path"]


def test_an_idea_sent_to_one_process_reaches_a_member_following_the_other(cluster):
    seed = cluster.seed
    follower, wall = sign_in(cluster.b.base_url, seed["member"], seed["password"], seed["wall_path"])
    _follow_on_b_while_a_takes_ideas(cluster, follower, wall, urllib.parse.urlsplit(wall_url(cluster)).path)


def test_an_idle_stream_on_a_server_as_deployed_stays_open(cluster):
    """A stream with nothing to say must outlive channels-redis's 5 s blocking read (it once
    died there: redis-py 8's default socket timeout is also 5 s)."""
    seed = cluster.seed
    follower, wall = sign_in(cluster.c.base_url, seed["member"], seed["password"], seed["wall_path"])
    stream = Stream(cluster.c.base_url, stream_path(wall), follower.cookie_header())
    try:
        stream.next_idea()
        time.sleep(IDLE)
        sender, _wall = join_as_guest(cluster.a.base_url, seed["join_code"], "Sender after a pause")
        text = f"After a quiet moment {secrets.token_hex(4)}"
        submit_idea(sender, seed["join_code"], text)
        _id, data = stream.next_idea()
        assert data["text"] == text
    finally:
        stream.close()


def test_an_idea_sent_to_one_process_reaches_a_guest_following_the_other(cluster):
    code = cluster.seed["join_code"]
    follower, wall = join_as_guest(cluster.b.base_url, code, "Follower on B")
    _follow_on_b_while_a_takes_ideas(cluster, follower, wall, f"/join/{code}/")
