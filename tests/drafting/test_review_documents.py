"""Regression tests from the review of writing, discussing and versioning the document: ids
that only look like numbers, altered hidden fields, refusals that say why, amendments decided
while the page was open, passages selected from formatted text, and what a block's label reads."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.drafting import services
from compact.drafting.anchoring import quote_in
from compact.drafting.forms.editing import HiddenFieldErrors
from compact.drafting.models import Amendment, AmendmentStatus, Block, BlockKind, Comment
from compact.drafting.selectors import entry_for, is_id
from compact.drafting.services.amendments import DECIDE_REFUSED, NOT_OPEN
from compact.drafting.services.documents import INTRODUCTION_STAYS
from compact.drafting.views.comments import MODERATE_REFUSED
from compact.partnerships.models import Role

from ..factories import ERROR_SUMMARY, field_errors, member, messages_shown
from .conftest import add_commitment, intro_block, page, textarea

pytestmark = pytest.mark.django_db


def url(name: str, block, *extra) -> str:
    return reverse(name, args=[block.document.partnership.slug, block.document_id, block.pk, *extra])


def add_url(document, kind="commitment") -> str:
    return reverse("block_add", args=[document.partnership.slug, document.pk, kind])


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.", body="Late.")


@pytest.fixture
def alice(people):
    return people[Role.MEMBER]


@pytest.fixture
def amendment(commitment, alice):
    return services.amendment_propose(
        block=commitment, actor=alice, reason="Small charities cannot wait.",
        base_lock_version=commitment.lock_version, statement="We will pay within 14 days.",
    )  # fmt: skip


# --- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "١", "1²", "", "-1", "1.0", " 1"])
def test_only_ascii_digits_are_ids(value):
    assert not is_id(value)


def test_an_id_is_ascii_digits():
    assert is_id("12") and is_id(12)


def test_a_superscript_digit_for_the_key_area_is_not_found(client, convenor, document, areas):
    client.force_login(convenor)

    assert client.get(add_url(document) + "?under=%C2%B2").status_code == 404
    assert client.post(add_url(document), {"under": "²", "statement": "We will."}).status_code == 404


def test_a_superscript_digit_for_the_thread_replied_to_is_not_found(client, alice, commitment):
    client.force_login(alice)

    response = client.post(url("block_discussion", commitment), {"parent": "²", "reply-1-body": "Agreed."})

    assert response.status_code == 404


def test_a_commitment_cannot_be_added_under_a_commitment(client, convenor, document, commitment):
    client.force_login(convenor)

    assert client.get(add_url(document) + f"?under={commitment.pk}").status_code == 404
    response = client.post(
        add_url(document) + f"?under={commitment.pk}", {"statement": "We will.", "committed_by": ["all"]}
    )
    assert response.status_code == 404
    assert Block.objects.filter(kind=BlockKind.COMMITMENT).count() == 1


def test_a_commitment_for_a_key_area_removed_meanwhile_says_so_and_keeps_the_text(client, convenor, document, areas):
    client.force_login(convenor)
    services.block_remove(block=areas[0], actor=convenor, lock_version=areas[0].lock_version)

    response = client.post(
        add_url(document) + f"?under={areas[0].pk}", {"statement": "We will pay on time.", "committed_by": ["all"]}
    )

    assert response.status_code == 200
    assert "This key area was removed from the document" in page(response)
    assert textarea(response, "statement") == "We will pay on time."
    assert not Block.objects.filter(kind=BlockKind.COMMITMENT).exists()


# --- hidden fields and required answers -----------------------------------------------------


@pytest.mark.parametrize("lock_version", [None, "abc", "-1"])
def test_an_edit_with_its_lock_version_missing_or_altered_says_so_and_keeps_the_text(
    client, convenor, commitment, lock_version
):
    client.force_login(convenor)
    data = {"statement": "We will pay within 7 days.", "committed_by": ["all"], "body": "My careful words."}
    if lock_version is not None:
        data["lock_version"] = lock_version

    response = client.post(url("block_edit", commitment), data)

    assert response.status_code == 200
    assert ERROR_SUMMARY in page(response)
    assert HiddenFieldErrors.hidden_field_error.split(",")[0] in page(response)
    assert textarea(response, "body") == "My careful words."
    assert Block.objects.get(pk=commitment.pk).statement == "We will pay within 30 days."


def test_removing_with_an_altered_lock_version_says_so(client, convenor, commitment):
    client.force_login(convenor)

    response = client.post(url("block_remove", commitment), {"lock_version": "abc"})

    assert response.status_code == 200
    assert ERROR_SUMMARY in page(response)
    assert HiddenFieldErrors.hidden_field_error.split(",")[0] in page(response)
    assert Block.objects.get(pk=commitment.pk).removed_at is None


def test_a_decision_merged_with_its_decision_altered_says_so(client, convenor, amendment, commitment):
    client.force_login(convenor)

    response = client.post(
        url("amendment_decide", commitment, amendment.pk),
        {"merge": "1", "decision": "bogus", "lock_version": commitment.lock_version, "statement": "We will."},
    )

    assert response.status_code == 200
    assert HiddenFieldErrors.hidden_field_error.split(",")[0] in page(response)
    assert Amendment.objects.get(pk=amendment.pk).status == AmendmentStatus.OPEN


def test_a_commitment_without_committers_asks_who_commits(client, convenor, commitment):
    client.force_login(convenor)

    response = client.post(url("block_edit", commitment), {"lock_version": 1, "statement": "We will."})

    assert field_errors(response, "committed_by") == ["Choose who commits"]


def test_a_version_without_a_name_asks_for_one(client, convenor, document):
    client.force_login(convenor)

    response = client.post(reverse("version_cut", args=[document.partnership.slug, document.pk]), {"name": ""})

    assert field_errors(response, "name") == ["Enter a name for the version"]


def test_a_section_without_its_kind_asks_what_kind_it_is(client, convenor, document):
    client.force_login(convenor)

    response = client.post(add_url(document, "section"), {"title": "Governance", "body": "Who meets when."})

    assert field_errors(response, "section_kind") == ["Choose what kind of section this is"]


# --- refusals that say why ------------------------------------------------------------------


def test_the_introductions_remove_page_refuses_at_once(client, convenor, document):
    client.force_login(convenor)

    response = client.get(url("block_remove", intro_block(document)))

    assert response.status_code == 403
    assert INTRODUCTION_STAYS in page(response)


def test_a_member_opening_the_decision_is_told_who_decides(client, alice, amendment, commitment):
    client.force_login(alice)

    response = client.get(url("amendment_decide", commitment, amendment.pk))

    assert response.status_code == 403
    assert DECIDE_REFUSED in page(response)


def test_a_member_resolving_a_thread_is_told_who_moderates(client, alice, commitment):
    thread = services.comment_add(block=commitment, actor=alice, body="Too slow.")
    client.force_login(alice)

    response = client.post(url("comment_resolve", commitment, thread.pk))

    assert response.status_code == 403
    assert MODERATE_REFUSED in page(response)


@pytest.mark.parametrize("action", ["amendment_support", "amendment_unsupport", "amendment_withdraw"])
def test_an_amendment_decided_while_the_page_was_open_says_so(client, alice, convenor, amendment, commitment, action):
    services.amendment_decide(amendment=amendment, actor=convenor, decision="reject", reason="Not now.")
    supporter = member(commitment.document.partnership)
    client.force_login(alice if action == "amendment_withdraw" else supporter)

    response = client.post(url(action, commitment, amendment.pk), follow=True)

    assert response.status_code == 200
    assert messages_shown(response) == [NOT_OPEN]
    assert Amendment.objects.get(pk=amendment.pk).status == AmendmentStatus.REJECTED


def test_a_removed_part_does_not_move(document, areas, convenor):
    services.block_remove(block=areas[0], actor=convenor, lock_version=areas[0].lock_version)
    removed = Block.objects.get(pk=areas[0].pk)

    with pytest.raises(ValidationError):
        services.block_move(block=removed, actor=convenor, direction="down")

    assert Block.objects.get(pk=areas[1].pk).position == areas[1].position


# --- passages selected from formatted text --------------------------------------------------

BODY = (
    "Invoices are **always** paid late.\n\n- small charities wait\n  - the [ICB](https://example.org) pays\n\n"
    "## Next steps\n\n1. We will _review_ it."
)


@pytest.mark.parametrize(
    ("selected", "stored"),
    [
        ("are always paid", "are **always** paid"),
        ("small charities wait the ICB pays", "small charities wait\n  - the [ICB](https://example.org) pays"),
        ("late. small", "late.\n\n- small"),
        ("pays Next steps We will review it", "pays\n\n## Next steps\n\n1. We will _review_ it"),
    ],
)
def test_words_selected_from_the_formatted_text_are_found_in_its_markdown(selected, stored):
    anchor = quote_in(BODY, selected)

    assert anchor is not None and anchor.quote == stored


@pytest.mark.parametrize("selected", ["always paid early", "ICB https", "review it today", "are al*ways paid"])
def test_words_not_in_the_formatted_text_are_not_found(selected):
    assert quote_in(BODY, selected) is None


def test_an_underscore_inside_a_word_is_part_of_the_word():
    assert quote_in("Read the snake_case\nnames.", "snake_case names").quote == "snake_case\nnames"
    assert quote_in("Read the snake_case names.", "snakecase names") is None


def test_a_member_comments_on_words_selected_from_bold_text(client, alice, document, areas, convenor):
    block = add_commitment(document, convenor, areas[0], body="Invoices are **always** paid late.")
    client.force_login(alice)

    response = client.post(
        url("block_discussion", block),
        {"body": "Not always.", "quote": "are always paid", "anchor_field": "body", "request_key": "k"},
    )

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.quote == "are **always** paid"
    assert block.body[comment.anchor_start : comment.anchor_end] == comment.quote


# --- labels ---------------------------------------------------------------------------------


def test_a_blocks_label_reads_only_the_blocks_its_number_needs(document, areas, convenor):
    for n in range(5):
        add_commitment(document, convenor, areas[0], statement=f"We will do {n}.")
    second = add_commitment(document, convenor, areas[1], statement="We will listen.")
    add_commitment(document, convenor, areas[1], statement="We will act.")

    with CaptureQueriesContext(connection) as captured:
        entry = entry_for(document, second)

    assert entry.label == "Commitment 2.1"
    assert len(captured) == 1
    assert '"body"' not in captured[0]["sql"] and '"statement"' not in captured[0]["sql"]
    assert entry_for(document, areas[1]).label.startswith("Key area 2: ")
    assert entry_for(document, intro_block(document)).label == "Introduction"
