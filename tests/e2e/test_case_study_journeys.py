"""Journeys through case studies: a small charity's contact, invited by link, writes one on a
phone that an editor reviews, publishes and takes down; a member writes one, finds it and
downloads it; and hostile text stays text.

Every page a journey reaches is checked with axe-core (see journey.py). All tests share one
server database with the demo data, so every case study has a unique name."""

from __future__ import annotations

import re
import zipfile

import pytest
from playwright.sync_api import expect

from .case_study_helpers import (
    LIBRARY,
    PUBLIC_LIBRARY,
    add_organisation,
    emailed_link,
    fill_sections,
    image_loaded,
    png,
    section_texts,
)
from .conftest import SEL
from .journey import Journey
from .workshop_helpers import CHLOE, PHONE, alert, fits_phone, hidden_suffix, person, suffix

pytestmark = pytest.mark.e2e

expect.set_options(timeout=10_000)


# 1. Invited by link, reviewed, published, taken down -----------------------------------------------


def test_invited_charity_contact_submits_a_case_study_with_a_photo_that_is_published_then_taken_down(
    convenor, new_context, e2e_server, tmp_path
):
    run = suffix()
    charity = f"Deptford Lunch Club {run}"
    sam_name, sam_email = f"Sam Okafor {run}", f"sam.{run}@example.net"
    title = f"A hot lunch and company for older neighbours {run}"
    alt = f"Volunteers serving lunch at a long table in a church hall ({run})"
    credit = f"Photo: {charity}"
    texts = section_texts(run, "lunch club")

    # The convenor puts the charity in the directory and invites its contact to write one.
    add_organisation(convenor, charity)
    convenor.goto(LIBRARY)
    convenor.button("Invite someone to write one")
    expect(convenor.heading()).to_have_text("Invite someone to write a case study")
    page = convenor.page
    page.get_by_label("Their name").fill(sam_name)
    page.get_by_label("Their email address").fill(sam_email)
    page.get_by_label("Their organisation (optional)").select_option(label=charity)
    convenor.button("Send invitation")
    assert convenor.path == LIBRARY, convenor.path
    expect(alert(convenor)).to_contain_text(f"An invitation has been emailed to {sam_name} ({sam_email}).")

    # Sam opens the emailed link on a phone, with no account, and starts the draft.
    start = emailed_link(e2e_server.email_dir, sam_email, r"/contribute/start/[^/\s]+/")
    sam = Journey(new_context(viewport=PHONE).new_page(), e2e_server.base_url)
    sam.goto(start)
    expect(sam.heading()).to_have_text("Share your story with South East London")
    expect(sam.page.locator("main")).to_contain_text(f"Hello {sam_name}.")
    fits_phone(sam, "The invitation's first page")
    sam.page.get_by_label("What is your case study called?").fill(title)
    sam.button("Start writing")
    assert re.fullmatch(r"/contribute/\d+/edit/", sam.path), sam.path
    mine = sam.path.removesuffix("edit/")
    expect(alert(sam)).to_contain_text("Your draft is started.")
    expect(sam.page.get_by_label("Title", exact=True)).to_have_value(title)
    fits_phone(sam, "The case study form")
    fill_sections(sam.page, texts)
    sam.button("Save case study")
    assert sam.path == mine, sam.path
    expect(alert(sam)).to_contain_text("Your changes are saved.")
    fits_phone(sam, "Sam's case study page")

    # A photo, with alt text and a credit.
    sam.link("Photos and attachments")
    expect(sam.heading()).to_have_text("Photos and attachments")
    form = sam.page.locator("#main-form")
    expect(form.get_by_role("radio", name="Image")).to_be_checked()
    form.get_by_label("Choose a file").set_input_files(png(tmp_path))
    form.get_by_label("Alt text (for images)").fill(alt)
    form.get_by_label("Credit (for images)").fill(credit)
    sam.button("Upload")
    expect(alert(sam)).to_contain_text("lunch-club.png is uploaded.")
    image_loaded(sam, sam.page.get_by_role("img", name=alt))
    fits_phone(sam, "The photos page")
    sam.link("Back to the case study")
    sam.button("Submit for review")
    expect(alert(sam)).to_contain_text("Thank you: it is submitted.")
    expect(sam.page.locator(".govuk-panel")).to_contain_text("Submitted")
    fits_phone(sam, "The submitted case study")
    pk = mine.strip("/").split("/")[-1]

    # The convenor finds it in the library, starts the review and asks for a change.
    editor_path = f"{LIBRARY}{pk}/"
    convenor.goto(LIBRARY)
    convenor.page.get_by_label("Search", exact=True).fill(run)
    convenor.htmx(lambda: convenor.page.get_by_role("button", name="Apply filters").click(), "searched")
    convenor.click(convenor.page.locator("#library-results").get_by_role("link", name=title, exact=True))
    assert convenor.path == editor_path, convenor.path
    expect(convenor.page.locator("main")).to_contain_text("Submitted")
    convenor.button("Start the review")
    expect(alert(convenor)).to_contain_text("The review has started.")
    convenor.button("Review it")
    ask = f"Please say how many people came each week in the impact ({run})."
    convenor.page.get_by_label("Comment").fill(ask)
    convenor.button("Ask for changes")
    expect(alert(convenor)).to_contain_text("Changes requested: the author has been told.")

    # Sam follows the emailed link back (in a fresh phone browser), changes the text, resubmits.
    back = emailed_link(e2e_server.email_dir, sam_email, r"/contribute/return/[^/\s]+/", count=2)
    sam = Journey(new_context(viewport=PHONE).new_page(), e2e_server.base_url)
    assert sam.goto(start).status == 410, "The invitation link worked a second time"
    expect(sam.heading()).to_have_text("This link cannot be used")
    fits_phone(sam, "The used invitation link")
    sam.goto(back)
    assert sam.path == mine, sam.path
    asked = sam.page.get_by_role("heading", name="What the editors asked for")
    expect(asked.locator("xpath=following-sibling::*[1]")).to_have_text(ask)
    fits_phone(sam, "The case study with changes requested")
    sam.link("Edit the text and tags")
    impact = f"About 40 people came each week; 30 now meet outside the club too ({run})."
    sam.page.get_by_label("The impact", exact=True).fill(impact)
    sam.button("Save case study")
    expect(alert(sam)).to_contain_text("Your changes are saved.")
    expect(sam.page.locator("article")).to_contain_text(impact)
    sam.button("Submit for review")
    expect(alert(sam)).to_contain_text("Thank you: it is submitted.")

    # The convenor reviews again, accepts, records the charity's consent, approves and publishes.
    convenor.goto(editor_path)
    convenor.button("Start the review")
    convenor.button("Review it")
    convenor.button("Accept it")
    expect(alert(convenor)).to_contain_text("The review is done. Record the consent it needs next.")
    consent = convenor.page.get_by_role("region", name="Consent")
    expect(consent.get_by_role("row", name=re.compile(re.escape(charity)))).to_contain_text("None recorded")
    convenor.link("Record consent")
    page.get_by_role("radio", name=charity).check()
    page.get_by_label("Who gave it").fill(f"{sam_name}, coordinator")
    page.get_by_role("checkbox", name="In the published document").check()
    page.get_by_role("checkbox", name="On the public website").check()
    convenor.button("Record consent")
    expect(alert(convenor)).to_contain_text("The consent is recorded.")
    expect(consent.get_by_role("row", name=re.compile(re.escape(charity)))).to_contain_text(f"Given by {sam_name}")
    convenor.button("Approve")
    expect(alert(convenor)).to_contain_text("Approved. It can now be published.")
    convenor.button("Publish")
    expect(page.get_by_role("radio", name=re.compile("^Named"))).to_be_checked()
    page.get_by_role("checkbox", name="In the published document").check()
    page.get_by_role("checkbox", name="On the public website").check()
    convenor.button("Publish")
    expect(alert(convenor)).to_contain_text("Published.")
    expect(page.locator("main")).to_contain_text("in the document and on the website")

    # Anyone can read it in the public library, photo and all.
    visitor = Journey(new_context().new_page(), e2e_server.base_url)
    visitor.goto(PUBLIC_LIBRARY)
    visitor.link(title)
    public_path = f"{PUBLIC_LIBRARY}{pk}/"
    assert visitor.path == public_path, visitor.path
    expect(visitor.heading()).to_have_text(title)
    expect(visitor.page.locator("main")).to_contain_text(impact)
    photo = visitor.page.get_by_role("img", name=alt)
    expect(photo).to_have_attribute("alt", alt)
    image_loaded(visitor, photo)
    photo_url = photo.get_attribute("src")
    expect(visitor.page.locator("figcaption")).to_contain_text(credit)

    # The charity withdraws its consent: the case study comes down at once.
    convenor.goto(editor_path)
    convenor.click(page.get_by_role("link", name=hidden_suffix("Withdraw", f"consent from {charity}")))
    expect(convenor.heading()).to_have_text(f"Withdraw consent from {charity}")
    convenor.button("Withdraw consent")
    expect(alert(convenor)).to_contain_text("The consent is withdrawn and the editors have been told.")
    expect(alert(convenor)).to_contain_text("It has been unpublished everywhere.")

    visitor.goto(PUBLIC_LIBRARY)
    expect(visitor.page.get_by_role("link", name=title)).to_have_count(0)
    response = visitor.goto(public_path)
    assert response.status == 404, f"The public page of a taken-down case study answered {response.status}"
    expect(visitor.page.locator("main")).not_to_contain_text(impact)
    assert visitor.page.request.get(photo_url).status == 404, "The photo is still served to the public"


