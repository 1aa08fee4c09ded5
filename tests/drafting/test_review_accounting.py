"""Review of "You said, we did": the reason typed in a browser at the length limit is kept, a
longer one is refused in plain English without losing it, methods the pages do not take are
refused, the outcome page costs a fixed number of queries, core.docx.Writer (the paragraph
writer the DOCX export uses) writes text as typed, and the drafting bench's scenarios check
what they say, run at a small scale with the timing left out."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as Word

from compact.core.docx import Writer, table, to_bytes
from compact.drafting import outline, services
from compact.drafting.models import REASON_MAX, Comment, Outcome
from compact.partnerships.models import Role

from ..factories import field_errors
from .conftest import add_commitment, textarea

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(document, areas, convenor, people):
    commitment = add_commitment(document, convenor, areas[0])
    return services.comment_add(block=commitment, actor=people[Role.MEMBER], body="Thirty days is too long.")


def form_url(comment) -> str:
    return reverse(
        "outcome_record", args=[comment.document.partnership.slug, comment.document_id, "comment", comment.pk]
    )


# --- the form -------------------------------------------------------------------------------


def test_a_reason_at_the_limit_typed_in_a_browser_is_saved(client, thread, convenor):
    """Browsers count a line break as one character against maxlength but send two (CRLF)."""
    typed = ("x" * 99 + "\n") * (REASON_MAX // 100 - 1) + "x" * 100  # REASON_MAX characters as typed
    assert len(typed) == REASON_MAX
    client.force_login(convenor)

    response = client.post(form_url(thread), {"outcome": Outcome.NOTED, "note": typed.replace("\n", "\r\n")})

    assert response.status_code == 302
    assert Comment.objects.get(pk=thread.pk).outcome_note == typed
    assert f'maxlength="{REASON_MAX}"' in client.get(form_url(thread)).content.decode()  # the browser still stops


def test_a_reason_too_long_is_refused_in_plain_english_and_kept(client, thread, convenor):
    client.force_login(convenor)
    typed = "y" * (REASON_MAX + 1)

    response = client.post(form_url(thread), {"outcome": Outcome.NOTED, "note": typed})

    assert response.status_code == 200
    assert field_errors(response, "note") == [f"Keep it to {REASON_MAX:,} characters (it has {REASON_MAX + 1:,})"]
    assert textarea(response, "note") == typed
    assert Comment.objects.get(pk=thread.pk).outcome == ""


def test_methods_the_pages_do_not_take_are_refused(client, document, thread, convenor):
    client.force_login(convenor)
    args = [document.partnership.slug, document.pk]

    for name in ("you_said_we_did", "you_said_we_did_csv", "you_said_we_did_docx"):
        assert client.post(reverse(name, args=args)).status_code == 405, name
        assert client.head(reverse(name, args=args)).status_code == 200, name
    for method in (client.put, client.patch, client.delete):
        assert method(form_url(thread)).status_code == 405
    assert Comment.objects.get(pk=thread.pk).outcome == ""


def test_the_outcome_page_costs_a_fixed_number_of_queries(
    client, document, areas, thread, convenor, people, django_assert_max_num_queries
):
    for n in range(30):  # more blocks and feedback must not add queries
        block = add_commitment(document, convenor, areas[n % 2])
        services.comment_add(block=block, actor=people[Role.MEMBER], body=f"Comment {n}")
    client.force_login(convenor)
    client.get(form_url(thread))  # warm up: session and per-page caches

    with django_assert_max_num_queries(12):
        assert client.get(form_url(thread)).status_code == 200


# --- core.docx.Writer -----------------------------------------------------------------------


def test_the_writer_keeps_text_as_typed_in_order_with_tables_after():
    word = Word()
    body = Writer(word)
    body.heading("Heading <b>&amp;", 2)
    body.text("First line\r\nsecond\tline\x07\n\n  \n\nNext =SUM(A1)", "Quote")
    body.paragraph(("Bold: ", True), ("plain", False), style="List Bullet")
    body.text("   \n \n")  # nothing
    table(word, ["Answer", "People"], [["Agree", "3"]], "A caption")
    body.text("After the table")

    read = Word(io.BytesIO(to_bytes(word)))
    paragraphs = [(p.style.name, p.text) for p in read.paragraphs]
    assert paragraphs == [
        ("Heading 2", "Heading <b>&amp;"),
        ("Quote", "First line\nsecond\tline"),
        ("Quote", "Next =SUM(A1)"),
        ("List Bullet", "Bold: plain"),
        ("Normal", "After the table"),
    ]
    assert [run.bold for run in read.paragraphs[3].runs] == [True, None]
    body_xml = read.element.body
    kinds = [child.tag.rsplit("}", 1)[1] for child in body_xml]
    assert kinds == ["p", "p", "p", "p", "tbl", "p", "sectPr"]  # tables follow what was written
    assert [p.text for p in word.paragraphs][-1] == "After the table"  # python-docx reads its own copy too


# --- the drafting bench, small --------------------------------------------------------------


def test_the_bench_scenarios_check_what_they_measure(monkeypatch):
    """The drafting scenarios on a small seed (still a long document: 160 commitments), with
    time_page and time_call replaced by one request and its check: each check passes on the
    real pages, and fails when a part that should be folded is shown."""
    from bench import seed_drafting
    from bench.registry import Context
    from bench.scenarios import drafting as scenarios

    sizes = {"KEY_AREAS": 2, "PER_AREA": 80, "COMMENTS": 300, "AMENDMENTS": 20, "VERSIONS": 2, "RESPONSES": 30}
    for name, value in sizes.items():
        monkeypatch.setattr(seed_drafting, name, value)
        if hasattr(scenarios, name):
            monkeypatch.setattr(scenarios, name, value)
    checked = {}

    def time_page(client, name, urls, *, check=None, **_):
        response = client.get(urls[0])
        assert response.status_code == 200, name
        check(response)
        checked[name] = check
        return name

    monkeypatch.setattr(scenarios, "time_page", time_page)
    monkeypatch.setattr(scenarios, "time_call", lambda name, fn, **_: (fn(), name)[1])
    ctx = Context(n=1, warmup=1)

    ran = [*scenarios.document_page(ctx), *scenarios.full_diff(ctx), *scenarios.you_said_we_did(ctx)]

    seed = ctx.seeds["drafting"]
    assert seed.accounted == 200 + 20 + seed_answers_with_words(seed)
    assert "drafting.you_said_we_did_docx" in ran and "drafting.you_said_we_did_csv" in ran
    client = Client()
    client.force_login(seed.editor)
    args = [seed.partnership.slug, seed.document.pk]
    monkeypatch.setattr(outline, "LONG_DOCUMENT", 10_000)  # as if the page stopped folding parts
    for name, url in (("drafting.you_said_we_did_page_first_part", reverse("you_said_we_did", args=args)),
                      ("drafting.document_page_first_part_editor", reverse("document_detail", args=args))):  # fmt: skip
        with pytest.raises(AssertionError, match="should be folded"):
            checked[name](client.get(url))
    Comment.objects.filter(document=seed.document, parent=None).first().delete()
    with pytest.raises(AssertionError, match="holds"):
        checked["drafting.you_said_we_did_csv"](client.get(reverse("you_said_we_did_csv", args=args)))


def seed_answers_with_words(seed) -> int:
    from compact.drafting.models import Answer

    return Answer.objects.filter(question__round__document=seed.document).exclude(text="").count()
