"""Browser journeys: a real uvicorn server on a temporary SQLite database with the demo data,
driven by Debian's Chromium through Playwright (sync API). Every page is checked with axe-core.

These tests never touch the test process's database: no `db`, `live_server` or
`transactional_db` (the audit table's SQLite triggers refuse the DELETEs a flush needs).
All tests share the one server database, so they use unique names."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from .journey import Journey

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "compact-demo-2026"
CONVENOR = "convenor@example.org"
SEL = "south-east-london"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


@dataclass
class Server:
    base_url: str
    email_dir: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python() -> str:
    python = VENV_BIN / "python"
    return str(python) if python.exists() else sys.executable


# The global autouse fixtures in tests/conftest.py (`_fresh_cache`, `_media_in_memory`) only
# touch the cache and settings of this test process, not its database, so they are left as they are.


_SERVER: Server | None = None


@pytest.fixture(autouse=True)
def _server_log_start(request, e2e_server):
    """Remember where the server log was when the test started (see pytest_runtest_makereport)."""
    request.node.e2e_log_start = len(e2e_server.log())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing journey's report shows what the server logged during it (tracebacks of 500s)."""
    outcome = yield
    report = outcome.get_result()
    start = getattr(item, "e2e_log_start", None)
    if report.failed and _SERVER is not None and start is not None:
        report.sections.append(("e2e server log during this test", _SERVER.log()[start:] or "(nothing)"))


@pytest.fixture(scope="session")
def e2e_server(request):
    tmp = Path(tempfile.mkdtemp(prefix="compact-e2e-"))
    email_dir, media_dir = tmp / "email", tmp / "media"
    email_dir.mkdir()
    media_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.e2e",
        "DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}",
        "E2E_EMAIL_DIR": str(email_dir),
        "E2E_MEDIA_ROOT": str(media_dir),
        "PYTHONUNBUFFERED": "1",
    }
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        done = subprocess.run(
            [_python(), "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        if done.returncode:
            pytest.fail(f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)

    port = _free_port()
    log_path = tmp / "server.log"
    log = log_path.open("w")
    uvicorn = VENV_BIN / "uvicorn"
    server = subprocess.Popen(
        [
            str(uvicorn) if uvicorn.exists() else "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    info = Server(base_url=f"http://127.0.0.1:{port}", email_dir=email_dir, log_path=log_path)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(info.base_url + "/", timeout=2):  # noqa: S310 (our own server)
                break
        except urllib.error.HTTPError:
            break  # it answered
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail(f"The e2e server did not start. Its log:\n{info.log()}", pytrace=False)
            time.sleep(0.2)

    global _SERVER
    _SERVER = info
    failed_before = request.session.testsfailed
    yield info
    _SERVER = None

    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    log.close()
    if request.session.testsfailed > failed_before:
        print(f"\nThe e2e database, emails, uploads and server log are kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, e2e_server):
    """Make a fresh browser context (its own cookies), closed at the end of the test."""
    contexts = []

    def make(**options):
        options = {"base_url": e2e_server.base_url, "viewport": VIEWPORT, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def journey(page, e2e_server):
    return Journey(page, e2e_server.base_url)


def sign_in(journey: Journey, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through allauth's page, as a person would."""
    journey.goto("/accounts/login/")
    journey.page.get_by_label("Email address").fill(email)
    journey.page.get_by_label("Password", exact=True).fill(password)
    journey.submit(journey.page.get_by_role("button", name="Sign in"))


@pytest.fixture(scope="session")
def convenor_state(browser, e2e_server, tmp_path_factory):
    """The convenor's signed-in cookies, saved once (signing in is tested in its own journey)."""
    context = browser.new_context(base_url=e2e_server.base_url, viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(context.new_page(), e2e_server.base_url)
    sign_in(journey, CONVENOR)
    assert journey.path == "/dashboard/", f"Signing in as {CONVENOR} did not reach the dashboard: {journey.page.url}"
    path = tmp_path_factory.mktemp("state") / "convenor.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


@pytest.fixture
def convenor(new_context, convenor_state, e2e_server):
    """A journey signed in as the demo convenor of South East London."""
    return Journey(new_context(storage_state=convenor_state).new_page(), e2e_server.base_url)


def pytest_collection_modifyitems(items):
    # Under pytest-xdist, keep every journey on one worker so only one server and one browser
    # start; the other worker runs the unit tests meanwhile.
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))
