"""A consultation round from invitation to "You said, we did": the convenor opens consultation
on the demo charter (from the process settings, so the other journeys' stage stays as it is),
sets up a round on a saved version and invites a contact of a VCSE organisation by email. The
contact opens the emailed link on a phone, without an account, reads the draft and responds on
the organisation's behalf. The convenor reads the analysis, records what was done with the
answer, and the account shows it, on the page and in the CSV download.

Every page is checked with axe-core (journey.py). The journey shares the demo server with the
others, so it names its round and invitee uniquely and never counts what others may add."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .case_study_helpers import emailed_link
from .drafting_helpers import to_document
from .journey import Journey, fits_phone
from .workshop_helpers import PHONE, person

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

ORGANISATION = "South East London VCSE Alliance"


def test_a_consultation_round_runs_from_invitation_to_you_said_we_did(new_context, e2e_server):
    run = uuid.uuid4().hex[:8]
    title = f"Autumn consultation {run}"
    invitee = f"contact-{run}@example.org"
    said = f"Please add a commitment on interpreting for community groups ({run})."
    why = f"We added interpreting costs to commitment 2.2 in the next draft ({run})."

    amara = person(new_context, e2e_server, "convenor@example.org")

    # Consultation is opened for the charter from its process settings.
    to_document(amara)
    process_path = amara.page.locator(".govuk-caption-l a").first.get_attribute("href")
    amara.goto(process_path + "settings/")
    amara.page.get_by_role("checkbox", name=re.compile(r"Run consultation rounds")).check()
    amara.button("Save settings")
    expect(amara.page.get_by_text("Settings saved.")).to_be_visible()

    # A round on the latest saved version, open from today for two weeks, for members and the public.
    to_document(amara)
    amara.link("Consultation rounds")
    amara.button("Set up a round")
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    page = amara.page
    page.get_by_label("Title").fill(title)
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Opens at").fill("00:00")
    page.get_by_label("Closes on").fill((today + dt.timedelta(days=14)).isoformat())
    page.get_by_label("Closes at").fill("17:00")
    page.get_by_label("Anyone with the public link can respond").check()
    amara.button("Set up the round")
    expect(amara.heading()).to_have_text(title)
    expect(page.get_by_label("Public link")).to_have_value(re.compile(r"/consult/[\w-]+/$"))

    # A contact of a VCSE organisation is invited by email, and the invitations go.
    amara.link("Invite people by email")
    page.get_by_label("Email addresses").fill(invitee)
    page.get_by_label("They are contacts for (optional)").select_option(label=ORGANISATION)
    amara.button("Add these people")
    expect(page.get_by_text("1 person added")).to_be_visible()
    amara.button("Send invitations")
    expect(page.get_by_text(re.compile(r"\d+ invitations? sent"))).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=invitee)).to_contain_text("Invited")

    # The contact opens the emailed link on a phone, without signing in, and responds for the organisation.
    link = emailed_link(e2e_server.email_dir, invitee, r"/consult/invited/[^\s]+/")
    contact = Journey(new_context(viewport=PHONE).new_page(), e2e_server.base_url)
    contact.goto(link)
    expect(contact.heading()).to_have_text(title)
    fits_phone(contact, "The response form")
    reply = contact.page
    reply.get_by_role("group", name=re.compile(r"^How far do you agree")).first.get_by_label(
        "Agree", exact=True
    ).check()
    reply.get_by_label("Is there anything else you would like to tell us about this draft?").fill(said)
    reply.get_by_role("group", name="Who are you responding for?").get_by_label(ORGANISATION).check()
    contact.button("Send your response")
    expect(reply.get_by_role("heading", name="Response sent")).to_be_visible()
    fits_phone(contact, "The confirmation")

    # The convenor reads the analysis: the response came by invitation, for a VCSE infrastructure body.
    to_document(amara)
    amara.link("Consultation rounds")
    amara.link(title)
    amara.click(page.get_by_role("link", name=re.compile(r"^Responses and analysis")))
    expect(amara.heading()).to_have_text("Responses and analysis")
    expect(page.get_by_text(re.compile(r"\b[1-9]\d* by invitation"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^VCSE infrastructure or alliance"))).to_be_visible()
    expect(page.get_by_text(said)).to_be_visible()

    # "You said, we did": the convenor records what was done with the answer, and the account shows it.
    to_document(amara)
    amara.link("You said, we did")
    answer = page.locator("article").filter(has_text=said)
    amara.click(answer.get_by_role("link", name=re.compile(r"^Record what we did")))
    page.get_by_label("We changed the text", exact=True).check()
    page.get_by_label("Why? Say what you did and the reason").fill(why)
    amara.button("Save what we did")
    answer = page.locator("article").filter(has_text=said)
    expect(answer).to_contain_text("We changed the text")
    expect(answer).to_contain_text(why)
    expect(answer).to_contain_text(ORGANISATION)

    # The CSV download holds the same account.
    csv_link = page.get_by_role("link", name="spreadsheet (CSV)")
    download = page.request.get(e2e_server.base_url + csv_link.get_attribute("href"))
    assert download.ok
    assert said in download.text() and why in download.text()
