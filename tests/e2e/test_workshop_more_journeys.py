"""More journeys through workshops: a guest registers through a single-use emailed link, a
facilitator moderates a live wall (hide, correct, merge) while a member watches, and a
facilitator reviews suggested themes (rename, merge, split, discard, accept, more and fewer).

Every page a journey reaches is checked with axe-core (see journey.py). All tests share one
server database with the demo data, so every workshop has a unique name."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .journey import Journey
from .workshop_helpers import (
    BEN,
    CHLOE,
    LIVE_MS,
    PHONE,
    Problems,
    alert,
    card,
    fits_phone,
    live_workshop,
    on_phone,
    person,
    plan_workshop,
    region,
    send_idea,
    suffix,
    suggest_themes,
    text_of,
    wait_for_emails,
    wait_live,
)

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)


# 1. A guest registers through a single-use emailed link -----------------------------------------


def test_guest_registers_through_a_single_use_emailed_link(new_context, e2e_server):
    run = suffix()
    title = f"Carers and the charter {run}"
    guest_email = f"priya.{run}@example.net"
    guest_name, guest_org = f"Priya Shah {run}", "Greenwich Carers Together"
    access_need = f"A British Sign Language interpreter, please ({run})"

    # Ben plans the workshop and invites Priya, who has no account, from its page.
    ben = person(new_context, e2e_server, BEN)
    workshop_path = plan_workshop(ben, title, [f"What should carers' organisations be asked? ({run})"])
    ben.link("Invite a guest without an account")
    assert ben.path == f"{workshop_path}invite/", ben.path
    expect(ben.heading()).to_have_text("Invite a guest")
    page = ben.page
    ben.button("Send invitation")  # nothing typed: the address is needed
    expect(ben.error_summary().locator('a[href="#id_email"]')).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_attribute("aria-describedby", re.compile("error"))
    page.get_by_label("Email address").fill(guest_email)
    page.get_by_label("Their name (optional)").fill(guest_name)
    ben.button("Send invitation")
    assert ben.path == f"{workshop_path}registrations/", ben.path
    expect(alert(ben)).to_contain_text(f"Invitation sent to {guest_email}. The link works once, until")
    expect(page.locator("main")).to_contain_text(f"{guest_email} – works until")  # a guest link not used yet
    expect(page.locator("#count-registered")).to_have_text("0")

    # The email holds the link; Priya opens it on her phone, with no account.
    messages = wait_for_emails(e2e_server.email_dir, guest_email)
    assert len(messages) == 1, f"Expected one invitation email to {guest_email}, found {len(messages)}"
    assert title in messages[0]["Subject"], messages[0]["Subject"]
    body = text_of(messages[0])
    match = re.search(r"https?://\S+(/workshops/guest/[^/\s]+/)", body)
    assert match, f"No registration link in the email:\n{body}"
    link = match.group(1)
    assert f"Hello {guest_name}" in body, body

    guest = Journey(new_context(viewport=PHONE).new_page(), e2e_server.base_url)
    response = guest.goto(link)
    assert response.status == 200, response.status
    expect(guest.heading()).to_have_text(f"Register for {title}")
    expect(guest.page.locator("main")).to_contain_text(f"You are registering as {guest_email}")
    expect(guest.page.get_by_label("Your name")).to_have_value(guest_name)
    fits_phone(guest, "The guest registration page")
    form = guest.page.locator("#guest-register-form")
    form.get_by_label("Your name").fill("")
    guest.submit(form.get_by_role("button", name="Register"))  # no name: the link stays usable
    expect(guest.error_summary().locator('a[href="#id_name"]')).to_be_visible()
    expect(form.get_by_label("Your name")).to_have_attribute("aria-describedby", re.compile("error"))
    fits_phone(guest, "The guest registration page with an error")
    form.get_by_label("Your name").fill(guest_name)
    form.get_by_label("Organisation (optional)").fill(guest_org)
    form.get_by_label("Borough (optional)").select_option(label="Greenwich")
    form.get_by_label("Access needs (optional)").fill(access_need)
    guest.submit(form.get_by_role("button", name="Register"))
    panel = guest.page.locator(".govuk-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text("You are registered")
    expect(panel).to_contain_text(title)
    expect(guest.page.locator("main")).to_contain_text(
        f"We have emailed a confirmation and a calendar invitation to {guest_email}"
    )
    expect(guest.page.locator("main")).to_contain_text("This link has now been used and will not work again.")
    fits_phone(guest, "The guest's confirmation")
    confirmations = wait_for_emails(e2e_server.email_dir, guest_email, count=2)
    assert len(confirmations) == 2, f"Expected a confirmation email to {guest_email} too, found {len(confirmations)}"

    # The same link again (a reload, or a forwarded email): it is spent, and says so, with no form.
    response = guest.goto(link)
    assert response.status == 410, f"A used guest link answered {response.status}"
    expect(guest.heading()).to_have_text("This link cannot be used")
    expect(guest.page.locator("main")).to_contain_text("This link has already been used. Each link works once.")
    expect(guest.page.locator("main form")).to_have_count(0)
    expect(guest.page.get_by_label("Your name")).to_have_count(0)
    fits_phone(guest, "The used-link page")
    # A link that was never sent is refused too.
    response = guest.goto(link.rstrip("/") + "x/")
    assert response.status == 404, f"A made-up guest link answered {response.status}"
    expect(guest.page.locator("main")).to_contain_text("This link is not valid.")

    # Ben sees Priya registered, as a guest, with her organisation, borough and access needs.
    ben.page.reload()
    ben.check("a guest registered")
    expect(page.locator("#count-registered")).to_have_text("1")
    row = page.get_by_role("table").get_by_role("row").filter(has_text=guest_name)
    expect(row).to_contain_text("Guest")
    expect(row).to_contain_text(guest_org)
    expect(row).to_contain_text("Greenwich")
    expect(row.locator(".govuk-tag--green")).to_have_text("Registered")
    expect(row).to_contain_text(access_need)
    expect(page.get_by_role("columnheader", name="Access needs")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(f"{guest_email} – works until")  # the link is used
    # The registrations page at 320 px: the table scrolls inside its own region, the page does not.
    ben_phone = on_phone(new_context, e2e_server, ben)
    ben_phone.goto(ben.path)
    fits_phone(ben_phone, "The registrations page")

    # Chloe, a member, cannot see who registered, nor anyone's access needs.
    chloe = person(new_context, e2e_server, CHLOE)
    chloe.goto(workshop_path)
    expect(chloe.heading()).to_have_text(title)
    expect(chloe.page.get_by_role("link", name="Who has registered")).to_have_count(0)
    expect(chloe.page.get_by_role("link", name="Invite a guest without an account")).to_have_count(0)
    expect(chloe.page.locator("main")).not_to_contain_text(access_need)
    response = chloe.goto(f"{workshop_path}registrations/")
    assert response.status == 403, f"A member opening the registrations answered {response.status}"
    expect(chloe.heading()).to_have_text("You cannot do this")
    expect(chloe.page.locator("main")).to_contain_text("Only convenors and facilitators can see who has registered.")
    expect(chloe.page.locator("main")).not_to_contain_text(access_need)
    expect(chloe.page.locator("main")).not_to_contain_text(guest_name)
    response = chloe.goto(f"{workshop_path}invite/")
    assert response.status == 403, f"A member opening the invite page answered {response.status}"


# 2. A facilitator moderates a live wall --------------------------------------------------------


def _moderate_link(journey: Journey, text: str):
    return journey.page.get_by_role("link", name=re.compile(rf"^Moderate\s*the idea: {re.escape(text[:50])}"))


def _count(journey: Journey, prompt: str):
    """The prompt's "Ideas (n)" heading (wall.js keeps n true as ideas come and go)."""
    return region(journey, prompt).get_by_role("heading", name=re.compile(r"^Ideas \(\d+\)$"))


