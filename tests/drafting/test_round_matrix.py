"""Who may run, watch and answer a consultation round, in which stage: every role, in the two
stages the text is open (drafting, consultation) and two where it is frozen (sign-off, and
"closed" once every stage is done). The round is set up at consultation through the services,
then the process is moved to the stage under test.

The expected answers are written out by hand from the brief, never read from the rules:
- setting up or changing a round, and sending its invitations: editors (convenor, facilitator),
  only at consultation;
- the round's page and its analysis: editors, in any stage;
- the members' door: anyone in the partnership, whatever their role, while the stage is
  consultation (outside it the page says why and a response is refused, with nothing saved);
- the public and invitation doors: anyone with the link, only at consultation.

302 for the anonymous public is the sign-in redirect (the public and invitation doors need no
account); 404 for outsiders (nothing leaks about another partnership's documents); 403 for a
member whose role or the stage refuses; for POST, 302 from those allowed means saved.
Columns: drafting, consultation, sign_off, closed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.drafting import consultation
from compact.drafting.models import Invitation, Response, Round
from compact.drafting.services import invitations as invite_services

from . import rounds_helpers
from . import test_permissions_matrix as matrix
from .conftest import page, set_stage, textarea
from .test_permissions_matrix import ROLES, STAGES, assert_answer, cells, sign_in
from .test_round_views import fields, url

pytestmark = pytest.mark.django_db
consulting, round = rounds_helpers.consulting, rounds_helpers.round  # the fixtures, for pytest to find
cast = matrix.cast  # the same people as the document's matrix: one per role, an outsider, the public

MEMBERS = ("convenor", "facilitator", "member", "observer")

# fmt: off
PAGES = {
    "set_up_page": {  # GET round_create
        "convenor": "403 200 403 403", "facilitator": "403 200 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "set_up": {  # POST round_create
        "convenor": "403 302 403 403", "facilitator": "403 302 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "change_page": {  # GET round_edit
        "convenor": "403 200 403 403", "facilitator": "403 200 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "send": {  # POST round_send: the "Send invitations" button
        "convenor": "403 302 403 403", "facilitator": "403 302 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "round_page": {  # GET round_detail
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "analysis": {  # GET round_analysis
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "respond_page": {  # GET round_respond: outside consultation the page explains the refusal
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "200 200 200 200",
        "observer": "200 200 200 200", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "respond": {  # POST round_respond
        "convenor": "403 302 403 403", "facilitator": "403 302 403 403", "member":    "403 302 403 403",
        "observer": "403 302 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
}

# The doors that need no account: the same for everyone who holds the link.
DOORS = {
    "public_page":  "200 200 200 200",
    "public":       "403 302 403 403",
    "invited_page": "200 200 200 200",
    "invited":      "403 302 403 403",
}
# fmt: on


def door_cells():
    return [
        pytest.param(name, stage, codes.split()[column], id=f"{name}-{stage}")
        for name, codes in DOORS.items()
        for column, stage in enumerate(STAGES)
    ]


def at(round, stage: str) -> Round:
    """The round (set up at consultation), after the process moved to `stage`."""
    set_stage(round.document.process, stage)
    return Round.objects.select_related("document__partnership").get(pk=round.pk)


def document_url(name, round):
    return reverse(name, args=[round.document.partnership.slug, round.document_id])


def new_round_data(round) -> dict:
    today = timezone.localdate()
    return {
        "title": "Second round", "version": round.version_id, "opens_on": today.isoformat(), "opens_time": "00:00",
        "closes_on": (today + dt.timedelta(days=14)).isoformat(), "closes_time": "17:00", "for_members": "on",
    }  # fmt: skip


def test_the_tables_cover_every_role_and_stage():
    for row in PAGES.values():
        assert set(row) == set(ROLES)
        assert all(len(codes.split()) == len(STAGES) for codes in row.values())
    assert all(len(codes.split()) == len(STAGES) for codes in DOORS.values())


# --- setting up and running a round -----------------------------------------------------------


@pytest.mark.parametrize("name, role, stage, expected", cells({"set_up_page": PAGES["set_up_page"]}))
def test_the_set_up_page(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)

    response = client.get(document_url("round_create", staged))

    assert_answer(response, expected, role)
    if expected == "200":
        assert "Set up a consultation round" in page(response)


@pytest.mark.parametrize("name, role, stage, expected", cells({"set_up": PAGES["set_up"]}))
def test_setting_up_a_round(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)

    response = client.post(document_url("round_create", staged), new_round_data(staged))

    assert_answer(response, expected, role)
    made = Round.objects.filter(title="Second round").first()
    if expected == "302" and role != "anonymous":
        assert made is not None and response["Location"] == url("round_detail", made)
        assert made.created_by == cast[role]
    else:
        assert made is None


@pytest.mark.parametrize("name, role, stage, expected", cells({"change_page": PAGES["change_page"]}))
def test_the_change_page(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)

    response = client.get(url("round_edit", staged))

    assert_answer(response, expected, role)
    if expected == "200":
        assert f"Change {staged.title}" in page(response)


@pytest.mark.parametrize("name, role, stage, expected", cells({"send": PAGES["send"]}))
def test_sending_the_invitations(client, cast, round, stage, name, role, expected, django_capture_on_commit_callbacks):
    staged = at(round, stage)
    sign_in(client, cast, role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("round_send", staged))

    assert_answer(response, expected, role)
    sent = Invitation.objects.filter(round=staged).exclude(sent_at=None)
    if expected == "302" and role != "anonymous":
        assert response["Location"] == url("round_detail", staged) + "#invitations"
        assert sent.count() == len(MEMBERS)
    else:
        assert not sent.exists()


@pytest.mark.parametrize("name, role, stage, expected", cells({"round_page": PAGES["round_page"]}))
def test_the_round_page(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)

    response = client.get(url("round_detail", staged))

    assert_answer(response, expected, role)
    if expected == "200":
        content = page(response)
        assert staged.title in content and "Invitations" in content
        runs = stage == "consultation"  # the buttons that change the round appear only while it can be run
        assert ("Send invitations" in content) is runs
        assert (url("round_edit", staged) in content) is runs


@pytest.mark.parametrize("name, role, stage, expected", cells({"analysis": PAGES["analysis"]}))
def test_the_analysis(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)

    response = client.get(url("round_analysis", staged))

    assert_answer(response, expected, role)
    if expected == "200":
        assert "Responses and analysis" in page(response) and "Who has been heard" in page(response)


# --- the members' door ------------------------------------------------------------------------


@pytest.mark.parametrize("name, role, stage, expected", cells({"respond_page": PAGES["respond_page"]}))
def test_the_members_response_page(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)

    response = client.get(url("round_respond", staged))

    assert_answer(response, expected, role)
    if expected != "200":
        return
    content = page(response)
    if stage == "consultation":
        assert "Send your response" in content and consultation.STAGE_OVER not in content
    else:
        assert "You cannot respond now" in content and consultation.STAGE_OVER in content
        assert "Send your response" not in content


@pytest.mark.parametrize("name, role, stage, expected", cells({"respond": PAGES["respond"]}))
def test_responding_through_the_members_door(client, cast, round, stage, name, role, expected):
    staged = at(round, stage)
    sign_in(client, cast, role)
    field = fields(staged)["text"]

    response = client.post(url("round_respond", staged), {field: "Fund core costs", "responding_as": "self"})

    assert_answer(response, expected, role)
    if expected == "302" and role != "anonymous":
        assert response["Location"] == url("round_respond", staged) + "?sent=1"
        saved = Response.objects.get(round=staged)
        assert saved.respondent == cast[role]
        assert [a.text for a in saved.answers.all()] == ["Fund core costs"]
        return
    assert not Response.objects.exists()
    if expected == "403" and role in MEMBERS:
        assert "Your response was not sent" in page(response) and consultation.STAGE_OVER in page(response)
        assert textarea(response, field) == "Fund core costs"


# --- the doors that need no account -----------------------------------------------------------


@pytest.fixture
def links(round, convenor):
    """The round's public link, and an invitation link for someone outside the partnership."""
    invite_services.invitations_add(round=round, actor=convenor, emails="contact@example.org")
    invitation = Invitation.objects.get(round=round)
    return {
        "public": reverse("round_public", args=[round.public_key]),
        "invited": reverse("round_invited", args=[consultation.invitation_token(invitation)]),
    }


@pytest.mark.parametrize("name, stage, expected", door_cells())
def test_the_public_and_invitation_doors(client, round, links, name, stage, expected):
    made = at(round, stage)
    link = links[name.removesuffix("_page")]
    field = fields(made)["text"]

    if name.endswith("_page"):
        response = client.get(link)
        assert response.status_code == int(expected)
        content = page(response)
        if stage == "consultation":
            assert "Send your response" in content
        else:
            assert consultation.STAGE_OVER in content and "Send your response" not in content
        return

    response = client.post(link, {field: "Open on Saturdays", "responding_as": "self"})

    assert response.status_code == int(expected)
    if expected == "302":
        assert response["Location"] == link + "?sent=1"
        saved = Response.objects.get(round=made)
        assert [a.text for a in saved.answers.all()] == ["Open on Saturdays"]
        assert (saved.invitation is not None) is (name == "invited")
    else:
        assert not Response.objects.exists()
        assert "Your response was not sent" in page(response) and consultation.STAGE_OVER in page(response)
        assert textarea(response, field) == "Open on Saturdays"
