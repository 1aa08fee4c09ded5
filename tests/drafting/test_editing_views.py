"""Writing the document through its pages: starting it from the process page, adding and editing
commitments, two editors saving the same block (the conflict page loses nothing), the Markdown
preview, hostile and huge text, the document page's query count, and versions."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.drafting import services
from compact.drafting.models import BODY_MAX, Block, BlockKind, Document, Framework, FrameworkTag, Version

from ..factories import ERROR_SUMMARY, field_errors
from .conftest import KEY_AREA_TITLES, add_commitment, hidden, key_area_blocks, page, textarea

pytestmark = pytest.mark.django_db


class _Markup(HTMLParser):
    """Every element's attributes, and the text of inline scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def dangers(markup: str) -> list[str]:
    """What in the HTML a browser would run: inline scripts from the text, event handler
    attributes, javascript: URLs, and the text's <img>. Hostile text shown as text is fine."""
    parser = _Markup()
    parser.feed(markup)
    found = [f"script: {text[:40]}" for text in parser.scripts if "alert" in text]
    for tag, attrs in parser.elements:
        if tag == "img" and attrs.get("src") == "x":
            found.append("img")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag} {name}")
            if value and re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower().startswith("javascript:"):
                found.append(f"{tag} {name}={value}")
    return found


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def doc_url(document) -> str:
    return reverse("document_detail", args=[document.partnership.slug, document.pk])


def edit_url(block) -> str:
    return reverse("block_edit", args=[block.document.partnership.slug, block.document_id, block.pk])


def add_url(document, kind="commitment") -> str:
    return reverse("block_add", args=[document.partnership.slug, document.pk, kind])


COMMITMENT = {"statement": "We will pay within 30 days.", "committed_by": ["all", "icb"], "body": "Invoices are late."}


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.", body="Late today.")


# --- starting and writing -------------------------------------------------------------------


def test_a_convenor_starts_the_document_from_the_process_page(client, convenor, drafting):
    client.force_login(convenor)
    process_page = client.get(reverse("process_detail", args=[drafting.partnership.slug, drafting.slug]))
    create_url = reverse("document_create", args=[drafting.partnership.slug, drafting.slug])
    assert f'href="{create_url}"' in page(process_page)

    form = client.get(create_url)
    assert form.status_code == 200
    key = hidden(form, "request_key")
    assert key

    response = client.post(create_url, {"title": "SEL VCSE Charter", "request_key": key})
    document = Document.objects.get(process=drafting)
    assert response.status_code == 302
    assert response["Location"] == doc_url(document)
    # A double click sends the same form again: still one document.
    again = client.post(create_url, {"title": "SEL VCSE Charter", "request_key": key})
    assert again["Location"] == doc_url(document)
    assert Document.objects.filter(process=drafting).count() == 1

    shown = page(client.get(doc_url(document)))
    assert all(html.escape(title) in shown for title in KEY_AREA_TITLES)
    assert "Money that lasts." in shown


def test_a_member_sees_no_link_to_start_the_document_and_is_refused(client, people, drafting):
    client.force_login(people["member"])
    create_url = reverse("document_create", args=[drafting.partnership.slug, drafting.slug])

    assert create_url not in page(
        client.get(reverse("process_detail", args=[drafting.partnership.slug, drafting.slug]))
    )
    assert client.post(create_url, {"title": "Mine", "request_key": "k"}).status_code == 403
    assert not Document.objects.exists()


def test_adding_a_commitment_under_a_key_area(client, convenor, document, areas):
    client.force_login(convenor)
    link = f"{add_url(document)}?under={areas[1].pk}"
    assert html.escape(link) in page(client.get(doc_url(document)))
    assert client.get(link).status_code == 200

    response = client.post(add_url(document), {**COMMITMENT, "under": areas[1].pk})

    block = Block.objects.get(kind=BlockKind.COMMITMENT)
    assert response.status_code == 302
    assert response["Location"] == f"{doc_url(document)}#block-{block.pk}"
    assert block.parent_id == areas[1].pk
    assert (block.statement, block.body, block.committed_by) == (
        "We will pay within 30 days.", "Invoices are late.", ["all", "icb"],
    )  # fmt: skip
    shown = page(client.get(doc_url(document)))
    assert "Commitment 2.1" in shown
    assert "All partners, Integrated care board" in shown


