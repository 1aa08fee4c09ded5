"""Any text through the drafting forms, as a browser would send it: a block's heading,
commitment and text, a comment and the words it quotes, an amendment, and the reasons for hiding
or reporting a comment. Random Unicode (control characters and NULs included; never surrogates,
which no browser sends), very long text, and Markdown and HTML written to attack the page.

Whatever is sent, never a server error. Either it is saved, exactly as typed once line endings
are normalised and the ends trimmed, and the page shows it as text (never as markup); or the
page says what is wrong and the form still holds every word typed."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from compact.drafting import services
from compact.drafting.models import (
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    Amendment,
    Block,
    Comment,
    CommentReport,
)
from compact.partnerships.models import Role

from ..factories import ERROR_SUMMARY, member, messages_shown
from .conftest import add_commitment, hidden, page, textarea

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ATTACKS = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "</textarea><script>alert(2)</script>",
    "[click](javascript:alert(3))", "![x](javascript:alert(4))", '<a href="javascript:alert(5)">x</a>',
    "<svg onload=alert(6)>", "<iframe src=//example.org>", "[x](JaVaScRiPt:alert(7))", "<b onmouseover=alert(8)>b</b>",
    "<!-- x --><style>body{display:none}</style>", "| a | b |\n|---|---|\n| <script>alert(9)</script> | c |",
    "> quote\n>> <img src=x onerror=alert(10)>", "```\n</code><script>alert(11)</script>\n```", "\u202egnp.exe",
]  # fmt: skip
text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),  # control characters, NUL, emoji; no surrogates
    st.builds(lambda a, attack, b: a + attack + b, st.text(max_size=20), st.sampled_from(ATTACKS), st.text(max_size=20)),
    st.sampled_from([
        "", "   ", "\x00", "a\r\nb", "a\rb", "\x1b[31m", "line\u2028break", "x" * 201, "y" * 1001, "w" * 3001,
        "z" * 20001, "🙂" * 1000, "\t indented\n\n  ", "**" * 600,
    ]),
)  # fmt: skip
# Text a form will likely take (letters, digits, punctuation and symbols such as < and &), so the
# fuzzing reaches the saved path as often as the refused one.
clean = st.text(alphabet=st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=140)
field = st.one_of(clean, text, st.sampled_from(ATTACKS))


def cleaned(value: str) -> str:
    """What the services keep of typed text: line endings normalised, the ends trimmed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class _Markup(HTMLParser):
    """The real tags, attributes and inline script text of a page (escaped text is none of these)."""

    def __init__(self, content: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.scripts, self._in_script = [], [], [], False
        self.feed(content)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, (value or "").strip().lower()) for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def assert_safe(content: str) -> None:
    """Nothing typed became markup: no event handlers, javascript: links, frames, or script."""
    markup = _Markup(content)
    assert not [name for name, _ in markup.attributes if name.startswith("on")]
    assert not [value for _, value in markup.attributes if re.sub(r"\s", "", value).startswith("javascript:")]
    assert not {"iframe", "svg", "object", "embed"} & set(markup.tags)
    assert not [script for script in markup.scripts if "alert(" in script]


def assert_shown_as_text(content: str, value: str, *, lines: bool = False) -> None:
    """The saved text is on the page, escaped (each line on its own when shown with line breaks)."""
    for part in value.split("\n") if lines else [value]:
        assert escape(part) in content, part[:80]


def input_value(response, name: str) -> str:
    """A text input's value (Django leaves the attribute out when it is empty)."""
    return html.unescape(hidden(response, name) or "")


def same_text(kept: str, typed: str) -> bool:
    """Every word kept. Text that is only spaces may come back as fewer spaces: the form helper
    tidies whitespace between tags, and there was nothing to lose."""
    return kept == typed or not (kept.strip() or typed.strip())


def assert_refused_and_kept(response, typed: dict[str, str], inputs: tuple[str, ...] = ()) -> None:
    """The form again, with the error summary and every word typed (in text boxes or inputs)."""
    content = page(response)
    assert ERROR_SUMMARY in content
    for name, value in typed.items():
        kept = input_value(response, name) if name in inputs else textarea(response, name)
        assert kept is not None and same_text(kept, value), (name, value[:80], (kept or "")[:80])
    assert_safe(content)


def answered(response) -> int:
    """Never a server error: saved (302) or shown again (200)."""
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code


# --- a block's text ---------------------------------------------------------------------------


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.", body="Paid late.")


def edit_url(block) -> str:
    return reverse("block_edit", args=[block.document.partnership.slug, block.document_id, block.pk])


def document_page(client, block) -> str:
    return page(client.get(reverse("document_detail", args=[block.document.partnership.slug, block.document_id])))


