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
