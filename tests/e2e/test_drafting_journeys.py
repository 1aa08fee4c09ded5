"""Journeys through drafting the document: two editors change the same commitment at once and
resolve the conflict on the conflict page without losing either text; a member comments on a
passage and proposes an amendment, the convenor accepts it, and the next version shows it.

Every page is checked with axe-core (journey.py). The journeys share one server with the demo
data; each journey works on its own commitment of the demo charter (4.2, 2.2)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .drafting_helpers import commitment, discussion, edit_link, select_words, to_document
from .workshop_helpers import person

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

BEN_STATEMENT = "We will agree with each organisation, before a contract starts, how success is measured and reported."
AMARA_EXPLANATION = "Measures chosen together are ones small organisations can report without extra staff."
MERGED = (
    "We will agree with each organisation, before a contract starts, how success is measured, reported and reviewed."
)


def test_two_editors_change_one_commitment_and_merge_without_losing_either_text(new_context, e2e_server):
    amara = person(new_context, e2e_server, "convenor@example.org")
    ben = person(new_context, e2e_server, "facilitator@example.org")

    # Both open the same commitment's edit page.
    for editor in (amara, ben):
        to_document(editor)
        editor.click(edit_link(commitment(editor, "4.2")))
        expect(editor.heading()).to_have_text("Edit Commitment 4.2")

    # Ben saves first.
    ben.page.get_by_label("The commitment").fill(BEN_STATEMENT)
    ben.button("Save")
    expect(commitment(ben, "4.2")).to_contain_text(BEN_STATEMENT)

    # Amara, on the page she opened before Ben saved, changes the statement and the explanation.
    amara.page.get_by_label("The commitment").fill("We will agree measures of success with each organisation.")
    amara.page.get_by_label("Why this matters and what it means in practice (optional)").fill(AMARA_EXPLANATION)
    amara.button("Save")
    assert amara.status == 409
    expect(amara.heading()).to_have_text("Someone else changed this while you were editing")
    expect(amara.page.get_by_role("alert")).to_contain_text("Ben Hughes saved this part")
    expect(amara.page.get_by_test_id("theirs-statement")).to_have_text(BEN_STATEMENT)
    expect(amara.page.get_by_test_id("mine-statement")).to_have_text(
        "We will agree measures of success with each organisation."
    )
    # Her explanation is still in the form: nothing she typed is lost.
    expect(amara.page.get_by_label("Why this matters and what it means in practice (optional)")).to_have_value(
        AMARA_EXPLANATION
    )
    amara.page.get_by_text("What differs, word by word").first.click()
    amara.check("differences open")

    # She merges Ben's wording with her own and saves.
    amara.page.get_by_label("The commitment").fill(MERGED)
    amara.button("Save this text")
    article = commitment(amara, "4.2")
    expect(article).to_contain_text(MERGED)
    expect(article).to_contain_text(AMARA_EXPLANATION)

    # Ben, reloading, reads the merged text.
    to_document(ben)
    expect(commitment(ben, "4.2")).to_contain_text(MERGED)


AMENDED = "We will fund the full cost of services, including a fair share of overheads and staff training."


def test_a_member_comments_and_amends_and_the_next_version_shows_it(new_context, e2e_server):
    chloe = person(new_context, e2e_server, "member@example.org")
    to_document(chloe)
    discussion(chloe, "2.2")

    # A comment on a passage: selecting the words fills the quote box.
    select_words(chloe, "statement", "full cost")
    expect(chloe.page.get_by_label("Quote the words you are commenting on (optional)")).to_have_value("full cost")
    chloe.page.get_by_label("Your comment").fill("Does the full cost include volunteers' expenses?")
    chloe.button("Add your comment")
    thread = chloe.page.locator("#comments ~ *").filter(has_text="volunteers' expenses").first
    expect(thread).to_contain_text("full cost")

    # An amendment with a reason.
    chloe.link("Propose an amendment", exact=False)
    chloe.page.get_by_label("The commitment").fill(AMENDED)
    chloe.page.get_by_label("Why do you propose this change?").fill("Training is part of the cost of a good service.")
    chloe.button("Propose this amendment")
    expect(chloe.page.locator(".compact-amendment").filter(has_text="staff training")).to_contain_text("Open")

    # The convenor accepts it and saves a version.
    amara = person(new_context, e2e_server, "convenor@example.org")
    to_document(amara)
    discussion(amara, "2.2")
    amendment = amara.page.locator(".compact-amendment").filter(has_text="staff training")
    amara.click(amendment.get_by_role("link", name=re.compile(r"^Decide")))
    amara.page.get_by_label("Accept: the amendment's wording becomes the text").check()
    amara.button("Save the decision")
    expect(amara.page.locator(".compact-amendment").filter(has_text="staff training")).to_contain_text("Accepted")

    to_document(amara)
    expect(commitment(amara, "2.2")).to_contain_text(AMENDED)
    amara.link("Save a version")
    amara.page.get_by_label("Name this version").fill("Draft with the sector's amendments")
    amara.button("Save this version")
    expect(amara.heading()).to_contain_text("Draft with the sector's amendments")
    expect(amara.page.locator("main")).to_contain_text(AMENDED)
    expect(amara.page.locator("main")).to_contain_text("Amended following a proposal by Chloe Martin")

    # The comparison with the version before shows the new words as inserted.
    amara.link("What changed since version", exact=False)
    inserted = amara.page.locator("ins").filter(has_text="staff training")
    expect(inserted).to_contain_text("inserted:")
