"""More of the consultation pages, as organisers and respondents use them: changing a round (its
version locked once people respond), adding and removing questions (refused after the first
response), inviting people by email and as an organisation's contacts, the "Send invitations" and
"Remind" buttons, the public link's limit per address, and what the analysis page shows: the
agree-scale figures, answers grouped into themes, response rates by organisation kind and
borough, and the organisations not heard from yet. Its queries do not grow with the responses."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from compact import theming
from compact.activity.notifications import KINDS, set_preferences
from compact.drafting import consultation, services
from compact.drafting.forms.rounds import round_initial
from compact.drafting.models import Invitation, Question, QuestionKind, Response, Round
from compact.drafting.services import invitations as invite_services
from compact.drafting.services import rounds as round_services
from compact.drafting.services.responses import About, Door, response_submit
from compact.drafting.views.responding import PUBLIC_LIMIT, TOO_MANY
from compact.geography.models import AreaKind
from compact.organisations.models import OrganisationKind
from compact.partnerships.models import Membership, Role

from ..factories import ERROR_SUMMARY, AreaFactory, OrganisationFactory, PartnershipOrganisationFactory, messages_shown
from . import rounds_helpers
from .conftest import hidden, page, textarea
from .test_round_views import fields, url

pytestmark = pytest.mark.django_db
consulting, round = rounds_helpers.consulting, rounds_helpers.round  # the fixtures, for pytest to find


@pytest.fixture
def member(people):
    return people[Role.MEMBER]


def round_data(round, **changes) -> dict:
    """The round form as it stands, with `changes`: what an organiser sends after editing it."""
    initial = round_initial(round)
    return {
        "title": initial["title"], "version": initial["version"], "introduction": initial["introduction"],
        "opens_on": initial["opens_on"].isoformat(), "opens_time": initial["opens_time"].strftime("%H:%M"),
        "closes_on": initial["closes_on"].isoformat(), "closes_time": initial["closes_time"].strftime("%H:%M"),
        "for_members": "on" if initial["for_members"] else "", "for_public": "on" if initial["for_public"] else "",
    } | changes  # fmt: skip


def answer_as_member(round, user, text="Pay us on time"):
    question = round.questions.get(kind=QuestionKind.TEXT, block=None)
    return response_submit(round=round, door=Door(user=user), answers={question.pk: {"text": text}})


def answer_publicly(round, key: str, *, text="", scale=None, about=None):
    answers = {}
    if text:
        answers[round.questions.get(kind=QuestionKind.TEXT, block=None).pk] = {"text": text}
    if scale:
        answers[round.questions.filter(kind=QuestionKind.AGREE).first().pk] = {"scale": str(scale)}
    return response_submit(round=round, door=Door(public=True), answers=answers, about=about, request_key=key)


# --- changing a round -------------------------------------------------------------------------


def test_an_organiser_changes_the_round_and_sees_it_saved(client, round, convenor):
    client.force_login(convenor)
    form = client.get(url("round_edit", round))
    assert hidden(form, "title") == "Consultation on draft 1"

    response = client.post(
        url("round_edit", round), round_data(round, title="Consultation on draft 1 (extended)", for_public=""),
        follow=True,
    )  # fmt: skip

    assert messages_shown(response) == ["Round updated"]
    changed = Round.objects.get(pk=round.pk)
    assert (changed.title, changed.for_public) == ("Consultation on draft 1 (extended)", False)
    assert "Public link" not in page(response)


def test_the_version_is_locked_once_someone_has_responded(client, round, convenor, member):
    second = services.version_cut(document=round.document, actor=convenor, name="Draft 2 with changes")
    client.force_login(convenor)
    before = client.post(url("round_edit", round), round_data(round, version=second.pk))
    assert before.status_code == 302  # nobody has responded yet: the version can still change
    assert Round.objects.get(pk=round.pk).version == second
    answer_as_member(round, member)
    first = round.document.versions.get(number=1)

    response = client.post(
        url("round_edit", round), round_data(round, version=first.pk, title="Back to draft 1", introduction="Why")
    )

    assert response.status_code == 200 and ERROR_SUMMARY in page(response)
    assert "People have already responded to this version, so it can no longer change" in page(response)
    assert hidden(response, "title") == "Back to draft 1" and textarea(response, "introduction") == "Why"
    kept = Round.objects.get(pk=round.pk)
    assert (kept.version, kept.title) == (second, "Consultation on draft 1")


def test_the_same_version_can_be_kept_while_other_details_change_after_responses(client, round, convenor, member):
    answer_as_member(round, member)
    client.force_login(convenor)
    later = round_initial(round)["closes_on"] + dt.timedelta(days=7)

    response = client.post(url("round_edit", round), round_data(round, closes_on=later.isoformat()), follow=True)

    assert messages_shown(response) == ["Round updated"]
    assert consultation.when(Round.objects.get(pk=round.pk).closes_at).startswith(f"{later.day} {later:%B %Y}")


def test_an_organisation_id_too_large_for_the_database_is_refused_on_the_page(client, consulting, convenor, food_bank):
    client.force_login(convenor)
    today = dt.date.today()
    data = {
        "title": "Round B", "version": consulting.versions.get().pk, "opens_on": today.isoformat(),
        "opens_time": "09:00", "closes_on": (today + dt.timedelta(days=9)).isoformat(), "closes_time": "17:00",
        "organisations": [str(food_bank.pk), "99999999999999999999"], "introduction": "Tell us",
    }  # fmt: skip

    response = client.post(reverse("round_create", args=[consulting.partnership.slug, consulting.pk]), data)

    assert response.status_code == 200 and ERROR_SUMMARY in page(response)
    assert "“99999999999999999999” is not a valid value" in page(response)
    assert textarea(response, "introduction") == "Tell us"
    assert not Round.objects.exists()


# --- questions --------------------------------------------------------------------------------


REMOVE_BUTTON = 'Remove<span class="govuk-visually-hidden"> question'


def test_an_organiser_adds_and_removes_questions_before_anyone_responds(client, round, convenor, areas):
    client.force_login(convenor)
    assert REMOVE_BUTTON in page(client.get(url("round_detail", round)))
    data = {"block": str(areas[1].pk), "kind": QuestionKind.TEXT, "text": "Which services should we fund first?"}

    added = client.post(url("round_question_add", round), data, follow=True)

    assert messages_shown(added) == ["Question added"]
    question = Question.objects.get(text="Which services should we fund first?")
    assert question.block == areas[1] and "Which services should we fund first?" in page(added)
    removed = client.post(url("round_question_remove", round, question.pk), follow=True)
    assert messages_shown(removed) == ["Question removed"]
    assert not Question.objects.filter(pk=question.pk).exists()
    assert "Which services should we fund first?" not in page(removed)


def test_a_question_that_is_not_one_line_is_refused_with_what_was_typed(client, round, convenor):
    client.force_login(convenor)

    response = client.post(url("round_question_add", round), {"block": "", "kind": "text", "text": "Two\nlines"})

    assert response.status_code == 400
    assert "Enter this on one line" in page(response) and hidden(response, "text") == "Two\nlines"
    assert not round.questions.filter(text__startswith="Two").exists()


def test_questions_cannot_be_added_or_removed_after_the_first_response(client, round, convenor, member):
    answer_as_member(round, member)
    client.force_login(convenor)
    detail = page(client.get(url("round_detail", round)))
    assert round_services.ANSWERED in detail
    assert "Add a question" not in detail and REMOVE_BUTTON not in detail
    count = round.questions.count()

    added = client.post(url("round_question_add", round), {"block": "", "kind": "text", "text": "One more?"})

    assert added.status_code == 400
    assert round_services.ANSWERED in page(added) and hidden(added, "text") == "One more?"
    question = round.questions.first()
    removed = client.post(url("round_question_remove", round, question.pk), follow=True)
    assert messages_shown(removed) == [round_services.ANSWERED]
    assert round.questions.count() == count


# --- inviting people --------------------------------------------------------------------------


@pytest.fixture
def boroughs(partnership):
    """Lewisham and Greenwich, the partnership's places."""
    lewisham = AreaFactory(name="Lewisham", kind=AreaKind.BOROUGH)
    greenwich = AreaFactory(name="Greenwich", kind=AreaKind.BOROUGH)
    partnership.places.add(lewisham, greenwich)
    return {"Lewisham": lewisham, "Greenwich": greenwich}


