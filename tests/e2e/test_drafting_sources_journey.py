"""The convenor traces a commitment back to the workshop: with the picker she links a theme
(with JavaScript) and one of its ideas (without), sees both under "Where this came from" on the
document page, checks the coverage of workshop themes, and finds "Used in" beside the idea on
the workshop's write-up. The sources page fits a 320 px phone.

Every page is checked with axe-core (journey.py). The journeys share one server with the demo
data, so this one works on commitment 1.2 of the charter and asserts no totals."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .drafting_helpers import commitment, to_document
from .journey import Journey
from .workshop_helpers import fits_phone, on_phone

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

THEME = "A voice with power"
IDEA = "Pay people for their time when they sit on NHS boards and panels"
STATEMENT = "Commitment 1.2: We will pay VCSE representatives"
NOTE = "The sector asked for paid seats at the workshop."


def search(journey: Journey, kind: str, words: str) -> None:
    journey.page.get_by_label("What to link").select_option(label=kind)
    journey.page.get_by_label("Words to search for (optional)").fill(words)
    journey.button("Search")


def result(journey: Journey, text: str):
    return journey.page.locator("main li").filter(has=journey.page.get_by_text(text, exact=True))


def test_the_convenor_links_a_theme_and_an_idea_and_follows_them_both_ways(convenor, new_context, e2e_server):
    to_document(convenor)
    convenor.click(
        commitment(convenor, "1.2").get_by_role("link", name=re.compile(r"^Link ideas, themes and evidence"))
    )
    expect(convenor.heading()).to_have_text("Where this came from: Commitment 1.2")
    sources_path = convenor.path

    # The theme, with a note, in a browser with JavaScript.
    search(convenor, "Workshop themes", "voice")
    found = result(convenor, THEME)
    found.get_by_text("Add a note").click()
    found.get_by_label("How did it shape the commitment? (optional)").fill(NOTE)
    convenor.click(found.get_by_role("button", name=re.compile(r"^Link\s*the theme: A voice with power")))
    expect(convenor.page.get_by_role("alert")).to_contain_text("The theme is linked to Commitment 1.2.")
    linked = convenor.page.locator("main li").filter(has=convenor.page.get_by_role("link", name=THEME, exact=True))
    expect(linked).to_contain_text(NOTE)

    # The idea, in a browser without JavaScript: the picker is plain forms.
    plain = Journey(
        new_context(storage_state=convenor.page.context.storage_state(), java_script_enabled=False).new_page(),
        e2e_server.base_url,
        javascript=False,
    )
    plain.goto(sources_path)
    search(plain, "Workshop ideas", "pay people")
    plain.click(result(plain, IDEA).get_by_role("button", name=re.compile(r"^Link\s*the idea: Pay people")))
    expect(plain.page.locator("main")).to_contain_text("The idea is linked to Commitment 1.2.")
    expect(plain.page.get_by_role("link", name=IDEA, exact=True)).to_be_visible()

    # Both show under the commitment on the document page.
    to_document(convenor)
    origins = commitment(convenor, "1.2").locator(".compact-sources")
    expect(origins).to_contain_text("Where this came from:")
    expect(origins.get_by_role("link", name=f"Theme: {THEME}")).to_be_visible()
    expect(origins.get_by_role("link", name=f"Idea: {IDEA}")).to_be_visible()

    # The coverage view counts the theme as taken up, by commitment 1.2.
    convenor.link("Coverage of workshop themes")
    expect(convenor.heading()).to_have_text("Coverage of workshop themes")
    expect(convenor.page.locator("main")).to_contain_text("themes taken up by a commitment")
    taken = convenor.page.locator("#taken + ul > li").filter(has=convenor.page.get_by_role("link", name=THEME))
    expect(taken).to_contain_text(STATEMENT)
    expect(taken).to_contain_text("(directly and through an idea)")

    # "Where this went" beside the idea on the workshop's write-up.
    to_document(convenor)
    convenor.click(commitment(convenor, "1.2").get_by_role("link", name=f"Idea: {IDEA}"))
    expect(convenor.heading()).to_contain_text("Write-up")
    idea = convenor.page.locator("li").filter(has=convenor.page.get_by_text(IDEA, exact=True))
    expect(idea).to_contain_text(f"Used in: {STATEMENT}")
    convenor.click(idea.get_by_role("link", name=re.compile(r"^Commitment 1\.2")))
    expect(commitment(convenor, "1.2")).to_be_in_viewport()

    # The sources page on a phone.
    phone = on_phone(new_context, e2e_server, convenor)
    phone.goto(sources_path)
    expect(phone.heading()).to_have_text("Where this came from: Commitment 1.2")
    fits_phone(phone, "The sources page")
