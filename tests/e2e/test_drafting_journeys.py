"""Journeys through drafting the document: two editors change the same commitment at once and
resolve the conflict on the conflict page without losing either text.

Every page is checked with axe-core (journey.py). The journeys share one server with the demo
data; this one works on commitment 4.2 of the demo charter, which no other journey changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .drafting_helpers import commitment, edit_link, to_document
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