def test_facilitator_hides_corrects_and_merges_ideas_on_a_live_wall(convenor, new_context, e2e_server):
    run = suffix()
    title = f"Moderated workshop {run}"
    prompt = f"What should the charter promise small charities? ({run})"
    ben, workshop_path = live_workshop(convenor, new_context, e2e_server, title, prompt)
    wall_path = f"{workshop_path}wall/"

    problems = Problems()
    ben.goto(wall_path)
    wait_live(ben)

    # Chloe, a member, adds four ideas from the wall: one off topic, one with typos, two the same.
    chloe = person(new_context, e2e_server, CHLOE)
    chloe.goto(wall_path)
    wait_live(chloe)
    off_topic = f"Buy cheap followers at spam.example ({run})"
    typo = f"Pay smal charites within 30 days ({run})"
    fixed = f"Pay small charities within 30 days ({run})"
    keep = f"Publish contract opportunities a year ahead ({run})"
    duplicate = f"Publish upcoming contracts a year early ({run})"
    for text in (off_topic, typo, keep, duplicate):
        send_idea(chloe, prompt, text)
    chloe.check("ideas sent")
    wall = region(chloe, prompt)
    expect(_count(chloe, prompt)).to_have_text("Ideas (4)", timeout=LIVE_MS)
    for text in (off_topic, typo, keep, duplicate):
        expect(card(wall, text)).to_be_visible()
    expect(chloe.page.get_by_role("link", name=re.compile("^Moderate"))).to_have_count(0)  # members cannot

    # Ben watched them arrive (with a Moderate link each), and his count went up with them.
    for text in (off_topic, typo, keep, duplicate):
        expect(_moderate_link(ben, text)).to_be_visible(timeout=LIVE_MS)
    expect(_count(ben, prompt)).to_have_text("Ideas (4)")  # (wall.js once lost count for facilitators)
    ben.check("ideas arrived")
    ben.page.reload()
    expect(_count(ben, prompt)).to_have_text("Ideas (4)")

    # Hiding needs a reason; with one, the idea leaves Chloe's wall without her reloading.
    ben.click(_moderate_link(ben, off_topic))
    expect(ben.heading()).to_have_text("Moderate an idea")
    page = ben.page
    expect(page.locator(".govuk-inset-text")).to_contain_text(off_topic)
    ben.button("Hide this idea")
    expect(ben.error_summary()).to_contain_text("Enter why you are hiding this idea")
    expect(page.get_by_label("Why are you hiding it?")).to_have_attribute("aria-describedby", re.compile("error"))
    reason = f"Advertising, not an idea for the charter ({run})"
    page.get_by_label("Why are you hiding it?").fill(reason)
    ben.button("Hide this idea")
    assert ben.path == wall_path, ben.path
    expect(alert(ben)).to_contain_text("The idea has been hidden.")
    expect(card(region(ben, prompt), off_topic)).to_have_count(0)
    hidden = region(ben, prompt).locator("details", has_text="Hidden ideas (1)")
    hidden.locator("summary").click()
    expect(hidden).to_contain_text(off_topic)
    expect(hidden).to_contain_text(f"hidden because: {reason}")
    ben.check("hidden ideas open")

    expect(card(wall, off_topic)).to_have_count(0, timeout=LIVE_MS)  # wall.js: "idea_removed"
    expect(_count(chloe, prompt)).to_have_text("Ideas (3)")
    expect(wall).not_to_contain_text(reason)
    chloe.check("an idea hidden")

    # A typo fixed: Chloe sees the corrected words (marked "edited"); the first wording is kept.
    ben.click(_moderate_link(ben, typo))
    correction = page.get_by_label("Corrected wording")
    expect(correction).to_have_value(typo)
    correction.fill("   ")
    ben.button("Save the correction")
    expect(ben.error_summary()).to_contain_text("Enter your idea")
    page.get_by_label("Corrected wording").fill(fixed)
    ben.button("Save the correction")
    expect(alert(ben)).to_contain_text("The idea has been corrected.")
    expect(card(region(ben, prompt), fixed)).to_contain_text("edited")

    expect(card(wall, fixed)).to_be_visible(timeout=LIVE_MS)
    expect(card(wall, fixed)).to_contain_text("· edited")
    expect(card(wall, typo)).to_have_count(0)
    expect(_count(chloe, prompt)).to_have_text("Ideas (3)")
    chloe.check("an idea corrected")

    ben.click(_moderate_link(ben, fixed))
    expect(page.locator(".govuk-inset-text")).to_contain_text(f"First written as: “{typo}”")
    ben.link("Back to the wall")

    # A duplicate merged: it leaves the wall and the idea it went into says so.
    duplicate_link = _moderate_link(ben, duplicate)
    duplicate_path = duplicate_link.get_attribute("href")
    ben.click(duplicate_link)
    ben.button("Merge")
    expect(ben.error_summary().locator('a[href="#id_merge-into"]')).to_be_visible()
    merge_into = page.get_by_label("Merge it into")
    expect(merge_into.locator("option", has_text=off_topic)).to_have_count(0)  # hidden: not offered
    merge_into.select_option(label=keep)
    ben.button("Merge")
    expect(alert(ben)).to_contain_text("The ideas have been merged.")
    expect(card(region(ben, prompt), duplicate)).to_have_count(0)
    expect(card(region(ben, prompt), keep)).to_contain_text("1 similar idea merged in")

    expect(card(wall, duplicate)).to_have_count(0, timeout=LIVE_MS)  # wall.js: "idea_merged"
    expect(card(wall, keep)).to_contain_text("· 1 similar idea merged in", timeout=LIVE_MS)
    expect(_count(chloe, prompt)).to_have_text("Ideas (2)")
    chloe.check("ideas merged")

    ben.goto(duplicate_path)
    expect(page.locator("main")).to_contain_text(f"This idea has been merged into “{keep}”.")
    expect(page.get_by_role("button", name="Merge")).to_have_count(0)

    # After a reload (the server's own rendering) Chloe's wall is the same, and her own list
    # tells her which of her ideas a facilitator hid.
    chloe.page.reload()
    wall = region(chloe, prompt)
    expect(_count(chloe, prompt)).to_have_text("Ideas (2)")
    expect(card(wall, off_topic)).to_have_count(0)
    expect(card(wall, duplicate)).to_have_count(0)
    expect(card(wall, fixed)).to_contain_text("edited")
    expect(card(wall, keep)).to_contain_text("1 similar idea merged in")
    expect(wall).not_to_contain_text(reason)
    mine = chloe.page.locator("[data-mine]")
    expect(mine.locator("li", has_text=off_topic)).to_contain_text("hidden by a facilitator")
    expect(chloe.page.locator("details", has_text="Hidden ideas")).to_have_count(0)

    # A member cannot open the moderation page.
    response = chloe.goto(duplicate_path)
    assert response.status == 403, f"A member opening the moderation page answered {response.status}"
    chloe.goto(wall_path)
    wait_live(chloe)

    # The hidden idea can go back on the wall; the moderation page fits a phone.
    ben_phone = on_phone(new_context, e2e_server, ben)
    ben_phone.goto(wall_path)
    hidden = region(ben_phone, prompt).locator("details", has_text="Hidden ideas (1)")
    hidden.locator("summary").click()
    ben_phone.click(hidden.get_by_role("link", name=re.compile("^Moderate")))
    expect(ben_phone.page.locator("main")).to_contain_text(f"This idea is hidden because: {reason}")
    fits_phone(ben_phone, "The moderation page of a hidden idea")
    ben_phone.button("Put it back on the wall")
    expect(alert(ben_phone)).to_contain_text("The idea is back on the wall.")
    problems.check(
        "The facilitator's wall at 320 px (the join address is one long unbreakable link)",
        lambda: fits_phone(ben_phone, "The facilitator's wall"),
    )
    expect(card(region(chloe, prompt), off_topic)).to_be_visible(timeout=LIVE_MS)  # live, without reloading
    expect(_count(chloe, prompt)).to_have_text("Ideas (3)")
    problems.raise_any()


