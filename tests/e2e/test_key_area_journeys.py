"""Journeys through a process's key areas (the headings its commitments sit under): the convenor
adds, renames, reorders and removes them; a member reads them without any controls to change
them.

Every page a journey reaches is checked with axe-core (see journey.py). All tests share one
server database with the demo data, so the key areas made here have unique names, and are
removed again (other journeys tie prompts to the demo's key areas)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .journey import Journey
from .workshop_helpers import CHLOE, alert, fits_phone, on_phone, person, suffix, to_charter

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)

DEMO_KEY_AREA = "Procurement that does not disadvantage VCSE organisations"


def _titles(journey: Journey) -> list[str]:
    """The key areas in their order on the page."""
    return [t.strip() for t in journey.page.locator("main ol > li > span.govuk-\\!-font-weight-bold").all_inner_texts()]


def _item(journey: Journey, title: str):
    return journey.page.locator("main ol > li").filter(has=journey.page.get_by_text(title, exact=True))


def _control(journey: Journey, role: str, visible: str, title: str):
    """A button or link whose name is its visible text and the key area's title (visually hidden)."""
    return journey.page.get_by_role(role, name=re.compile(rf"^{re.escape(visible)}\s*:?\s*{re.escape(title)}$"))


def test_convenor_adds_changes_reorders_and_removes_key_areas(convenor, new_context, e2e_server):
    run = suffix()
    first = f"Health inequalities in outer boroughs {run}"
    second = f"Volunteering and time banks {run}"
    renamed = f"Tackling health inequalities together {run}"
    description = "What the ICB and the sector will do together about the gap in healthy life expectancy."

    # From the process page, the convenor goes to change the key areas.
    to_charter(convenor)
    process_path = convenor.path
    expect(convenor.page.locator("#key-areas + ol")).to_contain_text(DEMO_KEY_AREA)
    convenor.link("Change key areas")
    assert convenor.path == f"{process_path}key-areas/", convenor.path
    expect(convenor.heading()).to_have_text("Key areas")
    page = convenor.page
    before = _titles(convenor)
    assert DEMO_KEY_AREA in before, before

    # An empty name is refused beside the field, and nothing is added.
    form = page.locator("#main-form")
    expect(form.get_by_role("heading", name="Add a key area")).to_be_visible()
    form.get_by_label("Name").fill("   ")
    convenor.submit(form.get_by_role("button", name="Add key area"))
    expect(convenor.error_summary()).to_be_visible()
    expect(convenor.error_summary().locator('a[href="#id_title"]')).to_be_visible()
    expect(page.locator("#id_title-error, .govuk-error-message").first).to_be_visible()
    expect(page.get_by_label("Name")).to_have_attribute("aria-describedby", re.compile("error"))
    assert page.title().startswith("Error"), page.title()
    assert _titles(convenor) == before

    # Two new ones go to the end, in the order they were added.
    page.get_by_label("Name").fill(first)
    page.get_by_label("What it covers (optional)").fill(description)
    convenor.submit(page.locator("#main-form").get_by_role("button", name="Add key area"))
    expect(alert(convenor)).to_contain_text(f"{first} has been added.")
    expect(convenor.error_summary()).to_have_count(0)
    expect(_item(convenor, first)).to_contain_text(description)
    page.locator("#main-form").get_by_label("Name").fill(second)
    convenor.submit(page.locator("#main-form").get_by_role("button", name="Add key area"))
    expect(alert(convenor)).to_contain_text(f"{second} has been added.")
    assert _titles(convenor) == [*before, first, second], _titles(convenor)
    # The last has no "Move down", and a name already used is refused.
    expect(_control(convenor, "button", "Move down", second)).to_have_count(0)
    expect(_control(convenor, "button", "Move up", second)).to_be_visible()
    page.locator("#main-form").get_by_label("Name").fill(first)
    convenor.submit(page.locator("#main-form").get_by_role("button", name="Add key area"))
    expect(convenor.error_summary()).to_contain_text(f"There is already a key area called {first}")
    convenor.check("a name already used")
    assert _titles(convenor).count(first) == 1, _titles(convenor)

    # Reordering: up, then down again.
    convenor.click(_control(convenor, "button", "Move up", second))
    expect(alert(convenor)).to_contain_text(f"{second} has been moved up.")
    assert _titles(convenor)[-2:] == [second, first], _titles(convenor)
    convenor.click(_control(convenor, "button", "Move down", second))
    expect(alert(convenor)).to_contain_text(f"{second} has been moved down.")
    assert _titles(convenor)[-2:] == [first, second], _titles(convenor)

    # Renaming: an empty name is refused there too, then the new name shows in the list.
    convenor.click(_control(convenor, "link", "Change", first))
    expect(convenor.heading()).to_have_text(f"Change {first}")
    expect(page.get_by_label("Name")).to_have_value(first)
    expect(page.get_by_label("What it covers (optional)")).to_have_value(description)
    page.get_by_label("Name").fill("")
    convenor.button("Save key area")
    expect(convenor.error_summary().locator('a[href="#id_title"]')).to_be_visible()
    expect(page.get_by_label("What it covers (optional)")).to_have_value(description)
    page.get_by_label("Name").fill(renamed)
    convenor.button("Save key area")
    assert convenor.path == f"{process_path}key-areas/", convenor.path
    expect(alert(convenor)).to_contain_text("Key area saved.")
    assert _titles(convenor)[-2:] == [renamed, second], _titles(convenor)
    expect(_item(convenor, renamed)).to_contain_text(description)

    # The page at 320 px, with every control.
    phone = on_phone(new_context, e2e_server, convenor)
    phone.goto(convenor.path)
    fits_phone(phone, "The key areas page")

    # A member reads the key areas but has nothing to change them with.
    chloe = person(new_context, e2e_server, CHLOE)
    to_charter(chloe)
    expect(chloe.page.get_by_role("link", name="Change key areas")).to_have_count(0)
    chloe.link("About the key areas")
    expect(chloe.heading()).to_have_text("Key areas")
    assert _titles(chloe)[-2:] == [renamed, second], _titles(chloe)
    main = chloe.page.locator("main")
    expect(main.get_by_role("button")).to_have_count(0)
    expect(main.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
    expect(main.locator("form[method=post]")).to_have_count(0)
    expect(main.get_by_role("heading", name="Add a key area")).to_have_count(0)
    edit_path = _control(convenor, "link", "Change", second).get_attribute("href")
    response = chloe.goto(edit_path)
    assert response.status == 403, f"A member opening a key area's change page answered {response.status}"
    expect(chloe.heading()).to_have_text("You cannot do this")
    expect(chloe.page.get_by_label("Name")).to_have_count(0)

    # Removing: the key area leaves the list (and the process page).
    convenor.click(_control(convenor, "button", "Remove", second))
    expect(alert(convenor)).to_contain_text(f"{second} has been removed.")
    assert second not in _titles(convenor), _titles(convenor)
    assert _titles(convenor)[-1] == renamed, _titles(convenor)
    expect(_control(convenor, "button", "Move down", renamed)).to_have_count(0)
    convenor.page.locator("main").get_by_role("link", name=re.compile("South East London VCSE Charter")).click()
    convenor.page.wait_for_load_state()
    key_areas = convenor.page.locator("#key-areas + ol")
    expect(key_areas).to_contain_text(renamed)
    expect(key_areas).not_to_contain_text(second)

    # Tidy up: the demo's own key areas are as they were.
    convenor.goto(f"{process_path}key-areas/")
    convenor.click(_control(convenor, "button", "Remove", renamed))
    expect(alert(convenor)).to_contain_text(f"{renamed} has been removed.")
    assert _titles(convenor) == before, _titles(convenor)
