"""Journeys through a live workshop: a facilitator plans one and runs it, a guest on a phone and
a member on a laptop add ideas that each sees arrive without reloading (Server-Sent Events),
the projector shows them large with the join code; then themes (with the "Move to theme"
control and with the keyboard alone), a dot vote, and the published write-up with its
downloads.

Every page a journey reaches is checked with axe-core (see journey.py). All tests share one
server database with the demo data, so every workshop has a unique name."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from .conftest import SEL, sign_in
from .journey import Journey, fits_phone
from .workshop_helpers import BEN, CHARTER, CHLOE, LIVE_MS, PHONE, alert, hidden_suffix, suffix, suggest_themes

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

KEY_AREA = "Procurement that does not disadvantage VCSE organisations"
# People's text is text: on the wall, the projector, the write-up and the CSV, never markup.
HTML_IDEA = "<script>alert(1)</script> & <b>bold</b>"


def _no_dialogs(journey: Journey, dialogs: list[str]) -> Journey:
    """Record (and dismiss) any alert() a page opens: people's text must never run as script."""

    def seen(dialog):
        dialogs.append(f"{journey.page.url}: {dialog.message}")
        dialog.dismiss()

    journey.page.on("dialog", seen)
    return journey


def _person(new_context, e2e_server, email: str, dialogs: list[str], **options) -> Journey:
    """Someone signed in in a browser of their own."""
    journey = Journey(new_context(**options).new_page(), e2e_server.base_url)
    sign_in(journey, email)
    assert journey.path == "/dashboard/", f"Signing in as {email} did not reach the dashboard"
    return _no_dialogs(journey, dialogs)


def _guest(new_context, e2e_server, dialogs: list[str]) -> Journey:
    """Someone without an account, on a small phone."""
    return _no_dialogs(Journey(new_context(viewport=PHONE).new_page(), e2e_server.base_url), dialogs)


def _region(journey: Journey, name: str):
    return journey.page.get_by_role("region", name=name, exact=True)


# Setting up ------------------------------------------------------------------------------------


def _run_workshops_outside_the_stage(convenor: Journey, run: bool = True) -> None:
    """The charter is drafting, a stage that does not run workshops: its stage settings (only a
    convenor can change them) open "Run workshops live" outside the workshops stage, or not."""
    convenor.goto(f"/p/{SEL}/")
    convenor.link(CHARTER)
    convenor.link("Stage settings")
    expect(convenor.heading()).to_have_text("Stage settings")
    convenor.page.get_by_role("checkbox", name=re.compile("^Run workshops live")).set_checked(run)
    convenor.button("Save settings")
    expect(convenor.heading()).to_have_text(CHARTER)


def _plan(ben: Journey, title: str, prompts: list[tuple[str, str | None]]) -> str:
    """Plan a workshop from the process page and add its prompts; the workshop page's path."""
    page = ben.page
    ben.goto(f"/p/{SEL}/")
    ben.link(CHARTER)
    expect(page.get_by_role("link", name="Stage settings")).to_have_count(0)  # a facilitator cannot change them
    ben.link("Plan a workshop")
    expect(ben.heading()).to_have_text("Plan a workshop")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Purpose (optional)").fill("Gather ideas for the charter's commitments.")
    page.get_by_label("Date", exact=True).fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:30")
    page.get_by_label("Venue (for in-person and hybrid workshops)").fill("Lewisham Library, Room 2, SE13 6LG")
    ben.submit(page.locator("#main-form").get_by_role("button", name="Plan workshop"))
    expect(ben.heading()).to_have_text(title)
    expect(alert(ben)).to_contain_text(f"{title} has been planned. Add the prompts people will answer.")
    expect(page.locator(".govuk-tag").first).to_have_text("Planned")
    for text, key_area in prompts:
        form = page.locator("#main-form")
        expect(form.get_by_role("heading", name="Add a prompt")).to_be_visible()
        form.get_by_label("Question").fill(text)
        if key_area:
            form.get_by_label("Key area (optional)").select_option(label=key_area)
        ben.click(form.get_by_role("button", name="Add prompt"))
        expect(alert(ben)).to_contain_text("The prompt has been added.")
    prompt_list = page.locator("#prompts + p + ol > li")
    expect(prompt_list).to_have_count(len(prompts))
    for item, (text, key_area) in zip(prompt_list.all(), prompts, strict=True):
        expect(item).to_contain_text(text)
        if key_area:
            expect(item).to_contain_text(f"Key area: {key_area}")
    return ben.path