def organisation_in(partnership, name: str, kind: str, serves=()):
    organisation = OrganisationFactory(name=name, kind=kind)
    organisation.places_served.add(*serves)
    PartnershipOrganisationFactory(partnership=partnership, organisation=organisation)
    return organisation


@pytest.fixture
def food_bank(partnership, boroughs):
    return organisation_in(partnership, "Deptford Food Bank", OrganisationKind.VCSE, [boroughs["Lewisham"]])


@pytest.fixture
def trust(partnership, boroughs):
    return organisation_in(
        partnership, "Greenwich Health NHS Trust", OrganisationKind.NHS_TRUST, [boroughs["Greenwich"]]
    )


def test_addresses_that_are_not_emails_are_named_and_the_list_is_kept(client, round, convenor):
    client.force_login(convenor)
    typed = "ok@example.org\nJo Bloggs, not-an-email; @example.org"

    response = client.post(url("round_invite", round), {"emails": typed, "organisation": ""})

    assert response.status_code == 400 and ERROR_SUMMARY in page(response)
    assert "These are not email addresses: Jo Bloggs, not-an-email, @example.org" in page(response)
    assert textarea(response, "emails") == typed
    assert not Invitation.objects.exists()


def test_an_organisations_contacts_are_invited_and_can_respond_on_its_behalf(client, round, convenor, food_bank):
    client.force_login(convenor)

    added = client.post(
        url("round_invite", round), {"emails": "chair@food.example, Manager@food.example", "organisation": food_bank.pk},
        follow=True,
    )  # fmt: skip

    assert messages_shown(added) == ["2 people added. Send the invitations when you are ready."]
    invitations = Invitation.objects.filter(round=round).order_by("email")
    assert [(i.email, i.organisation) for i in invitations] == [
        ("Manager@food.example", food_bank), ("chair@food.example", food_bank),
    ]  # fmt: skip
    assert page(added).count("Deptford Food Bank") >= 2  # the "For" column of each
    again = client.post(url("round_invite", round), {"emails": "chair@food.example", "organisation": ""}, follow=True)
    assert messages_shown(again) == ["0 people added. Send the invitations when you are ready."]
    client.logout()
    link = reverse("round_invited", args=[consultation.invitation_token(invitations[1])])
    assert "Deptford Food Bank" in page(client.get(link))  # "Who are you responding for?" names it
    names = fields(round)
    assert client.post(link, {names["text"]: "Fund us for 3 years", "responding_as": "organisation"}).status_code == 302
    response = Response.objects.get()
    assert (response.on_behalf_of, response.organisation_kind, response.email) == (
        food_bank, OrganisationKind.VCSE, "chair@food.example",
    )  # fmt: skip