# 2. A member writes one, finds it and downloads it ------------------------------------------------


def test_member_writes_a_case_study_finds_it_and_downloads_it(new_context, e2e_server, tmp_path):
    run = suffix()
    title = f"Peer support for young carers {run}"
    texts = section_texts(run, "young carers' group")
    chloe = person(new_context, e2e_server, CHLOE)
    page = chloe.page
    chloe.goto(LIBRARY)
    chloe.button("Write a case study")
    expect(chloe.heading()).to_have_text("Write a case study")

    # Everything but the title: the error says so and nothing typed is lost.
    fill_sections(page, texts)
    areas = page.get_by_role("group", name="Core20PLUS5 clinical areas (optional)")
    areas.get_by_role("checkbox", name="Mental health (children and young people)").check()
    chloe.button("Save draft")
    expect(chloe.error_summary()).to_contain_text("Enter the title")
    expect(page.get_by_label("Title", exact=True)).to_have_attribute("aria-describedby", re.compile("error"))
    for label, text in texts.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(text)
    expect(areas.get_by_role("checkbox", name="Mental health (children and young people)")).to_be_checked()
    page.get_by_label("Title", exact=True).fill(title)
    chloe.button("Save draft")
    expect(alert(chloe)).to_contain_text("Your draft is saved.")
    expect(chloe.heading()).to_have_text(title)

    # The library finds it by a word of its title and its Core20PLUS5 tag.
    chloe.goto(LIBRARY)
    page.get_by_label("Search", exact=True).fill(f"carers {run}")
    chloe.htmx(
        lambda: page.get_by_label("Core20PLUS5").select_option(label="Mental health (children and young people)"),
        "searched and filtered",
    )
    results = page.locator("#library-results")
    expect(results.get_by_role("status")).to_have_text(re.compile(r"^1 case study\b"))
    pick = results.get_by_role("checkbox", name=re.compile(re.escape(title)))
    pick.check()

    # Ticked, it downloads as a Word document, and shows as a web page.
    with page.expect_download() as download:
        results.get_by_role("button", name="Word (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx"), download.value.suggested_filename
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as docx:
        assert title in docx.read("word/document.xml").decode(), "The DOCX does not hold the case study's title"
    chloe.click(results.get_by_role("button", name="Web page"))
    assert chloe.path == f"{LIBRARY}export/", chloe.path
    expect(chloe.heading()).to_have_text(title)
    expect(page.locator("main")).to_contain_text(texts["The impact"])