def _start_and_open(ben: Journey, prompts: list[str]) -> str:
    """Start the workshop and open its prompts; the join code."""
    page = ben.page
    ben.button("Start the workshop")
    expect(alert(ben)).to_contain_text("The workshop is live. Open a prompt when you are ready.")
    expect(page.locator(".govuk-tag").first).to_have_text("Live")
    for text in prompts:
        ben.click(page.get_by_role("button", name=hidden_suffix("Open for ideas", f": {text}")))
        expect(alert(ben)).to_contain_text(f"Open for ideas: {text}")
        item = page.locator("li[id^=prompt-]", has_text=text)
        expect(item.locator(".govuk-tag")).to_have_text("Open")
    code = page.locator(".compact-join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    return code


def _join_as_guest(guest: Journey, code: str, name: str, organisation: str) -> None:
    """Join with the code at /join/, as on a phone: a wrong code first."""
    page = guest.page
    guest.goto("/join/")
    expect(guest.heading()).to_have_text("Join a workshop")
    page.get_by_label("Workshop code").fill("ZZZ999" if code != "ZZZ999" else "ZZZ998")
    guest.button("Continue")
    message = "There is no workshop with that code. Check the code on the screen and try again."
    expect(guest.error_summary()).to_contain_text(message)
    group = page.locator(".govuk-form-group", has=page.get_by_label("Workshop code"))
    expect(group.locator(".govuk-error-message")).to_contain_text(message)
    expect(page.get_by_label("Workshop code")).to_have_attribute("aria-describedby", re.compile("error"))
    fits_phone(guest, "The join page with an error")

    page.get_by_label("Workshop code").fill(f" {code[:3].lower()} {code[3:].lower()} ")  # as people type it
    guest.button("Continue")
    assert guest.path == f"/join/{code}/", guest.path
    expect(guest.heading()).to_have_text(re.compile("^Join "))
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your organisation (optional)").fill(organisation)
    guest.button("Join the workshop")
    assert guest.path == f"/join/{code}/", guest.path


def _send_idea(journey: Journey, prompt: str, text: str) -> None:
    """Add an idea from the wall; wall.js sends it without reloading the page."""
    region = _region(journey, prompt)
    region.get_by_label("Your idea").fill(text)
    region.get_by_role("button", name=re.compile(r"^Add idea")).click()
    # The server answers once the idea is stored; allow for a loaded CI machine.
    expect(region.locator("[data-idea-feedback]")).to_have_text("Your idea has been added.", timeout=30_000)
    expect(region.get_by_label("Your idea")).to_have_value("")


def _card(scope, text: str):
    """An idea's card (on the wall, the projector or the themes board), by its exact text."""
    return scope.locator(".compact-idea").filter(has=scope.page.locator(".compact-idea__text", has_text=text))


def _literal(card, text: str) -> None:
    """The card shows `text` as it was typed: no element made from it, nothing run."""
    expect(card.locator(".compact-idea__text")).to_have_text(text)
    expect(card.locator(".compact-idea__text > *")).to_have_count(0)


def _wait_live(journey: Journey) -> None:
    """wall.js has connected to the live stream."""
    expect(journey.page.locator("[data-wall-status]")).to_have_text(
        re.compile("appear here as people add them"), timeout=LIVE_MS
    )


# 1 and 2. Planning, running, and joining live -----------------------------------------------


def test_facilitator_runs_a_live_workshop_that_a_guest_and_a_member_join(convenor, new_context, e2e_server):
    dialogs: list[str] = []
    run = suffix()
    title = f"Charter ideas workshop {run}"
    first = f"What should the ICB commit to on procurement? ({run})"
    second = f"What would make partnership work easier? ({run})"
    _no_dialogs(convenor, dialogs)

    # 1. Ben plans it from the process page with two prompts, one tied to a key area.
    _run_workshops_outside_the_stage(convenor, run=False)  # as the demo has it (tests share the database)
    ben = _person(new_context, e2e_server, BEN, dialogs)
    workshop_path = _plan(ben, title, [(first, KEY_AREA), (second, None)])
    # The charter is drafting: the workshop cannot start until the convenor opens it up.
    expect(ben.page.get_by_role("button", name="Start the workshop")).to_have_count(0)
    expect(ben.page.locator("main")).to_contain_text(
        "The workshop can start once the process reaches a stage that runs workshops."
    )
    _run_workshops_outside_the_stage(convenor)
    ben.goto(workshop_path)
    code = _start_and_open(ben, [first, second])
    wall_path = f"{workshop_path}wall/"

    # 2a. The guest, on a phone, joins with the code and sends an idea.
    guest = _guest(new_context, e2e_server, dialogs)
    guest_name, guest_org = f"Priya {run}", "Greenwich Carers Together"
    _join_as_guest(guest, code, guest_name, guest_org)
    expect(guest.heading()).to_have_text(title)
    expect(_region(guest, first)).to_be_visible()
    _wait_live(guest)

    # The character count says how far over a long idea is; the server refuses it beside the field.
    region = _region(guest, first)
    textarea = region.get_by_label("Your idea")
    textarea.fill("x" * 520)
    count = region.locator(".govuk-character-count__status")
    expect(count).to_have_text("You have 20 characters too many")
    guest.check("idea too long")
    region.get_by_role("button", name=re.compile(r"^Add idea")).click()
    expect(region.locator("[data-idea-errors]")).to_contain_text("Your idea must be 500 characters or fewer")
    expect(textarea).to_have_value("x" * 520)
    guest.check("idea refused")
    textarea.fill("Pay small charities within 30 days")
    expect(count).to_have_text("You have 466 characters remaining")
    fits_phone(guest, "The guest's wall")

    # 2b. Chloe, signed in on a laptop, opens the wall from the workshop page.
    chloe = _person(new_context, e2e_server, CHLOE, dialogs)
    chloe.goto(workshop_path)
    chloe.link("Open the wall")
    assert chloe.path == wall_path
    expect(chloe.page.locator("main")).to_contain_text(code)
    _wait_live(chloe)

    # The projector, for the room: the code in large type and the ideas as they come.
    projector = _person(new_context, e2e_server, BEN, dialogs)
    projector.goto(workshop_path)
    projector.link("Projector view (large type and the join code)")
    assert projector.path == f"{wall_path}projector/"
    big_code = projector.page.locator(".compact-projector__code")
    expect(big_code).to_have_text(code)
    size = big_code.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 48, f"The join code on the projector is {size}px: it should be large"
    expect(projector.page.locator("main")).to_contain_text(f"/join/{code}/")
    _wait_live(projector)

    # Each sees the other's idea without reloading.
    guest_idea = f"Pay small charities within 30 days ({run})"
    textarea.fill(guest_idea)
    region.get_by_role("button", name=re.compile(r"^Add idea")).click()
    expect(region.locator("[data-idea-feedback]")).to_have_text("Your idea has been added.")
    expect(region.locator("[data-idea-errors]")).to_have_text("")
    expect(_card(_region(chloe, first), guest_idea)).to_be_visible(timeout=LIVE_MS)
    expect(_card(_region(chloe, first), guest_idea)).to_contain_text(f"{guest_name}, {guest_org}")

    chloe_idea = f"Publish every contract early ({run})"
    _send_idea(chloe, first, chloe_idea)
    _send_idea(chloe, second, HTML_IDEA)
    chloe.check("ideas sent")
    _literal(_card(_region(chloe, second), HTML_IDEA), HTML_IDEA)
    expect(_card(_region(guest, first), chloe_idea)).to_be_visible(timeout=LIVE_MS)
    expect(_card(_region(guest, second), HTML_IDEA)).to_be_visible(timeout=LIVE_MS)
    _literal(_card(_region(guest, second), HTML_IDEA), HTML_IDEA)
    guest.check("ideas arrived")
    fits_phone(guest, "The guest's wall with ideas")

    expect(_card(projector.page.locator("main"), guest_idea)).to_be_visible(timeout=LIVE_MS)
    expect(_card(projector.page.locator("main"), chloe_idea)).to_be_visible(timeout=LIVE_MS)
    _literal(_card(projector.page.locator("main"), HTML_IDEA), HTML_IDEA)
    projector.check("ideas arrived")

    # After a reload (the server's own rendering), the same: text, not markup.
    for journey in (chloe, projector, guest):
        journey.page.reload()
        _literal(_card(journey.page.locator("main"), HTML_IDEA), HTML_IDEA)
        expect(_card(journey.page.locator("main"), guest_idea)).to_be_visible()
    expect(chloe.page.locator("[data-mine]")).to_contain_text(chloe_idea)
    fits_phone(guest, "The guest's wall after a reload")
    guest.goto("/join/")
    fits_phone(guest, "The join page")
    assert not dialogs, f"People's text ran as script: {dialogs}"


# 3, 4 and 5. Themes, the dot vote and the write-up ----------------------------------------------


def _vote_field(journey: Journey, idea: str):
    return journey.page.get_by_label(re.compile("^" + re.escape(idea)))


def _download(journey: Journey, name: re.Pattern, content_type: str, filename: str) -> bytes:
    """Fetch a download link's file, checking its headers, then click it as a person would."""
    page = journey.page
    link = page.get_by_role("link", name=name)
    response = page.context.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == filename
    return download.path().read_bytes()  # (a DOCX's zip holds the time it was made: not the same bytes twice)


def test_facilitator_groups_ideas_runs_a_dot_vote_and_publishes_the_write_up(convenor, new_context, e2e_server):
    dialogs: list[str] = []
    run = suffix()
    title = f"Procurement workshop {run}"
    prompt = f"What should the ICB commit to on procurement? ({run})"
    theme = f"Paying on time {run}"
    access_need = f"A hearing loop in the room ({run})"
    _run_workshops_outside_the_stage(convenor)
    ben = _person(new_context, e2e_server, BEN, dialogs)
    workshop_path = _plan(ben, title, [(prompt, KEY_AREA)])
    wall_path = f"{workshop_path}wall/"

    # Chloe registers and tells the organisers about an access need: it never reaches the write-up.
    chloe = _person(new_context, e2e_server, CHLOE, dialogs)
    chloe.goto(workshop_path)
    chloe.button("Register for this workshop")
    chloe.page.get_by_label("Access needs (optional)").fill(access_need)
    chloe.button("Register")
    expect(chloe.page.locator(".govuk-panel")).to_contain_text("You are registered")

    ben.goto(workshop_path)
    code = _start_and_open(ben, [prompt])

    guest = _guest(new_context, e2e_server, dialogs)
    guest_name, guest_org = f"Priya {run}", "Greenwich Carers Together"
    _join_as_guest(guest, code, guest_name, guest_org)
    paid_late = f"Pay small charities within 30 days ({run})"
    longer = f"Give small charities longer contracts ({run})"
    for text in (paid_late, longer):
        _send_idea(guest, prompt, text)

    chloe.goto(wall_path)
    invoices = f"Pay invoices from small charities on time ({run})"
    early = f"Publish contract opportunities three months early ({run})"
    for text in (invoices, early, HTML_IDEA):
        _send_idea(chloe, prompt, text)

    # 3. Ben groups the ideas on the themes board, which the wall links to.
    ben.goto(wall_path)
    ben.link("Group ideas into themes")
    expect(ben.heading()).to_have_text("Group ideas into themes")
    page = ben.page
    expect(page.locator("[data-themes-help]")).to_be_visible()  # themes.js offers dragging
    page.get_by_label("Theme name").fill(theme)
    ben.button("Add the theme")
    expect(alert(ben)).to_contain_text(f"The theme “{theme}” has been added.")
    expect(_region(ben, theme)).to_contain_text("0 ideas")

    # With the "Move to theme" control.
    card = _card(page.locator("#theme-none"), invoices)
    card.get_by_label(re.compile("^Move to theme")).select_option(label=theme)
    ben.click(card.get_by_role("button", name=hidden_suffix("Move", f"the idea: {invoices}")))
    expect(alert(ben)).to_contain_text(f"The idea is now in “{theme}”.")
    expect(_card(_region(ben, theme), invoices)).to_be_visible()
    _literal(_card(page.locator("#theme-none"), HTML_IDEA), HTML_IDEA)

    # With the keyboard only: Space picks the idea up, an arrow key chooses the theme, Enter drops it.
    status = page.locator("[data-themes-status]")
    card = _card(page.locator("#theme-none"), paid_late)
    card.focus()
    expect(card).to_be_focused()
    card.press("Space")
    expect(status).to_have_text(re.compile(rf"^Picked up: {re.escape(paid_late)}\. It is not in a theme\."))
    expect(card).to_have_class(re.compile("compact-idea--picked"))
    ben.check("an idea picked up")
    card.press("ArrowDown")
    expect(status).to_have_text(f"{theme}, 1 of 2.")
    expect(_region(ben, theme)).to_have_class(re.compile("compact-theme--target"))
    card.press("Enter")
    expect(status).to_have_text(f"The idea is now in “{theme}”.")
    themed = _card(_region(ben, theme), paid_late)
    expect(themed).to_be_visible()
    expect(themed).to_be_focused()
    expect(_region(ben, theme).locator("[data-theme-count]")).to_have_text("2")
    ben.check("an idea dropped in a theme")
    page.reload()
    expect(_card(_region(ben, theme), paid_late)).to_be_visible()
    expect(_card(_region(ben, theme), paid_late).get_by_label(re.compile("^Move to theme"))).to_have_value(
        re.compile(r"^\d+$")
    )
    expect(_region(ben, theme)).to_contain_text("2 ideas")

    # Suggested themes for the rest (the language model may take a while the first time).
    suggest_themes(ben)
    expect(ben.heading()).to_have_text("Suggested themes")
    first = page.locator("section.compact-suggestion").first
    expect(first).to_be_visible()
    suggested = f"Contracts {run}"
    first.get_by_label("Theme name").fill(suggested)
    ben.click(first.get_by_role("button", name=re.compile("^Accept as a theme")))
    expect(alert(ben)).to_contain_text(f"“{suggested}” is now a theme with")
    ben.link("Back to the themes")
    expect(_region(ben, suggested)).to_be_visible()
    expect(_card(_region(ben, theme), invoices)).to_be_visible()  # put there by hand: stays

    # The wall shows the ideas under their themes too.
    chloe.goto(wall_path)
    heading = chloe.page.locator("[data-theme-heading]", has_text=theme)
    expect(heading).to_be_visible()
    theme_list = chloe.page.locator(f'[data-theme-list="{heading.get_attribute("data-theme-heading")}"]')
    expect(_card(theme_list, paid_late)).to_be_visible()
    expect(_card(theme_list, invoices)).to_be_visible()

    # 4. Dot voting.
    ben.goto(workshop_path)
    ben.link("Run the dot vote")
    expect(ben.heading()).to_have_text("Voting")
    ben.button("Open voting")
    expect(alert(ben)).to_contain_text("Voting is open.")
    voting_path = ben.path

    guest.goto(f"/join/{code}/")
    expect(guest.page.locator(".govuk-inset-text").first).to_contain_text("Voting is open: you have 5 dots to spend.")
    guest.link("Vote with your dots")
    assert guest.path == f"/join/{code}/vote/"
    expect(guest.heading()).to_have_text(f"Vote: {title}")
    expect(guest.page.locator("#dots-left")).to_contain_text("You have 5 dots left.")
    fits_phone(guest, "The guest's ballot")
    _vote_field(guest, paid_late).fill("6")
    guest.button("Save my dots")
    assert guest.page.title().startswith("Error:")
    over = "You have 5 dots and this would use 6. Take 1 off first."
    expect(guest.error_summary()).to_contain_text(over)
    expect(guest.page.locator("#dots .govuk-error-message")).to_contain_text(over)
    expect(_vote_field(guest, paid_late)).to_have_value("6")
    expect(guest.page.locator("#dots-left")).to_contain_text("You have 5 dots left.")
    fits_phone(guest, "The guest's ballot with an error")
    _vote_field(guest, paid_late).fill("3")
    _vote_field(guest, HTML_IDEA).fill("2")
    guest.button("Save my dots")
    expect(alert(guest)).to_contain_text("Your dots have been saved. You have 0 dots left.")
    expect(_vote_field(guest, HTML_IDEA)).to_have_value("2")

    chloe.goto(wall_path)
    chloe.link("Vote with your dots")
    _vote_field(chloe, invoices).fill("4")
    chloe.button("Save my dots")
    expect(alert(chloe)).to_contain_text("Your dots have been saved. You have 1 dot left.")

    # Ben's tally, open since he opened voting, has every dot without reloading (tally.js), and
    # says so politely, most dots first.
    assert ben.path == voting_path
    tally = page.get_by_role("table")
    expect(page.locator("#voters")).to_have_text("2", timeout=LIVE_MS)
    expect(tally.get_by_role("row").filter(has_text=invoices)).to_contain_text("4", timeout=LIVE_MS)
    expect(tally.get_by_role("row").filter(has_text=paid_late)).to_contain_text("3")
    expect(tally.get_by_role("row").filter(has_text=HTML_IDEA)).to_contain_text("2")
    status = page.locator("[data-tally-status]")
    expect(status).to_contain_text(f"Most dots: “{invoices}” with 4 dots.", timeout=LIVE_MS + 5_000)
    expect(tally.get_by_role("row").nth(1)).to_contain_text(invoices)  # re-sorted: most dots first
    ben.goto(voting_path)  # and the same after a reload
    expect(page.locator("#voters")).to_have_text("2")
    expect(tally.get_by_role("row").nth(1)).to_contain_text(invoices)
    ben.button("Show the results to everyone")
    expect(alert(ben)).to_contain_text("The results are now shown to everyone.")
    expect(page.locator("#results-state")).to_have_text("Shown to everyone")

    # The workshop ends; Ben publishes the write-up.
    ben.goto(workshop_path)
    ben.button("End the workshop")
    expect(alert(ben)).to_contain_text("The workshop has ended.")
    ben.link("The write-up")
    expect(ben.heading()).to_have_text(f"Write-up: {title}")
    expect(page.locator("#draft")).to_be_visible()
    ben.link("Publish the write-up")
    expect(ben.heading()).to_have_text("Publish the write-up")
    ben.button("Publish and email people")
    expect(alert(ben)).to_contain_text("The write-up has been published. People who came are being emailed a link.")
    expect(page.locator("#draft")).to_have_count(0)
    writeup_path = ben.path

    # Chloe, a member, reads it: ideas by theme with their dots, attendance, never access needs.
    chloe.goto(writeup_path)
    main = chloe.page.locator("main")
    expect(chloe.heading()).to_have_text(f"Write-up: {title}")
    expect(main.locator("#attendance + p")).to_have_text(
        re.compile(r"^1 person registered and 2 took part, from \d+ organisations?\.$")
    )
    expect(main.get_by_role("table", name="Organisations by kind")).to_be_visible()
    main.get_by_text("The organisations that came").click()
    chloe.check("organisations shown")
    expect(main.locator("#organisations")).to_contain_text("Lewisham Community Food Network")
    expect(main.locator("#organisations")).to_contain_text(guest_org)
    theme_group = main.get_by_role("region", name=theme, exact=True)
    expect(theme_group.locator("li", has_text=invoices)).to_contain_text("4 dots")
    expect(theme_group.locator("li", has_text=paid_late)).to_contain_text("3 dots")
    expect(theme_group.locator("li", has_text=paid_late)).to_contain_text(f"From {guest_org}")
    html_item = main.locator("li", has=chloe.page.locator("p.govuk-body", has_text=HTML_IDEA))
    expect(html_item.locator("p.govuk-body")).to_have_text(HTML_IDEA)
    expect(html_item.locator("p.govuk-body > *")).to_have_count(0)
    expect(html_item).to_contain_text("2 dots")
    expect(main).not_to_contain_text(access_need)

    # The downloads: a spreadsheet and a Word document, both with the idea as text.
    slug = f"write-up-{title.lower().replace(' ', '-')}"
    body = _download(chloe, re.compile("^spreadsheet \\(CSV\\)"), "text/csv; charset=utf-8", f"{slug}.csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["prompt", "theme", "idea", "organisation", "votes", "after the workshop"], rows[0]
    by_idea = {row[2]: row for row in rows[1:]}
    assert by_idea[HTML_IDEA][0] == prompt and by_idea[HTML_IDEA][2:] == [
        HTML_IDEA, "Lewisham Community Food Network", "2", "no",
    ], by_idea[HTML_IDEA]  # fmt: skip
    assert by_idea[invoices][1] == theme and by_idea[invoices][4] == "4", by_idea[invoices]
    assert by_idea[paid_late][1] == theme and by_idea[paid_late][3] == guest_org, by_idea[paid_late]
    assert access_need not in body.decode("utf-8-sig")
    docx = _download(
        chloe, re.compile("^Word document \\(DOCX\\)"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", f"{slug}.docx",
    )  # fmt: skip
    document = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in document
    assert theme in document and invoices in document
    assert access_need not in document

    # 5. On a phone, the write-up does not scroll sideways.
    phone = Journey(
        new_context(storage_state=chloe.page.context.storage_state(), viewport=PHONE).new_page(), e2e_server.base_url
    )
    phone.goto(writeup_path)
    expect(phone.heading()).to_have_text(f"Write-up: {title}")
    fits_phone(phone, "The write-up")
    assert not dialogs, f"People's text ran as script: {dialogs}"
