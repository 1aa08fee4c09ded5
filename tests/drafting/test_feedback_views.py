"""The discussion page of one block: comments on a passage and replies, moderation and reports,
amendments proposed, supported, withdrawn and decided (with the conflict page when the text
moved on), hostile text, and the page's query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.drafting import services
from compact.drafting.models import Amendment, AmendmentStatus, Block, Comment, CommentReport
from compact.drafting.services.comments import QUOTE_GONE
from compact.partnerships.models import Role

from ..factories import ERROR_SUMMARY, field_errors, member, messages_shown
from .conftest import add_commitment, hidden, page, textarea

pytestmark = pytest.mark.django_db


def url(name: str, block, *extra) -> str:
    return reverse(name, args=[block.document.partnership.slug, block.document_id, block.pk, *extra])


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(
        document, convenor, areas[0], statement="We will pay within 30 days.", body="Invoices are paid late."
    )


@pytest.fixture
def alice(people):
    return people[Role.MEMBER]


@pytest.fixture
def bob(partnership):
    return member(partnership, full_name="Bob Jones")


@pytest.fixture
def thread(commitment, alice):
    return services.comment_add(block=commitment, actor=alice, body="Thirty days is too long for small charities.")


def propose(block, actor, **texts):
    return services.amendment_propose(
        block=block, actor=actor, reason="Small charities cannot wait.", base_lock_version=block.lock_version,
        **(texts or {"statement": "We will pay within 14 days."}),
    )  # fmt: skip


# --- comments -------------------------------------------------------------------------------


def test_a_member_comments_on_a_passage(client, alice, commitment):
    client.force_login(alice)
    discussion = url("block_discussion", commitment)
    shown = client.get(discussion)
    assert shown.status_code == 200
    assert "Commitment 1.1" in page(shown)
    assert 'data-anchor-field="statement"' in page(shown)
    key = hidden(shown, "request_key")
    assert key

    data = {"body": "Too slow.", "quote": "30 days", "anchor_field": "statement", "request_key": key}
    response = client.post(discussion, data)
    again = client.post(discussion, data)  # a double click

    comment = Comment.objects.get()
    assert response.status_code == again.status_code == 302
    assert response["Location"] == f"{discussion}#comment-{comment.pk}"
    assert (comment.anchor_field, comment.quote, comment.anchor_start, comment.author) == (
        "statement", "30 days", len("We will pay within "), alice,
    )  # fmt: skip
    shown = page(client.get(discussion))
    assert "<blockquote" in shown and "30 days</blockquote>" in shown
    assert alice.full_name in shown and alice.email not in shown


def test_a_quote_not_in_the_text_shows_the_error_and_keeps_the_comment(client, alice, commitment):
    client.force_login(alice)

    response = client.post(
        url("block_discussion", commitment),
        {"body": "My careful words.", "quote": "60 days", "anchor_field": "statement", "request_key": "k1"},
    )

    assert response.status_code == 200
    assert ERROR_SUMMARY in page(response)
    assert field_errors(response, "quote") == [QUOTE_GONE]
    assert textarea(response, "body") == "My careful words."
    assert hidden(response, "request_key") == "k1"
    assert not Comment.objects.exists()


def test_a_reply_joins_the_thread(client, bob, thread):
    client.force_login(bob)
    prefix = f"reply-{thread.pk}"

    response = client.post(
        url("block_discussion", thread.block),
        {"parent": thread.pk, f"{prefix}-body": "Agreed.", f"{prefix}-request_key": "r"},
    )

    reply = Comment.objects.exclude(pk=thread.pk).get()
    assert response.status_code == 302
    assert reply.parent_id == thread.pk
    shown = page(client.get(url("block_discussion", thread.block)))
    assert shown.index("Thirty days is too long") < shown.index("Agreed.")
    assert (
        client.post(url("block_discussion", thread.block), {"parent": "abc", f"{prefix}-body": "x"}).status_code == 404
    )


def test_an_observer_reads_but_cannot_comment(client, people, thread):
    client.force_login(people[Role.OBSERVER])
    discussion = url("block_discussion", thread.block)

    shown = client.get(discussion)

    assert shown.status_code == 200
    assert "Thirty days is too long" in page(shown)
    assert 'name="body"' not in page(shown)
    assert "Propose an amendment" not in page(shown)
    assert client.post(discussion, {"body": "Let me in."}).status_code == 403
    assert Comment.objects.count() == 1


def test_an_outsider_gets_404(client, people, thread):
    client.force_login(people["outsider"])
    assert client.get(url("block_discussion", thread.block)).status_code == 404


def test_an_editor_resolves_and_hides_with_a_reason(client, convenor, thread):
    client.force_login(convenor)
    discussion = url("block_discussion", thread.block)

    assert client.post(url("comment_resolve", thread.block, thread.pk)).status_code == 302
    assert reload(thread).resolved_at is not None
    assert "Resolved" in page(client.get(discussion))

    refused = client.post(url("comment_hide", thread.block, thread.pk), {"reason": "  "}, follow=True)
    assert any("Say why the comment is hidden" in m for m in messages_shown(refused))
    assert reload(thread).hidden_at is None

    client.post(url("comment_hide", thread.block, thread.pk), {"reason": "Names a member of staff."})
    shown = page(client.get(discussion))
    assert "Thirty days is too long" not in shown
    assert "Comment hidden by the editors: Names a member of staff." in shown

    client.post(url("comment_reopen", thread.block, thread.pk))
    assert reload(thread).resolved_at is None


def test_a_member_cannot_moderate(client, bob, thread):
    client.force_login(bob)
    assert client.post(url("comment_hide", thread.block, thread.pk), {"reason": "Mine"}).status_code == 403
    assert client.post(url("comment_resolve", thread.block, thread.pk)).status_code == 403


def test_reporting_twice_keeps_one_report(client, bob, thread):
    client.force_login(bob)
    report = url("comment_report", thread.block, thread.pk)

    client.post(report, {"reason": "Rude."})
    client.post(report, {"reason": "Still rude."})

    assert CommentReport.objects.filter(comment=thread).count() == 1
    assert "You reported this comment" in page(client.get(url("block_discussion", thread.block)))


def test_actions_on_another_blocks_comment_are_404(client, convenor, document, areas, thread):
    other = add_commitment(document, convenor, areas[1], statement="We will meet monthly.")
    client.force_login(convenor)
    assert client.post(url("comment_resolve", other, thread.pk)).status_code == 404
    assert client.get(url("block_discussion", thread.block) + "x/").status_code == 404


def test_a_hostile_comment_is_shown_as_text(client, alice, commitment):
    services.comment_add(block=commitment, actor=alice, body="<script>alert(1)</script>")
    client.force_login(alice)

    shown = page(client.get(url("block_discussion", commitment)))

    assert "<script>alert(1)</script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_the_discussion_page_costs_the_same_for_3_and_20_comments(client, alice, bob, convenor, commitment):
    client.force_login(convenor)
    discussion = url("block_discussion", commitment)

    def queries_with(count: int) -> int:
        while Comment.objects.filter(parent=None).count() < count:
            parent = services.comment_add(block=commitment, actor=alice, body="A point.")
            services.comment_add(block=commitment, actor=bob, body="A reply.", parent=parent)
        client.get(discussion)  # warm caches (session, roles)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(discussion).status_code == 200
        return len(captured)

    propose(commitment, alice)
    assert queries_with(3) == queries_with(20)


# --- amendments -----------------------------------------------------------------------------


def test_a_member_proposes_an_amendment(client, alice, commitment):
    client.force_login(alice)
    amend = url("amendment_propose", commitment)
    assert "Propose an amendment" in page(client.get(url("block_discussion", commitment)))
    form = client.get(amend)
    assert textarea(form, "statement") == "We will pay within 30 days."
    assert hidden(form, "base_lock_version") == "1"
    assert 'name="title"' not in page(form)

    same = client.post(amend, {"statement": "We will pay within 30 days.", "body": "Invoices are paid late.",
                               "reason": "Because.", "base_lock_version": 1, "request_key": "a"})  # fmt: skip
    assert same.status_code == 200
    assert "Your wording is the same as the current text" in page(same)

    response = client.post(amend, {"statement": "We will pay within 14 days.", "body": "Invoices are paid late.",
                                   "reason": "Small charities cannot wait.", "base_lock_version": 1,
                                   "request_key": "b"})  # fmt: skip

    amendment = Amendment.objects.get()
    assert response.status_code == 302
    assert (amendment.statement, amendment.proposer, amendment.status) == ("We will pay within 14 days.", alice, "open")
    shown = page(client.get(url("block_discussion", commitment)))
    assert "Small charities cannot wait." in shown
    assert '<ins class="compact-diff__ins">' in shown and "14" in shown


def test_an_amendment_without_a_reason_keeps_the_wording(client, alice, commitment):
    client.force_login(alice)
    response = client.post(url("amendment_propose", commitment), {
        "statement": "We will pay within 7 days.", "body": "", "reason": "", "base_lock_version": 1,
    })  # fmt: skip
    assert response.status_code == 200
    assert field_errors(response, "reason") == ["Say why you propose this change"]
    assert textarea(response, "statement") == "We will pay within 7 days."


def test_an_amendment_to_text_changed_meanwhile_goes_to_the_conflict_page(client, alice, convenor, commitment):
    services.block_update(block=commitment, actor=convenor, lock_version=1, statement="We will pay within 20 days.")
    client.force_login(alice)

    response = client.post(url("amendment_propose", commitment), {
        "statement": "We will pay within 14 days.", "body": "Invoices are paid late.", "reason": "Faster.",
        "base_lock_version": 1, "request_key": "c",
    })  # fmt: skip

    assert response.status_code == 409
    assert textarea(response, "statement") == "We will pay within 14 days."
    assert textarea(response, "reason") == "Faster."
    assert hidden(response, "base_lock_version") == "2"
    assert "Your proposed wording" in page(response)
    assert not Amendment.objects.exists()


def test_members_support_but_the_proposer_cannot(client, alice, bob, commitment):
    amendment = propose(commitment, alice)
    client.force_login(bob)

    response = client.post(url("amendment_support", commitment, amendment.pk))

    assert response.status_code == 302
    assert amendment.supports.count() == 1
    shown = page(client.get(url("block_discussion", commitment)))
    assert "1 supporter (including you)" in re.sub(r"<[^>]+>", "", shown)
    assert "Withdraw support" in shown
    client.force_login(alice)
    assert "Support<span" not in page(client.get(url("block_discussion", commitment)))
    assert client.post(url("amendment_support", commitment, amendment.pk)).status_code == 403
    assert amendment.supports.count() == 1


def test_the_proposer_withdraws(client, alice, bob, commitment):
    amendment = propose(commitment, alice)
    client.force_login(bob)
    assert client.post(url("amendment_withdraw", commitment, amendment.pk)).status_code == 403
    client.force_login(alice)

    response = client.post(url("amendment_withdraw", commitment, amendment.pk), follow=True)

    assert reload(amendment).status == AmendmentStatus.WITHDRAWN
    assert "Withdrawn" in page(response)


def test_another_documents_amendment_is_404(client, convenor, document, areas, alice, commitment):
    amendment = propose(commitment, alice)
    other = add_commitment(document, convenor, areas[1], statement="We will meet monthly.")
    client.force_login(alice)
    assert client.post(url("amendment_withdraw", other, amendment.pk)).status_code == 404


def test_an_editor_accepts_an_amendment(client, alice, convenor, commitment):
    amendment = propose(commitment, alice)
    client.force_login(convenor)
    decide = url("amendment_decide", commitment, amendment.pk)
    assert client.get(decide).status_code == 200

    response = client.post(decide, {"decision": "accept", "reason": "", "lock_version": 1})

    assert response.status_code == 302
    block = Block.objects.get(pk=commitment.pk)
    assert (block.statement, block.lock_version) == ("We will pay within 14 days.", 2)
    assert reload(amendment).status == AmendmentStatus.ACCEPTED


def test_rejecting_needs_a_reason_everyone_sees(client, alice, convenor, commitment):
    amendment = propose(commitment, alice)
    client.force_login(convenor)
    decide = url("amendment_decide", commitment, amendment.pk)

    refused = client.post(decide, {"decision": "reject", "reason": "", "lock_version": 1})
    assert refused.status_code == 200
    assert field_errors(refused, "reason")
    assert reload(amendment).status == AmendmentStatus.OPEN

    client.post(decide, {"decision": "reject", "reason": "Our payment runs are monthly.", "lock_version": 1})
    assert reload(amendment).status == AmendmentStatus.REJECTED
    client.force_login(alice)
    assert "Our payment runs are monthly." in page(client.get(url("block_discussion", commitment)))


def test_accepting_after_the_text_changed_merges_on_the_conflict_page(client, alice, convenor, commitment):
    amendment = propose(commitment, alice)
    services.block_update(block=commitment, actor=convenor, lock_version=1, statement="We will pay within 20 days.")
    client.force_login(convenor)
    decide = url("amendment_decide", commitment, amendment.pk)

    conflict = client.post(decide, {"decision": "accept", "reason": "", "lock_version": 2})

    assert conflict.status_code == 409
    assert textarea(conflict, "statement") == "We will pay within 14 days."
    assert hidden(conflict, "lock_version") == "2"
    assert hidden(conflict, "decision") == "accept"
    assert reload(commitment).statement == "We will pay within 20 days."

    merged = client.post(decide, {
        "decision": "accept", "merge": "True", "lock_version": 2, "reason": "",
        "statement": "We will pay within 14 working days.", "body": "Invoices are paid late.",
    })  # fmt: skip

    assert merged.status_code == 302
    block = reload(commitment)
    assert (block.statement, block.lock_version) == ("We will pay within 14 working days.", 3)
    assert reload(amendment).status == AmendmentStatus.ACCEPTED


def test_the_document_page_links_to_each_discussion(client, people, thread):
    client.force_login(people[Role.OBSERVER])
    shown = page(client.get(reverse("document_detail", args=[thread.document.partnership.slug, thread.document_id])))
    assert f'href="{url("block_discussion", thread.block)}"' in shown
    assert "Comments and amendments (1 open comment" in shown