def test_an_organisation_outside_the_partnership_cannot_be_chosen(client, round, convenor):
    client.force_login(convenor)
    elsewhere = OrganisationFactory(name="Far Away Trust")

    response = client.post(url("round_invite", round), {"emails": "a@example.org", "organisation": elsewhere.pk})

    assert response.status_code == 400 and "Select a valid choice" in page(response)
    assert textarea(response, "emails") == "a@example.org"
    assert not Invitation.objects.exists()


# --- sending and reminding --------------------------------------------------------------------


def recipients_of(outbox) -> set[str]:
    return {message.to[0] for message in outbox}


def members_of(people) -> set[str]:
    return {person.email for key, person in people.items() if key != "outsider"}


def test_send_invitations_emails_every_member_and_the_people_added(
    client, round, convenor, people, django_capture_on_commit_callbacks
):
    invite_services.invitations_add(round=round, actor=convenor, emails="contact@example.org")
    client.force_login(convenor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("round_send", round), follow=True)

    everyone = members_of(people) | {"contact@example.org"}
    assert messages_shown(response) == [f"{len(everyone)} invitations sent"]
    assert recipients_of(mail.outbox) == everyone and len(mail.outbox) == len(everyone)
    assert all("respond here: http" in message.body for message in mail.outbox)
    assert "Not sent yet" not in page(response) and "Invited " in page(response)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url("round_send", round), follow=True)
    assert messages_shown(again) == ["0 invitations sent"] and len(mail.outbox) == len(everyone)


def test_a_member_who_turned_invitations_off_is_not_emailed(
    client, round, convenor, member, people, django_capture_on_commit_callbacks
):
    set_preferences(user=member, enabled=set(KINDS) - {invite_services.INVITED})
    client.force_login(convenor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("round_send", round), follow=True)

    assert member.email not in recipients_of(mail.outbox)
    assert recipients_of(mail.outbox) == members_of(people) - {member.email}
    assert messages_shown(response) == [f"{len(mail.outbox)} invitations sent"]