def test_a_commitment_without_a_statement_shows_the_error_and_keeps_the_text(client, convenor, document, areas):
    client.force_login(convenor)

    response = client.post(
        add_url(document), {"statement": "", "committed_by": ["all"], "body": "My notes.", "under": areas[0].pk}
    )

    assert response.status_code == 200
    assert ERROR_SUMMARY in page(response)
    assert field_errors(response, "statement")
    assert textarea(response, "body") == "My notes."
    assert not Block.objects.filter(kind=BlockKind.COMMITMENT).exists()


def test_editing_a_commitment(client, convenor, commitment):
    client.force_login(convenor)
    form = client.get(edit_url(commitment))
    assert textarea(form, "statement") == "We will pay within 30 days."
    assert hidden(form, "lock_version") == "1"

    response = client.post(
        edit_url(commitment),
        {"lock_version": 1, "statement": "We will pay within 14 days.", "committed_by": ["vcse"], "body": "Sooner."},
    )

    assert response.status_code == 302
    block = Block.objects.get(pk=commitment.pk)
    assert (block.statement, block.body, block.committed_by, block.lock_version) == (
        "We will pay within 14 days.", "Sooner.", ["vcse"], 2,
    )  # fmt: skip
    assert "We will pay within 14 days." in page(client.get(doc_url(commitment.document)))


# --- two editors, one block -----------------------------------------------------------------


def test_two_editors_saving_the_same_block_lose_nothing(convenor, facilitator, commitment):
    alice, bob = signed_in(convenor), signed_in(facilitator)
    url = edit_url(commitment)
    assert hidden(alice.get(url), "lock_version") == hidden(bob.get(url), "lock_version") == "1"
    alices = "We will pay every invoice within 14 days."
    bobs = "We will pay small suppliers within 7 days."

    first = alice.post(url, {"lock_version": 1, "statement": alices, "committed_by": ["all"], "body": "Late today."})
    assert first.status_code == 302

    clash = bob.post(url, {"lock_version": 1, "statement": bobs, "committed_by": ["all"], "body": "Late today."})
    assert clash.status_code == 409
    shown = html.unescape(page(clash))
    assert alices in shown
    assert bobs in shown
    assert re.search(r'data-testid="theirs-statement">[^<]*' + re.escape(alices), shown)
    assert re.search(r'data-testid="mine-statement">[^<]*' + re.escape(bobs), shown)
    assert textarea(clash, "statement") == bobs  # the merge form holds Bob's words
    assert hidden(clash, "lock_version") == "2"  # ... against Alice's saved text
    assert Block.objects.get(pk=commitment.pk).statement == alices  # Bob saved nothing yet

    merged = "We will pay every invoice within 14 days, and small suppliers within 7."
    done = bob.post(url, {"lock_version": 2, "statement": merged, "committed_by": ["all"], "body": "Late today."})

    assert done.status_code == 302
    block = Block.objects.get(pk=commitment.pk)
    assert (block.statement, block.lock_version, block.updated_by) == (merged, 3, facilitator)


# --- Markdown: preview, hostile and huge text -----------------------------------------------


HOSTILE = (
    "<script>alert('body')</script>\n\n"
    '[click me](javascript:alert(1)) and [also](JaVaScRiPt:alert(2)) and <a href="javascript:alert(3)">raw</a>\n\n'
    "<img src=x onerror=alert(4)>\n\n"
)


def test_the_preview_answers_sanitised_html(client, convenor, document):
    client.force_login(convenor)
    url = reverse("document_preview", args=[document.partnership.slug, document.pk])

    response = client.post(url, {"text": "**Bold** and a [good link](https://example.org)\n\n" + HOSTILE})

    assert response.status_code == 200
    shown = page(response)
    assert "<strong>Bold</strong>" in shown
    assert 'href="https://example.org"' in shown
    assert "<script" not in shown.lower()  # shown as text (&lt;script&gt;), never a tag
    assert "&lt;script&gt;" in shown
    assert dangers(shown) == []
    # markdown-it refuses javascript: links: what is left is their inert text, no link.
    assert "click me" in shown
    assert not re.search(r"<a\b[^>]*>\s*(click me|also)", shown)
    assert client.get(url).status_code == 405