# 3. A facilitator reviews suggested themes --------------------------------------------------------

CONTRACT_IDEAS = [
    "Publish contract opportunities a year ahead",
    "Let small charities bid for contracts together in consortia",
]
OTHER_IDEAS = [
    "Pay invoices from small charities within 30 days",
    "Pay grant instalments on time, not months late",
    "Late payment of invoices puts small charities at risk",
    "Pay charities upfront for the first quarter of a grant",
    "Recognise volunteers' time in social value scores",
    "Fund volunteer coordinators in every borough",
    "Pay volunteers' travel expenses on NHS projects",
    "Train NHS staff to work alongside volunteers",
    "More mental health support for young people in schools",
    "Youth clubs should get NHS funding for mental health work",
    "Peer support groups for young people's mental health",
    "Mental health first aid training for youth workers",
]

_SUGGESTIONS = """() => [...document.querySelectorAll('section.compact-suggestion')].map(s => ({
  id: s.id,
  label: s.querySelector('h3').textContent.trim(),
  ideas: [...s.querySelectorAll('label.compact-suggestion__idea')].map(l => ({
    text: l.firstChild.textContent.trim(),
    placed: /already in/.test(l.textContent),
  })),
}))"""


def _suggestions(journey: Journey) -> list[dict]:
    """The suggestions waiting for a decision: id, label and ideas (text, and whether already in a theme)."""
    return journey.page.evaluate(_SUGGESTIONS)