def test_remind_goes_to_those_who_have_not_responded_and_not_twice_in_a_day(
    client, round, convenor, member, people, django_capture_on_commit_callbacks
):
    client.force_login(convenor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("round_send", round), follow=True)
    answer_as_member(round, member)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reminded = client.post(url("round_remind", round), follow=True)

    waiting = members_of(people) - {member.email}
    assert messages_shown(reminded) == [f"{len(waiting)} reminders sent"]
    assert recipients_of(mail.outbox) == waiting
    assert all(message.subject.startswith("Closes ") for message in mail.outbox)
    assert ", reminded " in page(reminded)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url("round_remind", round), follow=True)
    [shown] = messages_shown(again)
    assert shown.startswith("A reminder went on ") and "Wait a day before sending another" in shown
    assert len(mail.outbox) == len(waiting)


def test_invitations_cannot_be_sent_once_the_round_has_closed(client, round, convenor):
    Round.objects.filter(pk=round.pk).update(closes_at=round.opens_at + dt.timedelta(minutes=30))
    client.force_login(convenor)

    response = client.post(url("round_send", round), follow=True)

    assert messages_shown(response) == ["This round has closed, so invitations would arrive too late."]
    assert not Invitation.objects.exists() and not mail.outbox
    assert "Send invitations" not in page(response)


# --- responding -------------------------------------------------------------------------------


def test_the_public_link_takes_a_limited_number_of_responses_an_hour_from_one_address(client, round, monkeypatch):
    monkeypatch.setattr("compact.workshops.services.ideas.clock", lambda: 1_800_000_000.0)
    link = reverse("round_public", args=[round.public_key])
    names = fields(round)
    office = {"REMOTE_ADDR": "203.0.113.7"}
    for number in range(PUBLIC_LIMIT):
        sent = client.post(link, {names["text"]: f"Response {number}", "responding_as": "self"}, **office)
        assert sent.status_code == 302, number

    refused = client.post(link, {names["text"]: "One too many", "responding_as": "self"}, **office)

    assert refused.status_code == 429
    assert TOO_MANY in page(refused) and textarea(refused, names["text"]) == "One too many"
    assert Response.objects.count() == PUBLIC_LIMIT
    elsewhere = client.post(link, {names["text"]: "From home", "responding_as": "self"}, REMOTE_ADDR="198.51.100.2")
    assert elsewhere.status_code == 302 and Response.objects.count() == PUBLIC_LIMIT + 1


def test_a_member_whose_membership_names_no_organisation_can_name_the_one_they_respond_for(client, round, member):
    assert Membership.objects.get(user=member).organisation is None
    client.force_login(member)
    form = client.get(url("round_respond", round))
    assert "Organisation name" in page(form)  # the form asks for it
    names = fields(round)

    response = client.post(url("round_respond", round), {
        names["text"]: "Fund core costs", "responding_as": "organisation",
        "organisation_name": "Lewisham Youth Theatre", "organisation_kind": OrganisationKind.VCSE,
    })  # fmt: skip

    assert response.status_code == 302
    saved = Response.objects.get(respondent=member)
    assert (saved.speaks_for, saved.organisation_kind) == ("Lewisham Youth Theatre", OrganisationKind.VCSE)


def test_a_member_speaks_for_the_organisation_their_membership_names(client, round, member, food_bank):
    Membership.objects.filter(user=member).update(organisation=food_bank)
    client.force_login(member)
    form = client.get(url("round_respond", round))
    assert "Organisation name" not in page(form) and "Deptford Food Bank" in page(form)
    names = fields(round)

    client.post(url("round_respond", round), {names["text"]: "Fund core costs", "responding_as": "organisation"})

    assert Response.objects.get(respondent=member).on_behalf_of == food_bank


# --- the analysis -----------------------------------------------------------------------------


