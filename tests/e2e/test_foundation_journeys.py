"""Journeys through the foundations of Compact, as the people who use it would make them.

Every page a journey reaches is checked with axe-core (see journey.py). All tests share one
server database with the demo data, so anything a test creates has a unique name."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import CONVENOR, SEL, sign_in
from .journey import Journey
from .workshop_helpers import emails_to

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

STAGES = [
    "Leadership group",
    "Workshops",
    "Evidence and case studies",
    "Drafting",
    "Consultation",
    "Sign-off",
    "Publication",
    "Delivery",
]
PHONE = {"width": 320, "height": 720}


def _suffix() -> str:
    return uuid.uuid4().hex[:8]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#005a4e").save(buffer, "PNG")
    return buffer.getvalue()


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _create_process(journey: Journey, title: str, kind: str = "Charter") -> None:
    """From the partnership overview: Start a process, keep every stage, land on its stage dates."""
    journey.link("Start a process")
    expect(journey.heading()).to_have_text("Start a process")
    journey.page.get_by_label("Title").fill(title)
    journey.page.get_by_role("radio", name=kind, exact=True).check()
    stages = journey.page.get_by_role("group", name="Stages")
    for name in STAGES:
        expect(stages.get_by_role("checkbox", name=name, exact=True)).to_be_checked()
    journey.button("Create process")
    expect(journey.heading()).to_have_text("Set stage dates")
    expect(journey.page.get_by_role("alert")).to_contain_text(f"{title} has been created")


# a. Signing in --------------------------------------------------------------------------


def test_convenor_signs_in_and_sees_their_partnerships(journey):
    journey.goto("/")
    expect(journey.heading()).to_have_text("Plan, agree and keep your VCSE agreement")
    journey.link("Sign in")
    expect(journey.heading()).to_have_text("Sign in")

    sign_in(journey, CONVENOR)
    assert journey.path == "/dashboard/"
    expect(journey.heading()).to_have_text("Hello, Amara")
    partnerships = journey.page.get_by_role("heading", name="Your partnerships").locator("xpath=..")
    expect(partnerships.get_by_role("link", name="South East London", exact=True)).to_be_visible()
    expect(journey.page.get_by_role("link", name="South East London VCSE Charter")).to_be_visible()
    expect(journey.page.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_shows_an_error_and_keeps_the_email(journey):
    journey.goto("/accounts/login/")
    email_field = journey.page.get_by_label("Email address")
    email_field.fill("observer@example.org")
    journey.page.get_by_label("Password", exact=True).fill("not-the-password")
    journey.button("Sign in")

    assert journey.path == "/accounts/login/"
    summary = journey.error_summary()
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(email_field).to_have_value("observer@example.org")
    expect(journey.page.get_by_label("Password", exact=True)).to_have_value("")
    assert journey.page.title().startswith("Error:")


# b. Creating a partnership --------------------------------------------------------------


def test_convenor_creates_a_partnership_with_an_accessible_brand_colour(convenor):
    suffix = _suffix()
    name, short = f"E2E Partnership {suffix}", f"E2E {suffix}"
    convenor.goto("/dashboard/")
    convenor.link("Create a partnership")
    expect(convenor.heading()).to_have_text("Create a partnership")

    page = convenor.page
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Short name (optional)").fill(short)
    places = page.get_by_role("group", name="Places the partnership covers")
    first_place = places.get_by_role("checkbox").first
    place_name = first_place.evaluate("el => document.querySelector(`label[for='${el.id}']`).textContent.trim()")
    first_place.check()
    colour = page.get_by_label("Brand colour")
    colour.fill("#ffff00")
    convenor.button("Save")

    # Too light: white text on yellow cannot be read. The error is beside the field, and in the summary.
    assert convenor.path == "/partnerships/new/"
    assert page.title().startswith("Error: Create a partnership")
    expect(convenor.error_summary()).to_contain_text("contrast")
    colour_group = page.locator(".govuk-form-group", has=page.get_by_label("Brand colour"))
    expect(colour_group.locator(".govuk-error-message")).to_contain_text("White text on #ffff00 has a contrast of")
    expect(colour).to_have_attribute("aria-describedby", re.compile(r"error"))
    expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    expect(page.get_by_label("Short name (optional)")).to_have_value(short)
    expect(colour).to_have_value("#ffff00")
    expect(page.get_by_role("checkbox", name=place_name)).to_be_checked()

    # The error summary link takes you to the field.
    convenor.error_summary().get_by_role("link").first.click()
    expect(colour).to_be_focused()

    colour.fill("#0b5a3c")
    page.get_by_label("Logo (optional)").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_label("Describe the logo (needed with a logo)").fill(f"{short} logo")
    convenor.button("Save")

    expect(convenor.heading()).to_have_text(name)
    expect(page.get_by_role("alert")).to_contain_text(f"{name} has been created. You are its convenor.")
    header = page.get_by_role("banner")
    expect(header).to_contain_text(short)
    logo = header.get_by_role("img", name=f"{short} logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0"), "The uploaded logo did not load"
    expect(page.locator("main")).to_contain_text(place_name.split(" (")[0])
    header_colour = page.locator(".compact-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(11, 90, 60)"


# c. Inviting someone --------------------------------------------------------------------


def test_convenor_invites_someone_who_creates_an_account_from_the_email(convenor, new_context, e2e_server):
    invitee = f"new.person.{_suffix()}@example.org"
    convenor.goto(f"/p/{SEL}/")
    convenor.click(convenor.page.get_by_role("navigation", name="Partnership menu").get_by_role("link", name="People"))
    expect(convenor.heading()).to_have_text("People")
    convenor.link("Invite someone")
    expect(convenor.heading()).to_have_text("Invite someone")
    convenor.page.get_by_label("Email address").fill(invitee)
    convenor.page.get_by_role("radio", name="Facilitator").check()
    convenor.page.get_by_label("Organisation they represent (optional)").select_option(
        label="Lewisham Community Food Network"
    )
    convenor.button("Send invitation")

    assert convenor.path == f"/p/{SEL}/people/"
    expect(convenor.page.get_by_role("alert")).to_contain_text(
        f"Invitation sent to {invitee}. The link works for 14 days."
    )
    expect(convenor.page.locator("main")).to_contain_text(invitee)

    messages = emails_to(e2e_server.email_dir, invitee)
    assert len(messages) == 1, f"Expected one invitation email to {invitee}, found {len(messages)}"
    message = messages[0]
    assert "South East London" in message["Subject"]
    body = message.get_content()
    match = re.search(r"https?://[^\s]+(/invitations/[^/\s]+/)", body)
    assert match, f"No invitation link in the email:\n{body}"
    link = match.group(1)

    # The invited person, in their own browser, is not signed in.
    guest = Journey(new_context().new_page(), e2e_server.base_url)
    guest.goto(link)
    expect(guest.heading()).to_have_text("Join South East London")
    expect(guest.page.locator("main")).to_contain_text(invitee)
    guest.page.get_by_label("Full name").fill("Priya Natarajan")
    guest.page.get_by_label("Create a password").fill("Tulip-harbour-2047")
    guest.page.get_by_label("Confirm password").fill("Tulip-harbour-2047")
    guest.button("Create account and join")

    assert guest.path == f"/p/{SEL}/"
    expect(guest.heading()).to_have_text("South East London")
    expect(guest.page.get_by_role("alert")).to_contain_text("Welcome to Compact. You have joined South East London.")
    expect(guest.page.get_by_role("button", name="Sign out")).to_be_visible()

    # The link works once.
    guest.goto(link)
    assert guest.status == 410
    expect(guest.heading()).to_have_text("This invitation cannot be used")

    # The convenor now sees them as a member, no longer as a waiting invitation.
    convenor.goto(f"/p/{SEL}/people/")
    row = convenor.page.get_by_role("row", name=re.compile("Priya Natarajan"))
    expect(row).to_contain_text("Facilitator")
    expect(row).to_contain_text("Lewisham Community Food Network")


# d. Starting a process and setting its timeline ------------------------------------------


def test_convenor_starts_a_process_and_sets_its_timeline(convenor):
    title = f"E2E Charter {_suffix()}"
    convenor.goto(f"/p/{SEL}/")
    _create_process(convenor, title, kind="Compact")
    page = convenor.page
    timeline_path = convenor.path

    def stage(n: int):
        return page.get_by_role("group", name=f"{n}. {STAGES[n - 1]}")

    # First try: stage 1 ends before it starts; stage 3 overlaps stage 2.
    stage(1).get_by_label("Start date").fill("2027-01-10")
    stage(1).get_by_label("End date").fill("2027-01-05")
    stage(2).get_by_label("Start date").fill("2027-02-01")
    stage(2).get_by_label("End date").fill("2027-02-28")
    stage(3).get_by_label("Start date").fill("2027-02-20")
    stage(3).get_by_label("End date").fill("2027-03-31")
    convenor.button("Save timeline")

    assert convenor.path == timeline_path
    assert page.title().startswith("Error: Timeline")
    end_before_start = "Leadership group must end on or after the day it starts"
    overlap = "Evidence and case studies must start after Workshops ends (28 February 2027)"
    summary = convenor.error_summary()
    expect(summary).to_contain_text(end_before_start)
    expect(summary).to_contain_text(overlap)
    expect(stage(1).locator(".govuk-error-message")).to_contain_text(end_before_start)
    expect(stage(3).locator(".govuk-error-message")).to_contain_text(overlap)
    expect(stage(2).locator(".govuk-error-message")).to_have_count(0)
    expect(stage(1).get_by_label("Start date")).to_have_value("2027-01-10")
    expect(stage(3).get_by_label("Start date")).to_have_value("2027-02-20")
    summary.get_by_role("link", name=overlap).click()
    expect(stage(3).get_by_label("Start date")).to_be_focused()

    # Nothing was saved.
    convenor.link("Cancel")
    expect(convenor.heading()).to_have_text(title)
    expect(page.locator(".compact-timeline__item")).to_have_count(len(STAGES))
    expect(page.locator(".compact-timeline")).not_to_contain_text("2027")

    # Second try: every stage, one after another.
    convenor.link("Set stage dates")
    day, ranges = dt.date(2027, 1, 4), []
    for n in range(1, len(STAGES) + 1):
        end = day + dt.timedelta(weeks=4) - dt.timedelta(days=1)
        ranges.append((day, end))
        stage(n).get_by_label("Start date").fill(day.isoformat())
        stage(n).get_by_label("End date").fill(end.isoformat())
        day = end + dt.timedelta(days=1)
    convenor.button("Save timeline")

    expect(convenor.heading()).to_have_text(title)
    expect(page.get_by_role("alert")).to_contain_text("Timeline saved.")
    items = page.get_by_role("list", name="Timeline").get_by_role("listitem")
    expect(items).to_have_count(len(STAGES))
    for n, ((start, end), name) in enumerate(zip(ranges, STAGES, strict=True), start=1):
        item = items.nth(n - 1)
        expect(item.get_by_role("heading")).to_have_text(f"{n}. {name}")
        expect(item).to_contain_text(f"{_date(start)} to {_date(end)}")
        expect(item).to_contain_text("Planned")
    expect(page.locator("main")).to_contain_text("This process has not started yet.")

    convenor.button("Start leadership group")
    expect(page.get_by_role("alert")).to_contain_text("Leadership group has started.")
    expect(items.first).to_contain_text("In progress")
    expect(items.nth(1)).to_contain_text("Planned")
    expect(page.locator("main")).to_contain_text("Now: Leadership group.")
    expect(items.first.get_by_role("button", name="Mark leadership group as done")).to_be_visible()

    # The process will not need a separate publication stage: take it out of the timeline.
    convenor.link("Add or remove stages")
    expect(page.get_by_label("Leadership group")).to_be_checked()
    page.get_by_label("Publication").uncheck()
    convenor.button("Save stages")
    expect(page.get_by_role("alert")).to_contain_text("Stages saved.")
    convenor.link("Cancel")
    expect(items).to_have_count(7)
    expect(page.locator("main")).not_to_contain_text("Publication")


# e. The organisation directory -----------------------------------------------------------


def test_directory_search_and_filter_update_the_results_with_htmx(convenor):
    convenor.goto(f"/p/{SEL}/")
    convenor.click(
        convenor.page.get_by_role("navigation", name="Partnership menu").get_by_role("link", name="Organisations")
    )
    expect(convenor.heading()).to_have_text("Organisations")
    page = convenor.page
    results = page.locator("#directory-results")
    expect(results.get_by_role("status")).to_contain_text("organisations")
    # The demo's 14, and any that other journeys on this shared server added (the case study
    # journey adds a charity).
    assert int(results.get_by_role("status").locator("strong").inner_text()) >= 14
    page.evaluate("() => { window.__sameDocument = true; }")

    search = page.get_by_label("Search by name or identifier")
    search.fill("Lewisham")
    convenor.htmx(lambda: search.press("Enter"), "search: Lewisham")
    expect(results.get_by_role("status")).to_have_text("2 organisations match your filters")
    expect(results.get_by_role("link", name="London Borough of Lewisham")).to_be_visible()
    expect(results.get_by_role("link", name="Lewisham Community Food Network")).to_be_visible()

    convenor.htmx(lambda: page.get_by_label("Type").select_option(label="VCSE organisation"), "search and type")
    expect(results.get_by_role("status")).to_have_text("1 organisation matches your filters")
    expect(results.get_by_role("link", name="London Borough of Lewisham")).to_have_count(0)
    assert page.evaluate("() => window.__sameDocument === true"), "The page reloaded instead of updating in place"
    assert "q=Lewisham" in page.url and "kind=vcse" in page.url, f"The filters are not in the address: {page.url}"

    convenor.link("Lewisham Community Food Network")
    expect(convenor.heading()).to_have_text("Lewisham Community Food Network")
    expect(page.locator("main")).to_contain_text("GB-CHC-1199002")
    expect(page.locator("main")).to_contain_text("Lewisham")


def test_directory_works_without_javascript(new_context, convenor_state, e2e_server):
    journey = Journey(
        new_context(storage_state=convenor_state, java_script_enabled=False).new_page(),
        e2e_server.base_url,
        javascript=False,
    )
    journey.goto(f"/p/{SEL}/organisations/")
    page = journey.page
    page.get_by_label("Search by name or identifier").fill("Lewisham")
    page.get_by_label("Type").select_option(label="Local authority")
    journey.button("Apply filters")

    assert "q=Lewisham" in page.url and "kind=local_authority" in page.url
    expect(page.get_by_role("status")).to_have_text("1 organisation matches your filters")
    expect(page.get_by_label("Search by name or identifier")).to_have_value("Lewisham")
    journey.link("London Borough of Lewisham")
    expect(journey.heading()).to_have_text("London Borough of Lewisham")
    journey.link("Back to organisations")
    expect(journey.heading()).to_have_text("Organisations")


# f. On a phone ---------------------------------------------------------------------------


def test_pages_fit_a_320_pixel_phone_screen(new_context, convenor_state, e2e_server):
    journey = Journey(new_context(storage_state=convenor_state, viewport=PHONE).new_page(), e2e_server.base_url)
    page = journey.page

    def fits(what: str) -> None:
        width = journey.scroll_width()
        assert width <= PHONE["width"] + 1, f"{what} scrolls sideways at 320 px: it is {width} px wide ({page.url})"

    journey.goto("/dashboard/")
    fits("The dashboard")
    journey.link("South East London")
    expect(journey.heading()).to_have_text("South East London")
    fits("The partnership overview")

    # The partnership menu folds behind a Menu button, which opens it.
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_be_visible()
    menu = page.get_by_role("navigation", name="Partnership menu")
    expect(menu.get_by_role("link", name="People")).to_be_hidden()
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    journey.check("menu open")
    journey.click(menu.get_by_role("link", name="Organisations"))
    expect(journey.heading()).to_have_text("Organisations")
    fits("The organisation directory")

    page.get_by_role("button", name="Menu").click()
    journey.click(menu.get_by_role("link", name="People"))
    expect(journey.heading()).to_have_text("People")
    fits("The people page")

    # A wide table scrolls inside its own box, which the keyboard can reach.
    table_box = page.get_by_role("region", name="Members")
    table_box.focus()
    expect(table_box).to_be_focused()

    page.get_by_role("button", name="Menu").click()
    journey.click(menu.get_by_role("link", name="Audit log"))
    expect(journey.heading()).to_have_text("Audit log")
    fits("The audit log")

    page.get_by_role("button", name="Menu").click()
    journey.click(menu.get_by_role("link", name="Overview"))
    journey.link("South East London VCSE Charter")
    expect(journey.heading()).to_have_text("South East London VCSE Charter")
    fits("The process page")
    journey.link("Set stage dates")
    expect(journey.heading()).to_have_text("Set stage dates")
    fits("The timeline form")


# g. With a keyboard ----------------------------------------------------------------------

_FOCUS_STYLE = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && !/rgba\\(0, 0, 0, 0\\)|transparent/.test(s.outlineColor);
  return {text: (el.innerText || '').trim(), id: el.id, tag: el.tagName,
          outline, boxShadow: s.boxShadow !== 'none', visible: outline || s.boxShadow !== 'none'};
}"""