def test_the_preview_is_for_members_of_the_partnership_only(client, people, document):
    url = reverse("document_preview", args=[document.partnership.slug, document.pk])
    client.force_login(people["outsider"])

    assert client.post(url, {"text": "hello"}).status_code == 404


def test_hostile_markdown_in_a_commitment_renders_safely(client, convenor, document, areas):
    deep = "\n\n".join(["> " * 500 + "deep quote", "- " * 500 + "deep list", "> - 1. " * 160 + "mixed"])
    table = "| " + " | ".join(f"c{i}" for i in range(200)) + " |\n|" + "---|" * 200 + "\n|" + " x |" * 200
    body = HOSTILE + table + "\n\n" + deep
    assert len(body) <= BODY_MAX
    add_commitment(document, convenor, areas[0], statement="We will <script>alert('s')</script> be safe.", body=body)
    client.force_login(convenor)

    response = client.get(doc_url(document))

    assert response.status_code == 200
    shown = page(response)
    # The page has scripts of its own; none may come from the text, which shows as text.
    assert "<script>alert" not in shown
    assert dangers(shown) == []
    assert "&lt;script&gt;alert(&#x27;s&#x27;)&lt;/script&gt;" in shown or "&lt;script&gt;alert" in shown


def test_a_bodys_markdown_shows_formatted_on_the_document_page(client, convenor, document, areas):
    add_commitment(document, convenor, areas[0], body="It **matters** because:\n\n- money lasts\n- people stay")
    client.force_login(convenor)

    shown = page(client.get(doc_url(document)))

    assert "<strong>matters</strong>" in shown
    assert "<li>money lasts</li>" in shown
    assert "&lt;p class=" not in shown


def test_a_version_page_shows_the_text_formatted(client, convenor, document, areas):
    add_commitment(document, convenor, areas[0], body="It **matters**.")
    services.version_cut(document=document, actor=convenor, name="Draft 1")
    client.force_login(convenor)

    shown = page(client.get(reverse("version_detail", args=[document.partnership.slug, document.pk, 1])))

    assert "<strong>matters</strong>" in shown
    assert "&lt;p class=" not in shown


def test_the_preview_draws_a_wide_table(client, convenor, document):
    table = "| " + " | ".join(f"c{i}" for i in range(200)) + " |\n|" + "---|" * 200 + "\n|" + " x |" * 200
    client.force_login(convenor)

    response = client.post(reverse("document_preview", args=[document.partnership.slug, document.pk]), {"text": table})

    assert page(response).count("<th>") == 200
    assert "<th>c199</th>" in page(response)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "App bug (compact/core/richtext.py, markdown_to_html): markdown-it's commonmark preset has "
        "maxNesting=20; a list nested 10 or more levels deep reaches it and the parser silently drops the "
        "rest of the text, so everything written after such a list vanishes from the document page, versions and the preview."
    ),
)
def test_text_after_a_deeply_nested_list_is_still_shown(client, convenor, document):
    # Through the preview, which draws the same HTML as the document page.
    nested = "\n".join("  " * level + f"- clause {level}" for level in range(12))
    client.force_login(convenor)

    response = client.post(
        reverse("document_preview", args=[document.partnership.slug, document.pk]),
        {"text": f"{nested}\n\nThe words after the list."},
    )

    assert response.status_code == 200
    assert "clause 0" in page(response)
    assert "The words after the list." in page(response)