def table_rows(content: str, caption: str) -> list[list[str]]:
    """The body rows of the table with `caption`, each as its cells' text."""
    table = re.search(r"<table[^>]*>\s*<caption[^>]*>" + re.escape(caption) + r"</caption>(.*?)</table>", content, re.S)
    assert table, caption
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", table.group(1), re.S).group(1)
    return [
        [" ".join(strip_tags(cell).split()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def analysis_of(client, round, convenor) -> str:
    client.force_login(convenor)
    response = client.get(url("round_analysis", round))
    assert response.status_code == 200
    return page(response)


def test_the_agree_scale_shows_how_many_chose_each_answer_and_their_share(client, round, convenor):
    for number, scale in enumerate([5, 4, 4, 1]):
        answer_publicly(round, f"k{number}", scale=scale)
    question = round.questions.filter(kind=QuestionKind.AGREE).first()

    content = analysis_of(client, round, convenor)

    assert table_rows(content, f"Answers to: {question.text}") == [
        ["Strongly agree", "1", "25%"], ["Agree", "2", "50%"], ["Neither agree nor disagree", "0", "0%"],
        ["Disagree", "0", "0%"], ["Strongly disagree", "1", "25%"],
    ]  # fmt: skip
    assert "75% agree or strongly agree, of 4 who answered." in content
    assert "4 responses: 0 from members, 0 by invitation, 4 through the public link." in content


WORDS = [
    "Pay small charities within thirty days", "Pay invoices to small charities on time",
    "Fund core costs for three years", "Fund core costs, not only projects",
]  # fmt: skip


def test_text_answers_are_listed_until_there_are_enough_to_group_into_themes(client, round, convenor):
    for number, text in enumerate(WORDS[:3]):
        answer_publicly(round, f"k{number}", text=text)

    listed = analysis_of(client, round, convenor)

    assert "What people said, by theme" in listed and "grouped by" not in listed
    assert all(f"<q>{text}</q>" in listed for text in WORDS[:3])
    answer_publicly(round, "k3", text=WORDS[3])
    grouped = analysis_of(client, round, convenor)
    how = "a language model" if theming.embedding_backend().is_semantic else "the words they share"
    assert f"4 answers and comments, grouped by {how}" in grouped
    themes = re.findall(r'<details class="govuk-details">(.*?)</details>', grouped, re.S)
    assert len(themes) >= 2
    assert sorted(text for theme in themes for text in re.findall(r"<q>(.*?)</q>", theme)) == sorted(WORDS)


def test_response_rates_by_organisation_kind_and_borough_and_who_has_not_been_heard(
    client, round, convenor, member, boroughs, food_bank, trust
):
    invite_services.invitations_add(round=round, actor=convenor, emails="a@food.example, b@food.example",
                                    organisation=food_bank)  # fmt: skip
    invite_services.invitations_add(round=round, actor=convenor, emails="c@trust.example", organisation=trust)
    question = round.questions.get(kind=QuestionKind.TEXT, block=None)
    response_submit(round=round, door=Door(invitation=Invitation.objects.get(email="a@food.example")),
                    answers={question.pk: {"text": "More grants"}}, about=About(on_behalf=True))  # fmt: skip
    answer_publicly(round, "council", text="Share the data", about=About(
        on_behalf=True, organisation_name="Lewisham Council", organisation_kind=OrganisationKind.LOCAL_AUTHORITY,
        borough=boroughs["Lewisham"],
    ))  # fmt: skip
    answer_as_member(round, member)

    content = analysis_of(client, round, convenor)

    assert table_rows(content, "Responses by organisation kind") == [
        ["NHS trust", "0", "1", "0 (0%)"], ["Local authority", "1", "0", "None invited"],
        ["VCSE organisation", "1", "2", "1 (50%)"], ["Individuals, or not known", "1", "0", "None invited"],
    ]  # fmt: skip
    assert table_rows(content, "Responses by borough") == [
        ["Greenwich Not heard yet", "0", "1", "0 (0%)"], ["Lewisham", "1", "2", "1 (50%)"],
        ["Not given", "2", "0", "None invited"],
    ]  # fmt: skip
    heard = content.split("Invited organisations not heard from yet</h3>")[1].split("</ul>")[0]
    assert "Greenwich Health NHS Trust" in heard and "Deptford Food Bank" not in heard


def test_the_analysis_page_asks_the_database_the_same_number_of_times_for_5_or_50_responses(
    client, round, convenor, boroughs, food_bank, django_assert_max_num_queries
):
    def respond(start: int, stop: int) -> None:
        for number in range(start, stop):
            invite_services.invitations_add(round=round, actor=convenor, emails=f"p{number}@food.example",
                                            organisation=food_bank)  # fmt: skip
            invitation = Invitation.objects.get(email=f"p{number}@food.example")
            response_submit(round=round, door=Door(invitation=invitation), answers={
                question.pk: {"text": f"Answer number {number} about funding"} for question in text_questions
            }, about=About(on_behalf=number % 2 == 0, borough=boroughs["Lewisham"]))  # fmt: skip
            answer_publicly(round, f"k{number}", text=f"Public view {number}", scale=number % 5 + 1)

    text_questions = list(round.questions.filter(kind=QuestionKind.TEXT))
    respond(0, 5)
    client.force_login(convenor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("round_analysis", round)).status_code == 200
    respond(5, 50)

    with django_assert_max_num_queries(len(few)):
        many = client.get(url("round_analysis", round))

    assert many.status_code == 200 and "100 responses" in page(many)
