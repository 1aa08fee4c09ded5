"""Journeys through decisions and meetings: a consent proposal that changes a process's purpose,
a group's meeting with its agenda, papers, attendance and minutes, and the decision log.

Every page a journey reaches is checked with axe-core (see journey.py). All tests share one
server database with the demo data, so anything a test creates has a unique name."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from playwright.sync_api import expect

from .conftest import SEL, sign_in
from .journey import Journey, fits_phone

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

GROUP = "Charter leadership group"
CHARTER = "South East London VCSE Charter"
PHONE = {"width": 320, "height": 720}
# The smallest PDF a reader opens: one empty page.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _suffix() -> str:
    return uuid.uuid4().hex[:8]


def _alert(journey: Journey):
    return journey.page.get_by_role("alert")


def _to_group(journey: Journey) -> None:
    journey.goto(f"/p/{SEL}/")
    journey.link(GROUP)
    expect(journey.heading()).to_have_text(GROUP)


def _voter(new_context, e2e_server, email: str) -> Journey:
    """Someone else, signed in in a browser of their own."""
    journey = Journey(new_context().new_page(), e2e_server.base_url)
    sign_in(journey, email)
    assert journey.path == "/dashboard/", f"Signing in as {email} did not reach the dashboard"
    return journey


def _vote(journey: Journey, url: str, position: str, reason: str = "") -> None:
    journey.goto(url)
    form = journey.page.locator("form", has=journey.page.get_by_role("button", name="Cast your vote"))
    form.get_by_role("radio", name=position).check()
    if reason:
        form.get_by_label("Your reason").fill(reason)
    journey.button("Cast your vote")
    expect(_alert(journey)).to_contain_text("Your vote has been saved.")
    expect(journey.page.locator("#your-vote")).to_contain_text(f"You voted: {position.split(':')[0]}")


def _close_and_record(journey: Journey, decision: str) -> None:
    journey.button("Close voting now")
    expect(_alert(journey)).to_contain_text("Voting has closed.")
    journey.link("Record the outcome")
    expect(journey.heading()).to_have_text("Record the outcome")
    expect(journey.page.locator(".govuk-inset-text")).to_have_text("Passed: nobody blocked it.")
    journey.page.get_by_label("What was decided").fill(decision)
    journey.button("Record the outcome")
    expect(_alert(journey)).to_contain_text("The outcome has been recorded.")
    outcome = journey.page.locator("h2:has-text('Outcome') + dl")
    expect(outcome.locator(".govuk-summary-list__row").first).to_have_text(re.compile(r"^\s*Passed\s*Yes\s*$"))
    expect(outcome).to_contain_text(decision)


def _hidden_suffix(visible: str, hidden: str) -> re.Pattern:
    """A control's name made of visible text and a visually hidden part (Chromium may put a space between)."""
    return re.compile(rf"^{re.escape(visible)}\s*{re.escape(hidden)}$")


# 1. A co-chair changes a process's purpose by consent --------------------------------------


def _make_chloe_co_chair_with_three_voters(convenor: Journey) -> None:
    """As the convenor, through the group page: a quorum of 3, Chloe (a member of the partnership,
    not an organiser) as co-chair, and Dev (the group's observer) as a voting member beside the
    co-chairs Amara and Ben."""
    page = convenor.page
    _to_group(convenor)
    convenor.link("Edit group details and terms of reference")
    page.get_by_label("Quorum").fill("3")
    convenor.button("Save")
    expect(convenor.heading()).to_have_text(GROUP)
    expect(page.get_by_role("definition").filter(has_text="must take part")).to_have_text("3 voters must take part")

    convenor.link("Change Chloe Martin's membership", exact=False)
    change = page.locator("#change-member")
    expect(change.get_by_role("heading")).to_have_text("Change Chloe Martin's membership")
    change.get_by_role("radio", name="Co-chair").check()
    convenor.click(change.get_by_role("button", name="Save membership"))
    members = page.get_by_role("table", name=f"Members of {GROUP}")
    expect(members.get_by_role("row", name=re.compile("Chloe Martin"))).to_contain_text("Co-chair")

    expect(members.get_by_role("row", name=re.compile("Dev Patel"))).to_contain_text("Observer")
    convenor.link("Change Dev Patel's membership", exact=False)
    change.get_by_role("radio", name="Member", exact=True).check()
    convenor.click(change.get_by_role("button", name="Save membership"))
    expect(members.get_by_role("row", name=re.compile("Dev Patel"))).to_contain_text("Member")