@FUZZ
@given(statement=field, body=field)
def test_a_commitments_text_is_saved_as_typed_or_kept_with_the_error(client, convenor, commitment, statement, body):
    client.force_login(convenor)
    block = Block.objects.get(pk=commitment.pk)
    data = {"lock_version": block.lock_version, "statement": statement, "body": body, "committed_by": ["all"]}

    response = client.post(edit_url(block), data)

    if answered(response) == 200:
        assert_refused_and_kept(response, {"statement": statement, "body": body})
        return
    saved = Block.objects.get(pk=block.pk)
    assert (saved.statement, saved.body) == (cleaned(statement), cleaned(body))
    content = document_page(client, saved)
    assert_shown_as_text(content, saved.statement)
    assert_safe(content)


@FUZZ
@given(title=field, body=field)
def test_a_key_areas_heading_and_text_are_saved_as_typed_or_kept(client, convenor, areas, title, body):
    client.force_login(convenor)
    block = Block.objects.get(pk=areas[1].pk)

    response = client.post(edit_url(block), {"lock_version": block.lock_version, "title": title, "body": body})

    if answered(response) == 200:
        assert_refused_and_kept(response, {"title": title, "body": body}, inputs=("title",))
        return
    saved = Block.objects.get(pk=block.pk)
    assert (saved.title, saved.body) == (cleaned(title), cleaned(body))
    content = document_page(client, saved)
    assert_shown_as_text(content, saved.title)
    assert_safe(content)


# --- comments, and the reasons for hiding or reporting one ------------------------------------


@pytest.fixture
def alice(people):
    return people[Role.MEMBER]


@pytest.fixture
def bob(partnership):
    return member(partnership, full_name="Bob Jones")


@pytest.fixture
def passage(document, areas, convenor):
    """A commitment whose text has repeated words, line breaks and runs of spaces to quote from."""
    return add_commitment(
        document, convenor, areas[0], statement="We will pay small charities within 30 days.",
        body="Invoices are paid late.\n\nSmall   charities wait; small charities lose staff <b>&</b>.",
    )  # fmt: skip


def discussion_url(block) -> str:
    return reverse("block_discussion", args=[block.document.partnership.slug, block.document_id, block.pk])


QUOTES = st.one_of(
    st.just(""), field,
    st.sampled_from(["30 days", "small charities", "paid late.\n\nSmall charities", "Small charities wait",
                     "<b>&</b>", " within 30 ", "Invoices"]),
)  # fmt: skip


ANCHOR_FIELDS = st.one_of(st.sampled_from(["statement", "body"]), st.sampled_from(["", "title", "nonsense"]))


@FUZZ
@given(body=field, quote=QUOTES, anchor_field=ANCHOR_FIELDS)
def test_a_comment_is_saved_as_typed_or_kept_with_the_error(client, alice, passage, body, quote, anchor_field):
    client.force_login(alice)
    data = {"body": body, "quote": quote, "anchor_field": anchor_field, "request_key": ""}
    before = Comment.objects.count()

    response = client.post(discussion_url(passage), data)

    if answered(response) == 200:
        assert_refused_and_kept(response, {"body": body, "quote": quote}, inputs=("quote",))
        assert Comment.objects.count() == before
        return
    comment = Comment.objects.latest("pk")
    assert comment.body == cleaned(body)
    if quote.strip():  # the words as they stand in the text, found even across line breaks
        source = getattr(passage, comment.anchor_field)
        assert source[comment.anchor_start : comment.anchor_end] == comment.quote
        assert " ".join(comment.quote.split()) == " ".join(quote.split())
    content = page(client.get(response["Location"]))
    assert_shown_as_text(content, comment.body, lines=True)
    assert_safe(content)


def comment_action(name: str, comment) -> str:
    block = comment.block
    return reverse(name, args=[block.document.partnership.slug, block.document_id, block.pk, comment.pk])


def kept_reason(content: str, element_id: str) -> str | None:
    """What the hide (input) or report (text box) form of one comment holds."""
    found = re.search(r'<textarea[^>]*id="' + element_id + r'"[^>]*>\n?(.*?)</textarea>', content, re.S) or re.search(
        r'<input[^>]*id="' + element_id + r'"[^>]*?(?: value="([^"]*)")?>', content
    )  # fmt: skip
    return None if found is None else html.unescape(found.group(1) or "")


def assert_reason_refused_and_kept(followed, comment, form: str, reason: str) -> None:
    """Back on the discussion page: the error in a message and beside the box, which is open
    and holds what was typed."""
    content = page(followed)
    [error] = [m for m in messages_shown(followed)]
    assert error.startswith(("Say ", "Keep the reason", "Enter this on one line", "Remove the hidden")), error
    assert f'id="{form}-reason-{comment.pk}-error"' in content
    assert same_text(kept_reason(content, f"{form}-reason-{comment.pk}"), reason)
    assert_safe(content)


def send_reason(client, actor, action: str, author, block, reason: str):
    """A fresh comment by `author`, and `actor` sending `reason` to hide or report it."""
    comment = services.comment_add(block=block, actor=author, body=f"Something to {action}.")
    client.force_login(actor)
    response = client.post(comment_action(f"comment_{action}", comment), {"reason": reason}, follow=True)
    assert response.status_code == 200  # back on the discussion page, never a server error
    return comment, response