def _waiting(journey: Journey, n: int) -> None:
    expect(journey.page.locator("#suggestions")).to_have_text(f"Waiting for your decision ({n})")
    expect(journey.page.locator("section.compact-suggestion")).to_have_count(n)


def _run_says(journey: Journey, prompt: str, k: int) -> None:
    expect(journey.page.locator("main")).to_contain_text(
        f"For the ideas about “{prompt}”: {k} suggestion{'' if k == 1 else 's'}."
    )


def test_facilitator_reviews_suggested_themes_without_losing_manual_ones(convenor, new_context, e2e_server):
    problems = Problems()
    run = suffix()
    title = f"Themes workshop {run}"
    prompt = f"What would make the biggest difference to your organisation? ({run})"
    contracts = f"Contracts {run}"
    ben, workshop_path = live_workshop(convenor, new_context, e2e_server, title, prompt)

    # Ben types up the tables' paper notes from the wall (the facilitator's "For a table" box).
    ben.goto(f"{workshop_path}wall/")
    for n, text in enumerate(CONTRACT_IDEAS + OTHER_IDEAS):
        send_idea(ben, prompt, text, table=f"Table {n % 3 + 1}")
    ben.page.reload()
    expect(_count(ben, prompt)).to_have_text(f"Ideas ({len(CONTRACT_IDEAS + OTHER_IDEAS)})")
    expect(card(region(ben, prompt), OTHER_IDEAS[0])).to_contain_text("Table 3")

    # He makes a theme by hand first and puts the two contract ideas in it.
    ben.link("Group ideas into themes")
    expect(ben.heading()).to_have_text("Group ideas into themes")
    page = ben.page
    page.get_by_label("Theme name").fill(contracts)
    ben.button("Add the theme")
    expect(alert(ben)).to_contain_text(f"The theme “{contracts}” has been added.")
    for text in CONTRACT_IDEAS:
        idea = card(page.locator("#theme-none"), text)
        idea.get_by_label(re.compile("^Move to theme")).select_option(label=contracts)
        ben.click(idea.get_by_role("button", name=re.compile(r"^Move\s*the idea:")))
        expect(alert(ben)).to_contain_text(f"The idea is now in “{contracts}”.")
    manual = region(ben, contracts)
    expect(manual).to_contain_text("2 ideas")
    expect(manual).not_to_contain_text("from a suggestion")

    # Asking for more themes than there are ideas is refused beside the box.
    page.get_by_label("Ideas to group").select_option(label=f"Ideas for “{prompt}”")
    page.get_by_label("Number of themes (optional)").fill("99")
    ben.button("Suggest themes")
    total = len(CONTRACT_IDEAS + OTHER_IDEAS)
    expect(ben.error_summary()).to_contain_text(f"Ask for between 1 and {total} themes")
    expect(page.get_by_label("Number of themes (optional)")).to_have_attribute(
        "aria-describedby", re.compile("suggest-k-error")
    )
    expect(page.get_by_label("Ideas to group")).to_have_value(re.compile(r"^\d+$"))  # the choice is kept

    # Then the library chooses (the language model may take a while the first time it loads).
    page.get_by_label("Number of themes (optional)").fill("")
    suggest_themes(ben)
    expect(ben.heading()).to_have_text("Suggested themes")
    first_run = ben.path
    found = _suggestions(ben)
    k = len(found)
    assert k >= 1, found
    _run_says(ben, prompt, k)
    _waiting(ben, k)
    assert sorted(i["text"] for s in found for i in s["ideas"]) == sorted(CONTRACT_IDEAS + OTHER_IDEAS), found
    assert {i["text"] for s in found for i in s["ideas"] if i["placed"]} == set(CONTRACT_IDEAS), found
    problems.check(
        "The suggestions page says how the ideas were grouped (it is silent for a language-model run)",
        lambda: expect(page.locator("main")).to_contain_text(re.compile("language model|word overlap")),
    )

    # More themes: a new set, one suggestion more.
    ben.button(f"More themes ({k + 1})")
    assert ben.path != first_run, ben.path
    _run_says(ben, prompt, k + 1)
    _waiting(ben, k + 1)
    found = _suggestions(ben)
    pending = k + 1

    # Which suggestion gets which decision does not depend on how the ideas were grouped: one
    # with ideas in no theme yet is renamed and accepted, one with two ideas or more is split and
    # merged back, and another is discarded.
    other = max(found, key=lambda s: sum(not i["placed"] for i in s["ideas"]))
    big = next((s for s in found if s is not other and len(s["ideas"]) >= 2), other)
    dropped = big if big is not other else next(s for s in found if s is not other)

    # Split: one idea of a suggestion becomes a suggestion of its own.
    section = page.locator(f"#{big['id']}")
    alone = big["ideas"][0]["text"]
    split_name = f"Split off {run}"
    section.get_by_role("checkbox", name=re.compile("^" + re.escape(alone))).check()
    section.get_by_label("Name for the new suggestion (optional)").fill(split_name)
    ben.click(section.get_by_role("button", name="Split the ticked ideas into a new suggestion"))
    expect(alert(ben)).to_contain_text(f"The ideas you chose are now a new suggestion, “{split_name}”.")
    pending += 1
    _waiting(ben, pending)
    ben.check("a suggestion split")
    split = page.locator("section.compact-suggestion", has=page.get_by_role("heading", name=split_name))
    expect(split).to_contain_text("1 idea.")
    expect(split.locator("label.compact-suggestion__idea")).to_have_count(1)
    expect(split.locator("label.compact-suggestion__idea")).to_contain_text(alone)
    expect(section.locator("label.compact-suggestion__idea")).to_have_count(len(big["ideas"]) - 1)

    # Merge: it goes back into the suggestion it came from.
    section.get_by_label("Merge it with another suggestion").select_option(label=split_name)
    ben.click(section.get_by_role("button", name=re.compile(r"^Merge\s*the suggestion")))
    expect(alert(ben)).to_contain_text("The suggestions have been merged.")
    pending -= 1
    _waiting(ben, pending)
    expect(page.get_by_role("heading", name=split_name)).to_have_count(0)
    expect(section.locator("label.compact-suggestion__idea")).to_have_count(len(big["ideas"]))
    expect(section).to_contain_text(f"{len(big['ideas'])} ideas.")

    # Rename: an empty name is refused beside the box.
    chosen = page.locator(f"#{other['id']}")
    renamed = f"Renamed {run}"
    chosen.get_by_label("Theme name").fill("   ")
    ben.click(chosen.get_by_role("button", name=re.compile(r"^Save the name")))
    expect(ben.error_summary()).to_contain_text("Enter a name for the theme")
    expect(chosen.get_by_label("Theme name")).to_have_attribute("aria-describedby", re.compile("error"))
    _waiting(ben, pending)  # nothing changed
    chosen.get_by_label("Theme name").fill(renamed)
    ben.click(chosen.get_by_role("button", name=re.compile(r"^Save the name")))
    expect(alert(ben)).to_contain_text("The suggestion has been renamed.")
    expect(chosen.get_by_role("heading", level=3)).to_have_text(renamed)
    expect(chosen.get_by_label("Theme name")).to_have_value(renamed)

    # Discard another.
    ben.click(page.locator(f"#{dropped['id']}").get_by_role("button", name=re.compile(r"^Discard\s*the suggestion")))
    expect(alert(ben)).to_contain_text("The suggestion has been discarded.")
    pending -= 1
    _waiting(ben, pending)
    expect(page.locator(f"#{dropped['id']}")).to_have_count(0)
    decided = page.locator("main").get_by_role("heading", name="Decided").locator("+ ul")
    size = len(dropped["ideas"])
    expect(decided).to_contain_text(f"Discarded: “{dropped['label']}” ({size} idea{'' if size == 1 else 's'})")
    ben.check("a suggestion discarded")

    # Accept the renamed one: only its ideas that are in no theme yet go in.
    free = [i["text"] for i in other["ideas"] if not i["placed"]]
    placed = [i["text"] for i in other["ideas"] if i["placed"]]
    ben.click(chosen.get_by_role("button", name=re.compile(r"^Accept as a theme")))
    expect(alert(ben)).to_contain_text(
        f"“{renamed}” is now a theme with {len(free)} idea{'' if len(free) == 1 else 's'}."
    )
    pending -= 1
    _waiting(ben, pending)
    expect(decided).to_contain_text(f"Accepted as “{renamed}”: {len(free)} of its {len(other['ideas'])}")

    # The board: the accepted theme with its ideas, the manual theme exactly as it was.
    ben.link("Back to the themes")
    accepted = region(ben, renamed)
    expect(accepted).to_contain_text("from a suggestion")
    expect(accepted.locator("[data-theme-count]")).to_have_text(str(len(free)))
    for text in free:
        expect(card(accepted, text)).to_contain_text("placed by a suggestion")
    for text in placed:
        expect(card(accepted, text)).to_have_count(0)
    manual = region(ben, contracts)
    expect(manual.locator("[data-theme-count]")).to_have_text("2")
    for text in CONTRACT_IDEAS:
        expect(card(manual, text)).to_be_visible()
        expect(card(manual, text)).not_to_contain_text("placed by a suggestion")

    # Fewer themes, from the latest set: a new set one smaller; still nothing changes on the board.
    ben.link("See the latest suggestions")
    _run_says(ben, prompt, k + 1)
    ben.button(f"Fewer themes ({k})")
    _run_says(ben, prompt, k)
    _waiting(ben, k)
    again = _suggestions(ben)
    placed_now = {i["text"] for s in again for i in s["ideas"] if i["placed"]}
    assert placed_now == set(CONTRACT_IDEAS) | set(free), again
    expect(page.locator("main")).to_contain_text(f"already in “{contracts}”, stays there")
    phone = on_phone(new_context, e2e_server, ben)
    phone.goto(ben.path)
    fits_phone(phone, "The suggested themes")
    ben.link("Back to the themes")
    expect(region(ben, contracts).locator("[data-theme-count]")).to_have_text("2")
    expect(region(ben, renamed).locator("[data-theme-count]")).to_have_text(str(len(free)))
    expect(page.locator("h2#themes")).to_have_text("Themes (2)")
    problems.raise_any()