def test_keyboard_users_can_skip_to_the_content_and_see_focus(convenor):
    convenor.goto("/dashboard/")
    page = convenor.page
    page.keyboard.press("Tab")
    focused = page.evaluate(_FOCUS_STYLE)
    assert focused["text"] == "Skip to main content", f"Tab first focused {focused}"
    assert focused["visible"], f"The skip link has no visible focus style: {focused}"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Start again from the top: every control in the header shows where the focus is.
    convenor.goto("/dashboard/")
    page.keyboard.press("Tab")
    seen = []
    for _ in range(10):
        page.keyboard.press("Tab")
        if not page.evaluate("() => !!document.activeElement.closest('header')"):
            break
        focused = page.evaluate(_FOCUS_STYLE)
        seen.append(focused["text"])
        assert focused["visible"], f"{focused['tag']} {focused['text']!r} has no visible focus style: {focused}"
    assert seen[:2] == ["Compact", "Dashboard"] and "Sign out" in seen, f"The header's controls, in Tab order: {seen}"

    # Then the page itself: its links show focus too.
    for _ in range(3):
        focused = page.evaluate(_FOCUS_STYLE)
        assert focused["visible"], f"{focused['tag']} {focused['text']!r} has no visible focus style: {focused}"
        page.keyboard.press("Tab")

    # In a form, the focused field shows it too.
    convenor.link("Create a partnership")
    page.get_by_label("Name", exact=True).focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(_FOCUS_STYLE)["visible"]


