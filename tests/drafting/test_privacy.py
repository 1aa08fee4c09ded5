"""A person's drafting data in "Your data": comments, amendments (with what became of them),
supports, reports, consultation invitations and responses with their answers, and the
accounts an editor wrote of what was done with feedback, all exported. Erasure blanks the name
and email on their responses and takes their address off invitations (deleting one that could
still bring a reminder or a response); comments, amendments and answers stay, read as
"Erased user"."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.drafting import services
from compact.drafting.models import Answer, Comment, Invitation, Question, QuestionKind, Response, Round
from compact.drafting.services.outcomes import outcome_record
from compact.partnerships.models import Membership, Role
from compact.partnerships.privacy import ERASED_NAME, personal_data_export, user_erase

from ..factories import OrganisationFactory, member
from .conftest import add_commitment, page
from .rounds_helpers import consulting, open_round  # noqa: F401  (consulting is a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(people):
    person = people[Role.MEMBER]
    person.full_name, person.email = "Alice Adams", "alice@example.org"
    person.save(update_fields=["full_name", "email"])
    charity = OrganisationFactory(name="Lewisham Carers")
    Membership.objects.filter(user=person).update(organisation=charity)
    return person


@pytest.fixture
def bob(partnership):
    return member(partnership, full_name="Bob Jones", email="bob@example.org")


def answer_round(round, person, *, invitation=None, text="Pay within 14 days.", **fields) -> Response:
    question = Question.objects.create(
        round=round, kind=QuestionKind.AGREE, text="Do you agree with the payment terms?",
        position=round.questions.count() + 1,
    )  # fmt: skip
    response = Response.objects.create(round=round, respondent=person, invitation=invitation, **fields)
    Answer.objects.create(response=response, question=question, scale=2, text=text)
    return response


@pytest.fixture
def story(consulting, areas, convenor, alice, bob):  # noqa: F811
    """Alice (a member) leaves every kind of trace; Bob some; the convenor accounts for them."""
    commitment = add_commitment(consulting, convenor, areas[0], statement="We will pay within 30 days.")
    mine = services.comment_add(
        block=commitment, actor=alice, body="Thirty days is too long.", quote="30 days", anchor_field="statement",
        on_behalf=True,
    )  # fmt: skip
    theirs = services.comment_add(block=commitment, actor=bob, body="It is fine.")
    services.comment_add(block=commitment, actor=alice, body="Not for us.", parent=theirs)
    services.comment_report(comment=theirs, actor=alice, reason="Dismissive.")
    services.comment_hide(comment=theirs, actor=convenor, reason="Off topic.")
    amendment = services.amendment_propose(
        block=commitment, actor=alice, reason="Small charities cannot wait.", base_lock_version=commitment.lock_version,
        statement="We will pay within 14 days.",
    )  # fmt: skip
    services.amendment_decide(amendment=amendment, actor=convenor, decision="reject", reason="Too soon for councils.")
    bobs = services.amendment_propose(
        block=commitment, actor=bob, reason="Clearer.", base_lock_version=commitment.lock_version,
        statement="We will pay within 21 days.",
    )  # fmt: skip
    services.amendment_support(amendment=bobs, actor=alice)
    outcome_record(item=mine, actor=convenor, outcome="partly", note="We will pay faster where we can.")

    answered, unanswered, closed = (open_round(consulting, convenor, title=t) for t in ("First", "Second", "Third"))
    invited = Invitation.objects.create(round=answered, email="ALICE@example.org", sent_at=timezone.now())
    response = answer_round(answered, alice, invitation=invited, name="Alice Adams", email="alice@example.org")
    public = answer_round(unanswered, None, name="A. Adams", email="Alice@Example.org", text="Faster, please.")
    Invitation.objects.create(round=unanswered, email="alice@example.org", user=alice, sent_at=timezone.now())
    Invitation.objects.create(round=closed, email="alice@example.org", user=alice, sent_at=timezone.now())
    past = timezone.now() - dt.timedelta(days=3)
    Round.objects.filter(pk=closed.pk).update(opens_at=past, closes_at=past + dt.timedelta(days=1))
    bobs_response = answer_round(answered, bob, name="Bob Jones", email="bob@example.org")
    Invitation.objects.create(round=answered, email="bob@example.org", user=bob)
    return {
        "commitment": commitment, "comment": mine, "rounds": (answered, unanswered, closed), "response": response,
        "public": public, "bobs_response": bobs_response,
    }  # fmt: skip


def test_the_export_holds_every_kind_of_drafting_data(story, alice):
    data = personal_data_export(user=alice)["drafting"]
    json.dumps(data)  # the download is JSON

    assert [(c["part"], c["text"], c["reply"]) for c in data["comments"]] == [
        ("Commitment 1.1", "Thirty days is too long.", False),
        ("Commitment 1.1", "Not for us.", True),
    ]
    assert (data["comments"][0]["quote"], data["comments"][0]["on_behalf_of"]) == ("30 days", "Lewisham Carers")
    [amendment] = data["amendments"]
    assert (amendment["statement"], amendment["status"], amendment["decision_reason"]) == (
        "We will pay within 14 days.", "Rejected", "Too soon for councils.",
    )  # fmt: skip
    assert [s["amendment_reason"] for s in data["amendments_supported"]] == ["Clearer."]
    assert [(r["reason"], r["dealt_with"]) for r in data["comments_reported"]] == [("Dismissive.", True)]
    assert sorted(i["round"] for i in data["consultation_invitations"]) == ["First", "Second", "Third"]
    responses = {r["round"]: r for r in data["consultation_responses"]}
    assert set(responses) == {"First", "Second"}  # by her account, and one made by the public link with her email
    assert responses["First"]["answers"] == [
        {"question": "Do you agree with the payment terms?", "scale": "Disagree", "text": "Pay within 14 days.",
         "outcome": "", "outcome_note": ""},
    ]  # fmt: skip
    assert (responses["Second"]["name"], responses["Second"]["answers"][0]["text"]) == ("A. Adams", "Faster, please.")
    assert data["outcome_notes_written"] == []


def test_the_export_holds_what_an_editor_wrote_about_feedback(story, convenor):
    answer = story["response"].answers.get()
    outcome_record(item=answer, actor=convenor, outcome="noted", note="For the action plan.")

    data = personal_data_export(user=convenor)["drafting"]

    assert [(n["on"], n["outcome"], n["note"]) for n in data["outcome_notes_written"]] == [
        ("amendment", "We did not change the text", "Too soon for councils."),
        ("comment", "We partly changed the text", "We will pay faster where we can."),
        ("consultation answer", "Noted for the action plan", "For the action plan."),
    ]
    assert [(h["part"], h["reason"]) for h in data["comments_hidden"]] == [("Commitment 1.1", "Off topic.")]


def test_erasing_removes_names_and_emails_and_keeps_the_contributions(client, story, alice, bob, convenor):
    answered, unanswered, closed = story["rounds"]

    user_erase(user=alice)

    for response in (story["response"], story["public"]):
        response.refresh_from_db()
        assert (response.name, response.email) == ("", "")
        assert response.answers.get().text  # the answer stays
    bobs = Response.objects.get(pk=story["bobs_response"].pk)
    assert (bobs.name, bobs.email) == ("Bob Jones", "bob@example.org")
    kept = Invitation.objects.filter(round__in=[answered, closed]).exclude(email="bob@example.org")
    assert sorted(i.email for i in kept) == sorted(f"erased-{alice.pk}-{i.pk}@erased.invalid" for i in kept)
    assert len(kept) == 2 and all(i.user_id is None for i in kept)
    assert not Invitation.objects.filter(round=unanswered).exists()  # its link and reminders stop
    assert Invitation.objects.filter(email="bob@example.org").exists()
    assert not Invitation.objects.filter(email__icontains="alice").exists()
    assert not Response.objects.filter(email__icontains="alice").exists()

    comment = Comment.objects.get(pk=story["comment"].pk)
    assert (comment.body, comment.author_id) == ("Thirty days is too long.", alice.pk)
    client.force_login(convenor)
    shown = page(client.get(reverse("block_discussion", args=[
        story["commitment"].document.partnership.slug, story["commitment"].document_id, story["commitment"].pk,
    ])))  # fmt: skip
    assert "Thirty days is too long." in shown and ERASED_NAME in shown and "Alice Adams" not in shown


def test_erasing_someone_with_no_drafting_data_changes_nothing_else(story, partnership):
    quiet = member(partnership, full_name="Quiet Person", email="quiet@example.org")
    before = list(Response.objects.values_list("name", "email").order_by("pk"))

    user_erase(user=quiet)

    assert list(Response.objects.values_list("name", "email").order_by("pk")) == before
    assert personal_data_export(user=quiet)["drafting"]["comments"] == []