@FUZZ
@given(reason=field)
def test_a_hide_reason_is_saved_as_typed_or_kept_with_the_error(client, convenor, bob, passage, reason):
    comment, response = send_reason(client, convenor, "hide", bob, passage, reason)

    comment.refresh_from_db()
    event("refused" if comment.hidden_at is None else "saved")
    if comment.hidden_at is None:
        assert_reason_refused_and_kept(response, comment, "hide", reason)
        return
    assert comment.hidden_reason == cleaned(reason)
    assert_shown_as_text(page(response), f"Comment hidden by the editors: {comment.hidden_reason}")
    assert_safe(page(response))


@FUZZ
@given(reason=field)
def test_a_report_reason_is_saved_as_typed_or_kept_with_the_error(client, alice, bob, passage, reason):
    comment, response = send_reason(client, alice, "report", bob, passage, reason)

    report = CommentReport.objects.filter(comment=comment, reporter=alice).first()
    event("refused" if report is None else "saved")
    if report is None:
        assert_reason_refused_and_kept(response, comment, "report", reason)
        return
    assert report.reason == cleaned(reason)
    assert messages_shown(response) == ["Thank you. The editors will look at the comment."]
    assert_safe(page(response))


def test_a_refused_reason_comes_back_only_once(client, convenor, bob, passage):
    comment, refused = send_reason(client, convenor, "hide", bob, passage, "Rude\x1b")
    again = client.get(discussion_url(passage))

    assert kept_reason(page(refused), f"hide-reason-{comment.pk}") == "Rude\x1b"
    assert kept_reason(page(again), f"hide-reason-{comment.pk}") == ""


# --- amendments -------------------------------------------------------------------------------


@FUZZ
@given(statement=field, body=field, reason=field)
def test_an_amendment_is_saved_as_typed_or_kept_with_the_error(client, alice, passage, statement, body, reason):
    client.force_login(alice)
    block = Block.objects.get(pk=passage.pk)
    data = {"statement": statement, "body": body, "reason": reason, "base_lock_version": block.lock_version}
    before = Amendment.objects.count()

    response = client.post(reverse("amendment_propose", args=[
        block.document.partnership.slug, block.document_id, block.pk,
    ]), data)  # fmt: skip

    if answered(response) == 200:
        assert_refused_and_kept(response, {"statement": statement, "body": body, "reason": reason})
        assert Amendment.objects.count() == before
        return
    amendment = Amendment.objects.latest("pk")
    assert (amendment.statement, amendment.body, amendment.reason) == (
        cleaned(statement),
        cleaned(body),
        cleaned(reason),
    )
    content = page(client.get(response["Location"]))
    assert_shown_as_text(content, amendment.reason, lines=True)
    assert_safe(content)


# --- line breaks count once, as the browser counts them --------------------------------------


def at_the_limit(limit: int) -> str:
    """Text exactly `limit` characters long as the browser counts it, with a line break every
    50 characters, sent as browsers send line breaks (CR LF)."""
    text = (("a" * 49 + "\n") * (limit // 50 + 1))[: limit - 1] + "b"
    return text.replace("\n", "\r\n")


def test_text_at_each_limit_is_saved_whatever_its_line_breaks(client, alice, convenor, passage):
    client.force_login(alice)
    comment = client.post(discussion_url(passage), {"body": at_the_limit(COMMENT_MAX), "anchor_field": "body"})
    amend = reverse("amendment_propose", args=[passage.document.partnership.slug, passage.document_id, passage.pk])
    amendment = client.post(amend, {
        "statement": passage.statement, "body": at_the_limit(BODY_MAX), "reason": at_the_limit(REASON_MAX),
        "base_lock_version": passage.lock_version,
    })  # fmt: skip
    client.force_login(convenor)
    edit = client.post(edit_url(passage), {
        "lock_version": passage.lock_version, "statement": at_the_limit(STATEMENT_MAX), "committed_by": ["all"],
        "body": at_the_limit(BODY_MAX),
    })  # fmt: skip

    assert (comment.status_code, amendment.status_code, edit.status_code) == (302, 302, 302)
    assert len(Comment.objects.latest("pk").body) == COMMENT_MAX
    assert len(Amendment.objects.latest("pk").reason) == REASON_MAX
    saved = Block.objects.get(pk=passage.pk)
    assert (len(saved.statement), len(saved.body)) == (STATEMENT_MAX, BODY_MAX)


def test_one_character_over_the_limit_is_refused_with_the_length_the_browser_shows(client, alice, passage):
    client.force_login(alice)

    response = client.post(discussion_url(passage), {"body": at_the_limit(COMMENT_MAX) + "c", "anchor_field": "body"})

    assert response.status_code == 200
    assert f"(it has {COMMENT_MAX + 1})" in page(response)
