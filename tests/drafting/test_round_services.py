"""Consultation rounds through their services: setting one up, questions, invitations and
reminders by email, and responses through each door, refused before opening and after closing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compact.drafting import consultation
from compact.drafting.models import Invitation, QuestionKind, Response
from compact.drafting.services import invitations as invite_services
from compact.drafting.services import rounds as round_services
from compact.drafting.services.responses import About, Door, ResponseRefused, response_submit
from compact.partnerships.models import Role

from . import rounds_helpers
from .rounds_helpers import open_round

pytestmark = pytest.mark.django_db

consulting, round = rounds_helpers.consulting, rounds_helpers.round  # the fixtures, for pytest to find


def agree_question(round):
    return round.questions.filter(kind=QuestionKind.AGREE).first()


def text_question(round):
    return round.questions.filter(kind=QuestionKind.TEXT, block=None).first()


def test_a_round_asks_how_far_people_agree_and_what_they_would_change_for_each_key_area(round, areas):
    questions = list(round.questions.order_by("position"))
    assert [(q.block_id, q.kind) for q in questions] == [
        (areas[0].pk, "agree"), (areas[0].pk, "text"), (areas[1].pk, "agree"), (areas[1].pk, "text"), (None, "text"),
    ]  # fmt: skip
    assert "Sustainability and funding" in questions[0].text


def test_a_round_needs_an_audience_and_a_closing_date_after_opening(consulting, convenor):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        open_round(consulting, convenor, for_members=False, for_public=False, closes_at=now - dt.timedelta(days=1))
    assert "Choose who can respond" in str(error.value.message_dict["for_members"])
    assert "after the opening date" in str(error.value.message_dict["closes_at"])


def test_only_organisers_set_up_rounds_and_only_at_consultation(consulting, document, people, convenor):
    with pytest.raises(PermissionDenied):
        open_round(consulting, people[Role.MEMBER])
    from compact.processes.models import StageKind

    from .conftest import set_stage

    set_stage(document.process, StageKind.DRAFTING)
    with pytest.raises(PermissionDenied):
        open_round(type(document).objects.get(pk=document.pk), convenor)


def test_a_member_responds_and_can_change_the_response_until_closing(round, people):
    member = people[Role.MEMBER]
    door = Door(user=member)
    first = response_submit(round=round, door=door, answers={agree_question(round).pk: {"scale": "4"}})
    again = response_submit(
        round=round,
        door=door,
        answers={agree_question(round).pk: {"scale": "2"}, text_question(round).pk: {"text": "More on funding"}},
    )
    assert again.pk == first.pk
    assert sorted((a.scale or 0, a.text) for a in again.answers.all()) == [(0, "More on funding"), (2, "")]
    assert again.name == member.full_name and again.email == member.email


def test_a_response_with_nothing_answered_is_refused_with_a_reason(round, people):
    with pytest.raises(ValidationError) as error:
        response_submit(round=round, door=Door(user=people[Role.MEMBER]), answers={})
    assert "Answer at least one question" in str(error.value)
    assert not Response.objects.exists()


def test_a_scale_answer_outside_the_scale_is_refused(round, people):
    question = agree_question(round)
    with pytest.raises(ValidationError) as error:
        response_submit(round=round, door=Door(user=people[Role.MEMBER]), answers={question.pk: {"scale": "9"}})
    assert error.value.message_dict[f"q{question.pk}"] == ["Choose one of the answers on the scale"]


@pytest.mark.parametrize("moment, words", [(-2, "opens on"), (+2, "closed on")])
def test_late_and_early_responses_are_refused_with_the_date(round, people, moment, words):
    now = timezone.now() + dt.timedelta(days=moment * 10)
    with pytest.raises(ResponseRefused) as refused:
        response_submit(round=round, door=Door(public=True), answers={text_question(round).pk: {"text": "Hi"}}, now=now)
    assert words in str(refused.value)
    assert not Response.objects.exists()


def test_a_response_after_the_process_moved_on_is_refused(round, document):
    from compact.processes.models import StageKind

    from .conftest import set_stage

    set_stage(document.process, StageKind.SIGN_OFF)
    with pytest.raises(ResponseRefused) as refused:
        response_submit(round=round, door=Door(public=True), answers={text_question(round).pk: {"text": "Hi"}})
    assert "moved on from consultation" in str(refused.value)


def test_outsiders_cannot_use_the_members_door(round, people):
    with pytest.raises(PermissionDenied):
        response_submit(
            round=round, door=Door(user=people["outsider"]), answers={text_question(round).pk: {"text": "x"}}
        )


def test_the_public_door_is_shut_when_the_round_is_not_for_the_public(consulting, convenor):
    round = open_round(consulting, convenor, for_public=False)
    with pytest.raises(PermissionDenied):
        response_submit(round=round, door=Door(public=True), answers={text_question(round).pk: {"text": "x"}})


def test_a_public_response_on_behalf_of_an_organisation_records_its_name_kind_and_borough(round):
    response = response_submit(
        round=round, door=Door(public=True), answers={text_question(round).pk: {"text": "Fund core costs"}},
        about=About(name="Sam", email="sam@example.org", on_behalf=True, organisation_name="Lewisham Refugee Network",
                    organisation_kind="vcse"),
        request_key="k1",
    )  # fmt: skip
    assert (response.speaks_for, response.organisation_kind, response.name) == (
        "Lewisham Refugee Network",
        "vcse",
        "Sam",
    )
    again = response_submit(
        round=round,
        door=Door(public=True),
        answers={text_question(round).pk: {"text": "Fund core costs"}},
        request_key="k1",
    )
    assert again.pk == response.pk and Response.objects.count() == 1


def test_on_behalf_of_an_organisation_needs_its_name_and_kind(round):
    with pytest.raises(ValidationError) as error:
        response_submit(round=round, door=Door(public=True), answers={text_question(round).pk: {"text": "x"}},
                        about=About(on_behalf=True))  # fmt: skip
    assert set(error.value.message_dict) == {"organisation_name", "organisation_kind"}


def test_invitations_go_to_every_member_once_each_with_a_link_of_their_own(
    round, people, convenor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = invite_services.invitations_send(round=round, actor=convenor)
    members = [p for key, p in people.items() if key != "outsider"]
    assert sent == len(members) == len(mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in members)
    links = {m.body.split("respond here: ")[1].split()[0] for m in mail.outbox}
    assert len(links) == len(members)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_services.invitations_send(round=round, actor=convenor) == 0
    assert len(mail.outbox) == len(members)


def test_an_invitation_link_opens_its_own_invitation_and_an_altered_one_opens_nothing(round, convenor):
    invite_services.invitations_add(round=round, actor=convenor, emails="a@example.org, b@example.org")
    invitation = Invitation.objects.get(email="a@example.org")
    token = consultation.invitation_token(invitation)
    assert consultation.invitation_from_token(token) == invitation
    assert consultation.invitation_from_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert consultation.invitation_from_token(f"{invitation.pk + 1}:{token.split(':')[1]}") is None


def test_pasted_addresses_that_are_not_emails_are_named_in_the_error(round, convenor):
    with pytest.raises(ValidationError) as error:
        invite_services.invitations_add(round=round, actor=convenor, emails="ok@example.org\nnot-an-email")
    assert "not-an-email" in error.value.message_dict["emails"][0]
    assert not Invitation.objects.exists()


def test_a_reminder_goes_only_to_those_who_have_not_responded_and_not_twice_in_a_day(
    round, convenor, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite_services.invitations_send(round=round, actor=convenor)
    response_submit(round=round, door=Door(user=people[Role.MEMBER]), answers={text_question(round).pk: {"text": "x"}})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = invite_services.reminders_send(round=round, actor=convenor)
    assert people[Role.MEMBER].email not in {m.to[0] for m in mail.outbox}
    assert count == len(mail.outbox) == len(people) - 2  # less the outsider and the member who responded
    with pytest.raises(ValidationError) as error:
        invite_services.reminders_send(round=round, actor=convenor)
    assert "Wait a day" in str(error.value)


def test_the_automatic_reminder_goes_once_two_days_before_closing(round, convenor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite_services.invitations_send(round=round, actor=convenor)
    mail.outbox.clear()
    assert invite_services.send_due_reminders(now=timezone.now()) == 0  # a week to go
    soon = round.closes_at - dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_services.send_due_reminders(now=soon) == 1
    assert mail.outbox and "closes" in mail.outbox[0].subject.lower()
    assert invite_services.send_due_reminders(now=soon) == 0


def test_questions_cannot_change_once_people_have_responded(round, convenor, people):
    response_submit(round=round, door=Door(user=people[Role.MEMBER]), answers={text_question(round).pk: {"text": "x"}})
    with pytest.raises(ValidationError) as error:
        round_services.question_add(round=round, actor=convenor, kind="text", text="Another?")
    assert "already responded" in str(error.value)


def test_someone_who_turned_invitations_off_is_not_marked_as_invited(round, convenor, people):
    from compact.activity.notifications import set_preferences

    member = people[Role.MEMBER]
    set_preferences(user=member, enabled=set())
    invite_services.invitations_send(round=round, actor=convenor)
    assert Invitation.objects.get(user=member).sent_at is None
    assert Invitation.objects.get(user=convenor).sent_at is not None


def test_a_name_too_long_is_refused_not_cut_short(round):
    with pytest.raises(ValidationError) as error:
        response_submit(round=round, door=Door(public=True), answers={text_question(round).pk: {"text": "x"}},
                        about=About(name="N" * 201))  # fmt: skip
    assert "200 characters" in error.value.message_dict["name"][0]
    assert not Response.objects.exists()


def test_the_rounds_a_member_can_answer_cost_the_same_for_one_round_or_many(
    consulting, convenor, people, django_assert_max_num_queries
):
    rounds = [open_round(consulting, convenor, title=f"Round {n}") for n in range(6)]
    with django_assert_max_num_queries(2):  # the membership, and the process's stage
        answered = consultation.answerable_now(consulting, rounds, people[Role.OBSERVER])
    assert answered == {r.pk for r in rounds}
    assert consultation.answerable_now(consulting, rounds, people["outsider"]) == set()