# h. The audit log ------------------------------------------------------------------------


def test_audit_log_lists_the_changes_made(convenor):
    title = f"E2E Audit {_suffix()}"
    convenor.goto(f"/p/{SEL}/")
    _create_process(convenor, title, kind="Strategy")

    convenor.click(
        convenor.page.get_by_role("navigation", name="Partnership menu").get_by_role("link", name="Audit log")
    )
    expect(convenor.heading()).to_have_text("Audit log")
    page = convenor.page
    table = page.get_by_role("table", name="Audit entries")
    expect(table).to_contain_text("process.create")
    expect(table).to_contain_text(title)

    page.get_by_label("What happened").select_option("process.create")
    page.get_by_label("Who").select_option(label="Amara Okafor")
    convenor.button("Filter")
    assert "action=process.create" in page.url
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("process.create")
    expect(rows.first).to_contain_text(title)
    expect(rows.first).to_contain_text("Amara Okafor")
    for text in rows.locator("td:nth-child(3) strong").all_inner_texts():
        assert text == "process.create", f"The filter let through {text}"

    # A filter that makes no sense is explained, not ignored.
    page.get_by_label("What happened").select_option("")
    page.get_by_label("Who").select_option("")
    page.get_by_label("From").fill("2027-05-02")
    page.get_by_label("To").fill("2027-05-01")
    convenor.button("Filter")
    expect(convenor.error_summary()).to_contain_text("The 'to' date must be the same as or after the 'from' date")
    assert page.title().startswith("Error: Audit log")
