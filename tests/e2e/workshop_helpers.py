"""Small helpers shared by the newer workshop and key area journeys: people in browsers of their
own, planning and starting a workshop through its pages, adding ideas from the wall, reading
the emails the server wrote, and the 320 px check."""

from __future__ import annotations

import datetime as dt
import email
import re
import time
import uuid
from email import policy
from pathlib import Path

from playwright.sync_api import expect

from .conftest import SEL, sign_in
from .journey import Journey, fits_phone  # noqa: F401 (journeys import it from here too)

CHARTER = "South East London VCSE Charter"
PHONE = {"width": 320, "height": 720}
BEN, CHLOE = "facilitator@example.org", "member@example.org"
LIVE_MS = 8_000  # an idea sent in one browser shows in another (SSE) within this
STORED_MS = 30_000  # the server answers once an idea is stored; allow for a loaded machine


def suffix() -> str:
    return uuid.uuid4().hex[:8]


def alert(journey: Journey):
    return journey.page.get_by_role("alert")


def hidden_suffix(visible: str, hidden: str) -> re.Pattern:
    """A control's name made of visible text and a visually hidden part (Chromium may put a space between)."""
    return re.compile(rf"^{re.escape(visible)}\s*{re.escape(hidden)}$")


def region(journey: Journey, name: str):
    return journey.page.get_by_role("region", name=name, exact=True)


def card(scope, text: str):
    """An idea's card (on the wall or the themes board), by its exact text."""
    return scope.locator(".compact-idea").filter(
        has=scope.page.locator(".compact-idea__text", has_text=re.compile(rf"^{re.escape(text)}$"))
    )


def person(new_context, e2e_server, who: str, **options) -> Journey:
    """Someone signed in, in a browser of their own."""
    journey = Journey(new_context(**options).new_page(), e2e_server.base_url)
    sign_in(journey, who)
    assert journey.path == "/dashboard/", f"Signing in as {who} did not reach the dashboard: {journey.page.url}"
    return journey


def on_phone(new_context, e2e_server, journey: Journey) -> Journey:
    """The same person (same cookies) in a second browser 320 px wide."""
    context = new_context(storage_state=journey.page.context.storage_state(), viewport=PHONE)
    return Journey(context.new_page(), e2e_server.base_url)


# Emails ------------------------------------------------------------------------------------------


def emails_to(email_dir: Path, address: str) -> list[email.message.EmailMessage]:
    """Messages the file backend wrote for `address` (one file per connection, messages split by dashes)."""
    found = []
    for path in sorted(email_dir.glob("*")):
        for chunk in re.split(r"\n-{79}\n", path.read_text(errors="replace")):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.strip() + "\n", policy=policy.default)
            if address.lower() in (message["To"] or "").lower():
                found.append(message)
    return found


def text_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",)) or message
    return part.get_content()


def wait_for_emails(email_dir: Path, address: str, count: int = 1, timeout: float = 10) -> list:
    """The messages to `address`, once there are at least `count` (the server sends after its commit)."""
    deadline = time.monotonic() + timeout
    while True:
        found = emails_to(email_dir, address)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


# Workshops ---------------------------------------------------------------------------------------


def to_charter(journey: Journey) -> None:
    journey.goto(f"/p/{SEL}/")
    journey.link(CHARTER)
    expect(journey.heading()).to_have_text(CHARTER)


def run_workshops_outside_the_stage(convenor: Journey) -> None:
    """The charter is drafting, a stage that does not run workshops: the convenor's stage
    settings open "Run workshops live" outside the workshops stage."""
    to_charter(convenor)
    convenor.link("Stage settings")
    expect(convenor.heading()).to_have_text("Stage settings")
    convenor.page.get_by_role("checkbox", name=re.compile("^Run workshops live")).set_checked(True)
    convenor.button("Save settings")
    expect(convenor.heading()).to_have_text(CHARTER)


def plan_workshop(ben: Journey, title: str, prompts: list[str]) -> str:
    """Plan a workshop from the process page with its prompts; the workshop page's path."""
    page = ben.page
    to_charter(ben)
    ben.link("Plan a workshop")
    expect(ben.heading()).to_have_text("Plan a workshop")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Date", exact=True).fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Venue (for in-person and hybrid workshops)").fill("Woolwich Centre, SE18 6HQ")
    ben.submit(page.locator("#main-form").get_by_role("button", name="Plan workshop"))
    expect(ben.heading()).to_have_text(title)
    for text in prompts:
        form = page.locator("#main-form")
        form.get_by_label("Question").fill(text)
        ben.click(form.get_by_role("button", name="Add prompt"))
        expect(alert(ben)).to_contain_text("The prompt has been added.")
    return ben.path


def live_workshop(convenor: Journey, new_context, e2e_server, title: str, prompt: str) -> tuple[Journey, str]:
    """Ben plans a workshop with one question, starts it and opens the question: (Ben, its path)."""
    run_workshops_outside_the_stage(convenor)
    ben = person(new_context, e2e_server, BEN)
    workshop_path = plan_workshop(ben, title, [prompt])
    start_and_open(ben, [prompt])
    return ben, workshop_path


def suggest_themes(ben: Journey) -> None:
    """Press "Suggest themes", allowing for the language model's first load."""
    page = ben.page
    page.set_default_navigation_timeout(45_000)
    page.set_default_timeout(45_000)
    ben.button("Suggest themes")
    page.set_default_navigation_timeout(10_000)
    page.set_default_timeout(10_000)


def start_and_open(ben: Journey, prompts: list[str]) -> None:
    page = ben.page
    ben.button("Start the workshop")
    expect(alert(ben)).to_contain_text("The workshop is live.")
    for text in prompts:
        ben.click(page.get_by_role("button", name=hidden_suffix("Open for ideas", f": {text}")))
        expect(alert(ben)).to_contain_text(f"Open for ideas: {text}")


def wait_live(journey: Journey) -> None:
    """wall.js has connected to the live stream."""
    expect(journey.page.locator("[data-wall-status]")).to_have_text(
        re.compile("appear here as people add them"), timeout=LIVE_MS
    )


def send_idea(journey: Journey, prompt: str, text: str, table: str = "") -> None:
    """Add an idea from the wall (wall.js sends it without reloading); a facilitator may type up
    a table's paper note."""
    section = region(journey, prompt)
    textarea = section.get_by_label("Your idea")
    textarea.fill(text)
    if table:
        section.get_by_label("For a table (optional)").fill(table)
    section.get_by_role("button", name=re.compile(r"^Add idea")).click()
    expect(textarea).to_have_value("", timeout=STORED_MS)  # cleared only once the server has it
    expect(section.locator("[data-idea-feedback]")).to_have_text("Your idea has been added.")


class Problems:
    """Checks of behaviour a journey depends on less than its main path (known product bugs):
    a failure is recorded and the journey goes on; `raise_any()` at its end fails the test
    with every one of them."""

    def __init__(self):
        self.found: list[str] = []

    def check(self, what: str, assertion) -> bool:
        try:
            assertion()
        except AssertionError as exc:
            self.found.append(f"{what}: {str(exc).splitlines()[0]}")
            return False
        return True

    def raise_any(self) -> None:
        if self.found:
            raise AssertionError("The journey went on past these problems:\n- " + "\n- ".join(self.found))
