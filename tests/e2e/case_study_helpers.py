"""Small helpers for the case study journeys: a charity in the partnership's directory, a real
PNG to upload, the case study form's sections, and the links the server emails."""

from __future__ import annotations

import random
import re
from pathlib import Path

from playwright.sync_api import expect

from .conftest import SEL
from .journey import Journey
from .workshop_helpers import alert, text_of, wait_for_emails

LIBRARY = f"/p/{SEL}/case-studies/"
PUBLIC_LIBRARY = f"/public/{SEL}/case-studies/"
SECTIONS = ["Summary", "The challenge", "The solution", "What we did", "The impact"]


def png(tmp_path: Path, name: str = "lunch-club.png") -> Path:
    """A small real PNG (60 x 40) for an upload."""
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (60, 40), "#1d70b8").save(path, "PNG")
    return path


def add_organisation(convenor: Journey, name: str) -> None:
    """The convenor adds a small charity to the partnership's directory (the invite form offers it)."""
    page = convenor.page
    convenor.goto(f"/p/{SEL}/organisations/new/")
    expect(convenor.heading()).to_have_text("Add an organisation")
    page.get_by_label("Organisation identifier").fill(f"GB-CHC-{random.randint(9_000_000, 9_999_999)}")  # noqa: S311
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("radio", name="VCSE organisation", exact=True).check()
    page.get_by_label("Size, by yearly income").select_option(label="Micro (under £10,000)")
    convenor.button("Save")
    expect(alert(convenor)).to_contain_text(f"{name} has been added.")


def fill_sections(page, texts: dict[str, str]) -> None:
    """Type into the case study form's text boxes, by label ("Title", "Summary", "The challenge"…)."""
    for label, text in texts.items():
        page.get_by_label(label, exact=True).fill(text)


def section_texts(run: str, topic: str) -> dict[str, str]:
    return {
        "Summary": f"Volunteers ran a weekly {topic} for isolated older people ({run}).",
        "The challenge": f"Many older people in Deptford ate alone and rarely spoke to anyone ({run}).",
        "The solution": f"A hot meal and company once a week, in a church hall near the bus stop ({run}).",
        "What we did": f"- Recruited 12 volunteers\n- Cooked for 40 people every Wednesday ({run})",
        "The impact": f"30 regulars now meet outside the club too; 8 were referred to social prescribers ({run}).",
    }


def emailed_link(email_dir: Path, address: str, pattern: str, count: int = 1) -> str:
    """The path of the link matching `pattern` in the newest of at least `count` emails to `address`."""
    messages = wait_for_emails(email_dir, address, count=count)
    assert len(messages) >= count, f"Expected {count} email(s) to {address}, found {len(messages)}"
    body = text_of(messages[-1])
    match = re.search(rf"https?://[^/\s]+({pattern})", body)
    assert match, f"No link like {pattern} in the email to {address}:\n{body}"
    return match.group(1)


def image_loaded(journey: Journey, image) -> None:
    """The <img> has been fetched and decoded (it is lazy-loaded, so scroll it into view first)."""
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    journey.page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=handle)
