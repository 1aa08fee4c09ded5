"""Consultation pages: setting up a round, its page for editors, responding through each door
(nothing typed is lost when a response is refused), and the analysis."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.drafting import consultation
from compact.drafting.models import Invitation, QuestionKind, Response, Round
from compact.drafting.services import invitations as invite_services
from compact.partnerships.models import Role

from . import rounds_helpers
from .conftest import page, textarea

pytestmark = pytest.mark.django_db

consulting, round = rounds_helpers.consulting, rounds_helpers.round  # the fixtures, for pytest to find


def url(name, round, *more):
    return reverse(name, args=[round.document.partnership.slug, round.document_id, round.pk, *more])


def fields(round) -> dict:
    agree = round.questions.filter(kind=QuestionKind.AGREE).first()
    text = round.questions.filter(kind=QuestionKind.TEXT, block=None).first()
    return {"agree": f"q{agree.pk}", "text": f"q{text.pk}"}


def test_an_organiser_sets_up_a_round_on_a_saved_version(client, consulting, convenor):
    client.force_login(convenor)
    version = consulting.versions.get()
    today = timezone.localdate()
    response = client.post(
        reverse("round_create", args=[consulting.partnership.slug, consulting.pk]),
        {
            "title": "Consultation on draft 1", "version": version.pk, "opens_on": today.isoformat(),
            "opens_time": "00:00", "closes_on": (today + dt.timedelta(days=14)).isoformat(), "closes_time": "17:00",
            "for_members": "on", "for_public": "on",
        },
    )  # fmt: skip
    round = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == url("round_detail", round)
    detail = client.get(url("round_detail", round))
    assert "Public link" in page(detail) and round.public_key in page(detail)
    assert "How far do you agree with the commitments under" in page(detail)


def test_a_round_whose_closing_is_before_opening_keeps_what_was_typed(client, consulting, convenor):
    client.force_login(convenor)
    response = client.post(
        reverse("round_create", args=[consulting.partnership.slug, consulting.pk]),
        {"title": "Round A", "version": consulting.versions.get().pk, "opens_on": "2027-03-10", "opens_time": "09:00",
         "closes_on": "2027-03-01", "closes_time": "17:00", "for_members": "on", "introduction": "Please tell us"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The closing date must be after the opening date" in page(response)
    assert textarea(response, "introduction") == "Please tell us"
    assert not Round.objects.exists()


def test_a_member_reads_the_version_answers_and_sees_the_confirmation(client, round, people):
    member = people[Role.MEMBER]
    client.force_login(member)
    names = fields(round)
    respond = url("round_respond", round)
    form = client.get(respond)
    assert form.status_code == 200 and "Sustainability and funding" in page(form)
    response = client.post(respond, {names["agree"]: "5", names["text"]: "Pay us on time", "responding_as": "self"})
    assert response.status_code == 302
    assert "Response sent" in page(client.get(response["Location"]))
    saved = Response.objects.get(respondent=member)
    assert {(a.scale, a.text) for a in saved.answers.all()} == {(5, ""), (None, "Pay us on time")}
    again = client.get(respond)
    assert "sending again replaces your earlier response" in page(again)
    assert textarea(again, names["text"]) == "Pay us on time"


def test_a_late_response_is_refused_and_the_answers_stay_on_the_page(client, round, people):
    client.force_login(people[Role.MEMBER])
    names = fields(round)
    Round.objects.filter(pk=round.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1),
                                             opens_at=timezone.now() - dt.timedelta(days=3))  # fmt: skip
    response = client.post(url("round_respond", round), {names["text"]: "My long answer", "responding_as": "self"})
    assert response.status_code == 403
    assert "This consultation closed on" in page(response)
    assert textarea(response, names["text"]) == "My long answer"
    assert not Response.objects.exists()


def test_the_public_link_takes_a_response_without_an_account(client, round):
    names = fields(round)
    link = reverse("round_public", args=[round.public_key])
    assert client.get(link).status_code == 200
    response = client.post(link, {names["text"]: "<script>alert(1)</script>", "responding_as": "organisation",
                                  "organisation_name": "Deptford Food Bank", "organisation_kind": "vcse"})  # fmt: skip
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.organisation_name == "Deptford Food Bank" and saved.respondent is None
    assert client.get(reverse("round_public", args=["not-the-key"])).status_code == 404


def test_an_invitation_link_works_without_signing_in_and_counts_in_the_rates(client, round, convenor):
    invite_services.invitations_add(round=round, actor=convenor, emails="contact@example.org")
    invitation = Invitation.objects.get()
    link = reverse("round_invited", args=[consultation.invitation_token(invitation)])
    names = fields(round)
    assert client.post(link, {names["agree"]: "2", "responding_as": "self"}).status_code == 302
    assert Response.objects.get().invitation == invitation
    client.force_login(convenor)
    analysis = client.get(url("round_analysis", round))
    assert analysis.status_code == 200
    assert "Strongly disagree" in page(analysis) and "1 by invitation" in page(analysis)


def test_members_cannot_see_the_round_page_or_analysis(client, round, people):
    client.force_login(people[Role.MEMBER])
    assert client.get(url("round_detail", round)).status_code == 403
    assert client.get(url("round_analysis", round)).status_code == 403
    listing = client.get(reverse("round_list", args=[round.document.partnership.slug, round.document_id]))
    assert url("round_respond", round) in page(listing)