def _open_proposals_outside_the_stage(convenor: Journey) -> None:
    """The charter is drafting; its stage settings keep proposals open."""
    convenor.goto(f"/p/{SEL}/")
    convenor.link(CHARTER)
    expect(convenor.page.get_by_role("link", name="Propose a new purpose")).to_have_count(0)
    convenor.link("Stage settings")
    expect(convenor.heading()).to_have_text("Stage settings")
    convenor.page.get_by_role("checkbox", name=re.compile("^Open proposals for a decision")).check()
    convenor.button("Save settings")
    expect(convenor.heading()).to_have_text(CHARTER)
    expect(convenor.page.get_by_role("link", name="Propose a new purpose")).to_be_visible()


def test_co_chair_changes_the_purpose_by_consent_after_an_objection(convenor, new_context, e2e_server):
    _make_chloe_co_chair_with_three_voters(convenor)
    _open_proposals_outside_the_stage(convenor)
    process_path = convenor.path
    first_wording = f"Partners in South East London work together on health inequalities ({_suffix()})."
    amended_wording = f"NHS, councils and the VCSE sector in South East London share power and money ({_suffix()})."

    # The co-chair proposes a new purpose from the process page, through the group she chairs.
    chloe = _voter(new_context, e2e_server, "member@example.org")
    page = chloe.page
    chloe.goto(f"/p/{SEL}/")
    chloe.link(CHARTER)
    chloe.link("Propose a new purpose")
    expect(chloe.heading()).to_have_text("Propose a new purpose")
    expect(page.locator("main")).to_contain_text("This replaces version 1, adopted 10 June 2026.")
    expect(page.get_by_label("Title")).to_have_value("Adopt a new purpose")
    expect(page.get_by_label("Process (optional)").locator("option:checked")).to_have_text(CHARTER)
    expect(page.get_by_label("Group", exact=True).locator("option:checked")).to_have_text(GROUP)
    expect(page.get_by_label("Statement to change").locator("option:checked")).to_have_text("Purpose")
    page.get_by_label("The proposal", exact=True).fill("Adopt this purpose for the charter.")
    page.get_by_label("New wording").fill(first_wording)
    expect(page.get_by_role("radio", name=re.compile("^Consent"))).to_be_checked()
    chloe.button("Open for votes")
    expect(chloe.heading()).to_have_text("Adopt a new purpose")
    expect(_alert(chloe)).to_contain_text("Adopt a new purpose is open for votes.")
    expect(page.locator(".govuk-tag")).to_have_text("Open for votes")
    expect(page.locator(".govuk-summary-list__row", has_text="Proposed by")).to_contain_text("Chloe Martin")
    expect(page.locator(".govuk-inset-text").first).to_contain_text(first_wording)
    first_url = page.url

    ben = _voter(new_context, e2e_server, "facilitator@example.org")
    dev = _voter(new_context, e2e_server, "observer@example.org")
    _vote(convenor, first_url, "Agree")
    _vote(ben, first_url, "Agree")

    # Objecting needs a reason: the error is beside the field, and nothing is saved.
    dev.goto(first_url)
    dev.page.get_by_role("radio", name=re.compile("^Object")).check()
    dev.button("Cast your vote")
    assert dev.page.title().startswith("Error:")
    expect(dev.error_summary()).to_contain_text("Give a reason for your objection")
    reason_group = dev.page.locator(".govuk-form-group", has=dev.page.get_by_label("Your reason"))
    expect(reason_group.locator(".govuk-error-message")).to_contain_text("Give a reason for your objection")
    expect(dev.page.get_by_label("Your reason")).to_have_attribute("aria-describedby", re.compile("error"))
    expect(dev.page.get_by_role("radio", name=re.compile("^Object"))).to_be_checked()
    expect(dev.page.locator("#your-vote")).to_have_count(0)
    objection = "It does not say who holds the money."
    _vote(dev, first_url, "Object: I have a concern, but will not stop it", objection)

    # The co-chair sees the count while voting is open, with the objection and its reason.
    chloe.goto(first_url)
    results = page.get_by_role("table", name="Positions")
    expect(results.get_by_role("row", name="Agree")).to_contain_text("2")
    expect(results.get_by_role("row", name="Object")).to_contain_text("1")
    expect(page.locator("main")).to_contain_text(f"Object from Dev Patel: {objection}")
    expect(page.locator("main")).to_contain_text("3 people have voted.")

    # An objection does not block: the first wording passes, and the co-chair records that.
    _close_and_record(chloe, "Passed, with an objection about money. The co-chair will amend it.")
    expect(page.locator(".govuk-tag")).to_have_text("Closed")

    # Amend and propose again, answering the objection.
    chloe.link("Amend and propose again")
    expect(chloe.heading()).to_have_text("Amend and propose again")
    expect(page.locator("main")).to_contain_text("This replaces version 2")
    expect(page.get_by_label("New wording")).to_have_value(first_wording)
    expect(page.get_by_label("Group", exact=True).locator("option:checked")).to_have_text(GROUP)
    page.get_by_label("Title").fill("Adopt an amended purpose")
    page.get_by_label("New wording").fill(amended_wording)
    chloe.button("Open for votes")
    expect(chloe.heading()).to_have_text("Adopt an amended purpose")
    first_path = first_url.removeprefix(e2e_server.base_url)
    expect(page.get_by_role("link", name="an earlier proposal")).to_have_attribute("href", first_path)
    second_url = page.url

    for voter in (convenor, ben, dev):
        _vote(voter, second_url, "Agree")
    chloe.goto(second_url)
    expect(page.get_by_role("table", name="Positions").get_by_role("row", name="Agree")).to_contain_text("3")
    _close_and_record(chloe, "Passed by consent: the amended purpose is adopted.")

    # The process page shows the amended purpose. The first wording passed too (an objection does
    # not block), so it is the earlier version.
    chloe.goto(process_path)
    main = page.locator("main")
    expect(main).to_contain_text(amended_wording)
    expect(main).to_contain_text("Version 3, adopted")
    expect(main.get_by_role("link", name="Adopt an amended purpose")).to_be_visible()
    earlier = page.locator("details", has_text="Earlier versions of the purpose")
    expect(earlier).to_have_count(1)
    expect(earlier.get_by_text(first_wording)).to_be_hidden()
    earlier.locator("summary").click()
    chloe.check("earlier versions open")
    expect(earlier.get_by_role("heading", name=re.compile("^Version 2, adopted"))).to_be_visible()
    expect(earlier.get_by_role("heading", name=re.compile("^Version 1, adopted 10 June 2026"))).to_be_visible()
    expect(earlier).to_contain_text(first_wording)
    expect(earlier.get_by_role("link", name="Adopt a new purpose")).to_be_visible()
    expect(earlier).not_to_contain_text(amended_wording)

    # On a phone, the proposal page (with its results and objection) does not scroll sideways.
    phone = Journey(
        new_context(storage_state=page.context.storage_state(), viewport=PHONE).new_page(), e2e_server.base_url
    )
    phone.goto(first_url)
    expect(phone.heading()).to_have_text("Adopt a new purpose")
    fits_phone(phone, "The proposal page")