# 3. Hostile text stays text ------------------------------------------------------------------------


def test_scripts_and_javascript_links_in_a_case_study_are_shown_as_text(new_context, e2e_server):
    run = suffix()
    title = f"<script>alert(1)</script> Hostile {run}"
    dialogs: list[str] = []
    chloe = person(new_context, e2e_server, CHLOE)
    page = chloe.page
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    chloe.goto(f"{LIBRARY}new/")
    challenge = f"<img src=x onerror=alert(3)> The challenge {run}"
    fill_sections(page, {
        "Title": title,
        "Summary": f"<script>alert(2)</script> Summary {run}",
        "The challenge": challenge,
        "The solution": f"[Read more](javascript:alert(4)) and [more](JaVaScRiPt:alert(5)) {run}",
        "What we did": f"<iframe src=\"javascript:alert(6)\"></iframe> What we did {run}",
        "The impact": f"**Strong** impact, in [our report](https://example.org/report) {run}",
    })  # fmt: skip
    chloe.button("Save draft")
    expect(alert(chloe)).to_contain_text("Your draft is saved.")
    expect(chloe.heading()).to_have_text(title)  # the tags are shown as text
    article = page.locator("article")
    expect(article).to_contain_text(f"<script>alert(2)</script> Summary {run}")
    expect(article).to_contain_text(challenge)
    expect(article).to_contain_text("[Read more](javascript:alert(4))")
    expect(article.locator("script, iframe, img, [onerror]")).to_have_count(0)
    expect(article.locator("strong")).to_have_text("Strong")  # Markdown still works, links too
    expect(article.get_by_role("link", name="our report")).to_have_attribute("href", "https://example.org/report")
    hrefs = article.locator("a").evaluate_all("(links) => links.map(a => a.getAttribute('href') || '')")
    assert not [h for h in hrefs if "javascript:" in h.lower()], hrefs

    # The same text in the library and the export page.
    chloe.goto(f"{LIBRARY}?q={run}")
    expect(page.locator("#library-results")).to_contain_text(title)
    chloe.goto(f"/p/{SEL}/case-studies/export/?q={run}&format=html")
    expect(chloe.heading()).to_have_text(title)
    expect(page.locator("main script, main iframe, main [onerror]")).to_have_count(0)
    assert not dialogs, f"A script ran: {dialogs}"


# 4. The partnership's own PLUS groups -------------------------------------------------------------


def test_convenor_adds_a_plus_group_and_it_is_offered_as_a_tag_and_a_filter(convenor):
    run = suffix()
    group = f"Gypsy, Roma and Traveller communities {run}"
    page = convenor.page
    convenor.goto(LIBRARY)
    convenor.link("PLUS groups")
    expect(convenor.heading()).to_have_text("PLUS groups")
    convenor.button("Add PLUS group")  # nothing typed: the error says what is missing
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the group")
    page.get_by_label("Name of the group").fill(group)
    convenor.button("Add PLUS group")
    expect(alert(convenor)).to_contain_text(f"{group} is added")
    expect(page.locator("main")).to_contain_text(group)
    convenor.link("Back to case studies")
    expect(page.get_by_label("Core20PLUS5")).to_contain_text(f"PLUS: {group}")
    convenor.goto(f"{LIBRARY}new/")
    expect(page.get_by_role("checkbox", name=group)).to_be_visible()