def test_a_pasted_body_over_the_limit_keeps_the_text_and_says_why(client, convenor, commitment):
    client.force_login(convenor)
    pasted = ("Every word we agreed. " * 1000)[: BODY_MAX + 1]
    assert len(pasted) == BODY_MAX + 1

    response = client.post(
        edit_url(commitment),
        {"lock_version": 1, "statement": "We will pay within 30 days.", "committed_by": ["all"], "body": pasted},
    )

    assert response.status_code == 200
    assert ERROR_SUMMARY in page(response)
    errors = field_errors(response, "body")
    assert any(str(BODY_MAX) in error or f"{BODY_MAX:,}" in error for error in errors), errors
    assert textarea(response, "body") == pasted  # nothing lost
    block = Block.objects.get(pk=commitment.pk)
    assert (block.body, block.lock_version) == ("Late today.", 1)


# --- the document page's cost ---------------------------------------------------------------


def fill(document, actor, n: int, tag: FrameworkTag) -> None:
    areas = key_area_blocks(document)
    for i in range(n):
        add_commitment(
            document, actor, areas[i % len(areas)], statement=f"We will do thing {i}.", body=f"**Why** {i}", tags=[tag]
        )


def test_the_document_page_costs_the_same_for_3_or_30_commitments(convenor, drafting, partnership):
    tag = FrameworkTag.objects.create(partnership=partnership, framework=Framework.LOCAL, name="Anchor spending")
    small = services.document_create(process=drafting, actor=convenor, title="Small")
    large = services.document_create(process=drafting, actor=convenor, title="Large")
    fill(small, convenor, 3, tag)
    fill(large, convenor, 30, tag)
    client = signed_in(convenor)
    for document in (small, large):  # warm up: session and per-page caches
        client.get(doc_url(document))

    with CaptureQueriesContext(connection) as few:
        assert client.get(doc_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(doc_url(large))

    assert response.status_code == 200
    assert page(response).count("Anchor spending") == 30
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]


# --- versions -------------------------------------------------------------------------------


def test_saving_a_version_from_its_page(client, convenor, document, commitment):
    client.force_login(convenor)
    url = reverse("version_cut", args=[document.partnership.slug, document.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"name": "Draft 1 for the board", "note": "First go."})

    version = Version.objects.get(document=document)
    assert version.number == 1
    assert response.status_code == 302
    assert response["Location"] == reverse("version_detail", args=[document.partnership.slug, document.pk, 1])
    shown = page(client.get(response["Location"]))
    assert "Draft 1 for the board" in shown
    assert "We will pay within 30 days." in shown


def test_a_version_without_a_name_is_not_saved(client, convenor, document):
    client.force_login(convenor)

    response = client.post(reverse("version_cut", args=[document.partnership.slug, document.pk]), {"name": " "})

    assert response.status_code == 200
    assert field_errors(response, "name")
    assert not Version.objects.exists()


def test_comparing_two_versions_marks_deleted_and_inserted_words(client, convenor, document, commitment):
    services.version_cut(document=document, actor=convenor, name="Draft 1")
    services.block_update(block=commitment, actor=convenor, lock_version=1, statement="We will pay within 14 days.")
    services.version_cut(document=document, actor=convenor, name="Draft 2")
    client.force_login(convenor)

    response = client.get(reverse("version_compare", args=[document.partnership.slug, document.pk]))

    assert response.status_code == 200
    shown = page(response)
    deleted = re.search(r"<del[^>]*>\s*<span class=\"govuk-visually-hidden\">\s*deleted[^<]*</span>\s*30", shown)
    inserted = re.search(r"<ins[^>]*>\s*<span class=\"govuk-visually-hidden\">\s*inserted[^<]*</span>\s*14", shown)
    assert deleted, shown
    assert inserted, shown


@pytest.mark.parametrize("under", ["abc", "", "1e5", "99999"])
def test_an_altered_add_a_commitment_link_is_not_found(client, convenor, document, under):
    client.force_login(convenor)
    url = reverse("block_add", args=[document.partnership.slug, document.pk, "commitment"])

    assert client.get(f"{url}?under={under}").status_code == 404
    assert client.post(url, {"under": under, "statement": "We will.", "committed_by": ["all"]}).status_code == 404
    assert not Block.objects.filter(document=document, kind=BlockKind.COMMITMENT).exists()