# 2. A meeting of the group ------------------------------------------------------------------


def test_convenor_schedules_a_meeting_with_agenda_papers_attendance_and_minutes(
    convenor, new_context, e2e_server, tmp_path
):
    page = convenor.page
    title = f"Leadership group meeting {_suffix()}"
    day = dt.date.today() + dt.timedelta(days=14)

    _to_group(convenor)
    convenor.link("Schedule a meeting")
    expect(convenor.heading()).to_have_text("Schedule a meeting")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time (optional)").fill("15:30")
    page.get_by_label("Online link (optional if there is a place)").fill("https://meet.example.org/sel-leadership")
    convenor.button("Schedule meeting")
    expect(convenor.heading()).to_have_text(title)
    expect(_alert(convenor)).to_contain_text(f"{title} has been scheduled.")
    expect(page.locator("main")).to_contain_text(f"{day:%A} {day.day} {day:%B %Y}, 2:00pm to 3:30pm")
    expect(page.get_by_role("link", name=_hidden_suffix("Join online", f": {title}"))).to_have_attribute(
        "href", "https://meet.example.org/sel-leadership"
    )
    meeting_path = convenor.path

    # Two agenda items; the second moves up.
    for item, minutes in (("Welcome and apologies", "10"), ("Draft charter", "45")):
        page.get_by_label("Agenda item").fill(item)
        page.get_by_label("Length in minutes").fill(minutes)
        convenor.button("Add to agenda")
        expect(_alert(convenor)).to_contain_text(f"{item} has been added to the agenda.")
    agenda = page.locator("#agenda + ol > li h3")
    expect(agenda).to_have_text(["1. Welcome and apologies", "2. Draft charter"])
    convenor.click(page.get_by_role("button", name=_hidden_suffix("Move up", ": Draft charter")))
    expect(_alert(convenor)).to_contain_text("Draft charter has been moved up.")
    expect(agenda).to_have_text(["1. Draft charter", "2. Welcome and apologies"])
    expect(page.locator("#agenda + ol > li").first).to_contain_text("2:00pm, 45 minutes")
    expect(page.locator("#agenda + ol > li").nth(1)).to_contain_text("2:45pm, 10 minutes")

    # An item added by mistake is removed, after a warning.
    page.get_by_label("Agenda item").fill("Any other business")
    page.get_by_label("Length in minutes").fill("5")
    convenor.button("Add to agenda")
    expect(agenda).to_have_count(3)
    convenor.click(page.get_by_role("link", name=_hidden_suffix("Remove item", ": Any other business")))
    expect(convenor.heading()).to_have_text("Remove Any other business from the agenda")
    convenor.button("Remove Any other business from the agenda")
    expect(_alert(convenor)).to_contain_text("Any other business has been removed from the agenda.")
    expect(agenda).to_have_text(["1. Draft charter", "2. Welcome and apologies"])

    # A paper: a text file called .pdf is refused, with the error beside the field; a real PDF is kept.
    convenor.click(page.get_by_role("link", name=_hidden_suffix("Upload a paper", ": Draft charter")))
    expect(convenor.heading()).to_have_text("Upload a paper")
    expect(page.get_by_label("Agenda item")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Agenda item").locator("option:checked")).to_have_text("1. Draft charter")
    fake = tmp_path / "draft-charter.pdf"
    fake.write_text("This is only text, not a PDF.\n")
    page.get_by_label("Paper title").fill("Draft charter v3")
    page.get_by_label("File", exact=True).set_input_files(str(fake))
    convenor.button("Upload paper")
    assert page.title().startswith("Error:")
    message = "The file is called .pdf but its contents are not a PDF"
    expect(convenor.error_summary()).to_contain_text(message)
    file_group = page.locator(".govuk-form-group", has=page.get_by_label("File", exact=True))
    expect(file_group.locator(".govuk-error-message")).to_contain_text(message)

    real = tmp_path / "draft-charter-v3.pdf"
    real.write_bytes(TINY_PDF)
    page.get_by_label("Paper title").fill("Draft charter v3")
    page.get_by_label("File", exact=True).set_input_files(str(real))
    convenor.button("Upload paper")
    assert convenor.path == meeting_path
    expect(_alert(convenor)).to_contain_text("Draft charter v3 has been uploaded.")
    paper = page.get_by_role("link", name=_hidden_suffix("Draft charter v3", "(download)"))
    expect(paper).to_be_visible()
    with page.expect_download() as download_info:
        paper.click()
    download = download_info.value
    assert download.suggested_filename == "Draft charter v3.pdf"
    assert download.path().read_bytes() == TINY_PDF

    # Attendance: Chloe sent apologies, everyone else was there.
    convenor.link("Record attendance")
    expect(convenor.heading()).to_have_text("Attendance")
    chloe = page.get_by_role("group", name="Chloe Martin")
    chloe.get_by_role("radio", name="Sent apologies").check()
    convenor.button("Save attendance")
    expect(_alert(convenor)).to_contain_text("Attendance saved.")
    attendance = page.get_by_role("table", name=f"Who attended {title}")
    expect(attendance.get_by_role("row", name=re.compile("Chloe Martin"))).to_contain_text("Sent apologies")
    expect(attendance.get_by_role("row", name=re.compile("Amara Okafor"))).to_contain_text("Present")

    # Minutes of an item.
    convenor.click(page.get_by_role("link", name=_hidden_suffix("Record minutes", ": Draft charter")))
    expect(convenor.heading()).to_have_text("Minutes: Draft charter")
    page.get_by_label("Minutes", exact=True).fill("The group discussed the draft.\n\n- Agreed to consult in June")
    convenor.button("Save minutes")
    expect(_alert(convenor)).to_contain_text("Minutes of Draft charter saved.")
    first_item = page.locator("#agenda + ol > li").first
    expect(first_item).to_contain_text("The group discussed the draft.")
    expect(first_item.get_by_role("listitem").filter(has_text="Agreed to consult in June")).to_be_visible()
    expect(first_item.get_by_role("link", name=_hidden_suffix("Change minutes", ": Draft charter"))).to_be_visible()

    # The group page lists the meeting; on a phone the meeting page does not scroll sideways.
    _to_group(convenor)
    expect(page.get_by_role("link", name=title)).to_be_visible()
    phone = Journey(
        new_context(storage_state=convenor.page.context.storage_state(), viewport=PHONE).new_page(),
        e2e_server.base_url,
    )
    phone.goto(meeting_path)
    expect(phone.heading()).to_have_text(title)
    fits_phone(phone, "The meeting page")
    _to_group(phone)
    fits_phone(phone, "The group page")


# 3. The decision log --------------------------------------------------------------------


def _open_group_proposal(convenor: Journey, title: str) -> str:
    page = convenor.page
    convenor.goto(f"/p/{SEL}/decisions/")
    convenor.link("Open a proposal")
    expect(convenor.heading()).to_have_text("Open a proposal")
    page.get_by_label("Title").fill(title)
    page.get_by_label("The proposal", exact=True).fill(f"We agree to {title.lower()}.")
    page.get_by_label("Group", exact=True).select_option(label=GROUP)
    convenor.button("Open for votes")
    expect(convenor.heading()).to_have_text(title)
    return convenor.path


def test_decision_log_searches_filters_and_downloads(convenor, new_context, e2e_server):
    page = convenor.page
    suffix = _suffix()
    still_open, closed = f"Meet monthly {suffix}", f"Publish minutes {suffix}"
    _open_group_proposal(convenor, still_open)
    _open_group_proposal(convenor, closed)
    convenor.button("Close voting now")
    expect(_alert(convenor)).to_contain_text("Voting has closed.")

    menu = page.get_by_role("navigation", name="Partnership menu")
    convenor.click(menu.get_by_role("link", name="Decisions"))
    expect(convenor.heading()).to_have_text("Decisions")
    table = page.get_by_role("table", name="Decisions")

    page.get_by_role("searchbox", name="Search").fill(suffix)
    convenor.button("Search")
    assert f"q={suffix}" in page.url
    expect(page.get_by_role("status")).to_contain_text("2 proposals.")
    expect(table.get_by_role("link", name=still_open)).to_be_visible()
    expect(table.get_by_role("link", name=closed)).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(still_open))).to_contain_text("Open for votes")

    page.get_by_label("Status").select_option(label="Closed")
    convenor.button("Search")
    assert "status=closed" in page.url
    expect(page.get_by_role("searchbox", name="Search")).to_have_value(suffix)
    expect(page.get_by_role("status")).to_contain_text("1 proposal.")
    expect(table.get_by_role("link", name=closed)).to_be_visible()
    expect(table.get_by_role("link", name=still_open)).to_have_count(0)
    row = table.get_by_role("row", name=re.compile(closed))
    expect(row).to_contain_text("Closed")
    expect(row).to_contain_text("Not recorded yet")

    # The spreadsheet holds what the page shows.
    csv_link = page.get_by_role("link", name="Download these as a spreadsheet (CSV)")
    href = csv_link.get_attribute("href")
    assert href and "status=closed" in href and f"q={suffix}" in href
    response = page.context.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="south-east-london-decisions.csv"'
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    assert download.suggested_filename == "south-east-london-decisions.csv"
    lines = download.path().read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("title,group,process,method,status")
    assert len(lines) == 2, lines
    assert lines[1].startswith(f"{closed},{GROUP},,Consent,Closed,")

    # A search that finds nothing says so.
    page.get_by_role("searchbox", name="Search").fill(f"nothing-{suffix}")
    page.get_by_label("Status").select_option(label="Any")
    convenor.button("Search")
    expect(page.get_by_role("status")).to_contain_text("0 proposals.")
    expect(table).to_contain_text("No proposals match.")

    # On a phone, the log does not scroll sideways: its table scrolls in its own box.
    phone = Journey(
        new_context(storage_state=convenor.page.context.storage_state(), viewport=PHONE).new_page(),
        e2e_server.base_url,
    )
    phone.goto(f"/p/{SEL}/decisions/?q={suffix}")
    expect(phone.page.get_by_role("status")).to_contain_text("2 proposals.")
    fits_phone(phone, "The decision log")
    region = phone.page.get_by_role("region", name="Decisions")
    region.focus()
    expect(region).to_be_focused()
