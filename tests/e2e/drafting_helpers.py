"""Shared steps for the drafting journeys: finding the demo charter's document and a commitment
on it by its number."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .journey import Journey
from .workshop_helpers import CHARTER

SEL = "south-east-london"


def to_document(journey: Journey) -> None:
    """From the partnership's menu to the charter's document."""
    journey.goto(f"/p/{SEL}/")
    journey.link("Documents")
    journey.link(CHARTER)
    expect(journey.heading()).to_have_text(CHARTER)


def commitment(journey: Journey, number: str):
    """The commitment's article on the document page, found by its heading ("Commitment 4.1")."""
    page = journey.page
    return page.locator("article").filter(has=page.get_by_role("heading", name=f"Commitment {number}", exact=True))


def edit_link(scope):
    return scope.get_by_role("link", name=re.compile(r"^Edit\b"))


def discussion(journey: Journey, number: str) -> None:
    """From the document page to a commitment's comments and amendments."""
    journey.click(commitment(journey, number).get_by_role("link", name=re.compile(r"^Comments and amendments")))
    expect(journey.heading()).to_have_text(f"Commitment {number}")


def select_words(journey: Journey, field: str, words: str) -> None:
    """Select `words` in the discussion page's text (as a reader dragging over them would) and
    let go of the mouse, which quote.js listens for."""
    journey.page.evaluate(
        """([field, words]) => {
            const box = document.querySelector(`[data-anchor-field="${field}"]`);
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.textContent.indexOf(words);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                box.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
            throw new Error(`No "${words}" in ${field}`);
        }""",
        [field, words],
    )
