"""Responding to a consultation round, through one of its three doors (consultation.py).

A person (signed-in member, or invitation) has one response per round and can change it until the
round closes; the public link makes a new response each time, with a request key against double
submits. The respondent's organisation kind and borough are recorded as they are when answering,
so response rates stay true after the directory changes."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compact.core.validation import raise_if
from compact.organisations.models import OrganisationKind
from compact.workshops.selectors_registration import borough_choices

from .. import consultation
from ..models import Answer, Invitation, QuestionKind, Response, Round
from ._common import clean_text, earlier_request, record, save_once, speaking_for

NOT_FOR_YOU = "This consultation is not open to you. Use the link in your invitation, or ask the people running it."
NOTHING_ANSWERED = "Answer at least one question before you send your response."
MAX_NAME = 200


class ResponseRefused(Exception):
    """The round is not taking responses (not open yet, closed, or the process moved on).
    The view keeps what was typed on the page, so nothing is lost."""


@dataclass
class Door:
    """How the respondent reached the round: signed in, by invitation, or by the public link."""

    user: object = None
    invitation: Invitation | None = None
    public: bool = False


@dataclass
class About:
    """What the respondent says about themselves. Members and invitees need none of the contact fields."""

    name: str = ""
    email: str = ""
    on_behalf: bool = False
    organisation_name: str = ""
    organisation_kind: str = ""
    borough: object = None


def earlier_response(round: Round, door: Door) -> Response | None:
    """The response this person already made, which a new submission replaces."""
    if door.invitation is not None:
        return round.responses.filter(invitation=door.invitation).first()
    user = door.user
    if not door.public and getattr(user, "is_authenticated", False):
        return round.responses.filter(respondent=user).first()
    return None


def check_door(round: Round, door: Door) -> None:
    if door.invitation is not None:
        ok = door.invitation.round_id == round.pk
    elif door.public:
        ok = round.for_public
    else:
        ok = consultation.member_may_respond(door.user, round)
    if not ok:
        raise PermissionDenied(NOT_FOR_YOU)


def _answers(round: Round, given: dict, errors: dict) -> list[Answer]:
    """Answer rows from {question id: {"scale": "4", "text": "..."}}; errors under q<id>."""
    answers = []
    for question in round.questions.all():
        raw = given.get(question.pk) or {}
        answer = Answer(question=question)
        key = f"q{question.pk}"
        if question.kind == QuestionKind.AGREE:
            scale = raw.get("scale")
            if scale not in (None, ""):
                try:
                    answer.scale = int(scale)
                except (TypeError, ValueError):
                    answer.scale = 0
                if not 1 <= answer.scale <= 5:
                    errors[key] = "Choose one of the answers on the scale"
        answer.text = clean_text(raw.get("text"), key, errors)
        if len(answer.text) > Answer._meta.get_field("text").max_length:
            errors[key] = f"Keep your answer to {Answer._meta.get_field('text').max_length} characters or fewer"
        if answer.scale or answer.text:
            answers.append(answer)
    if not answers and not errors:
        errors["__all__"] = NOTHING_ANSWERED
    return answers


def _who(round: Round, door: Door, about: About, response: Response, errors: dict) -> None:
    """Fill who is responding and whom for, with the kind and borough as they are today."""
    partnership = round.document.partnership
    invitation = door.invitation
    response.on_behalf_of, response.organisation_name, response.organisation_kind = None, "", ""
    if invitation is not None:
        response.invitation = invitation
        response.respondent = invitation.user
        response.email = invitation.email
        if about.on_behalf and invitation.organisation_id:
            response.on_behalf_of = invitation.organisation
    elif not door.public:
        response.respondent = door.user
        response.email = door.user.email
        # A membership that names no organisation: the member names it below, as the form asks.
        with contextlib.suppress(ValidationError):
            response.on_behalf_of = speaking_for(round.document, door.user, about.on_behalf)
    if response.respondent_id is not None:
        response.name = response.respondent.full_name
    elif door.public or invitation is not None and not invitation.user_id:
        response.name = clean_text(about.name, "name", errors, one_line=True)
        if len(response.name) > MAX_NAME:
            errors["name"] = f"Keep your name to {MAX_NAME} characters or fewer"
        if door.public:
            response.email = clean_text(about.email, "email", errors, one_line=True)
    if response.on_behalf_of is not None:
        response.organisation_kind = response.on_behalf_of.kind
    elif about.on_behalf:
        response.organisation_name = clean_text(about.organisation_name, "organisation_name", errors, one_line=True)
        if not response.organisation_name:
            errors.setdefault("organisation_name", "Enter the name of the organisation you respond for")
        if about.organisation_kind not in OrganisationKind.values:
            errors.setdefault("organisation_kind", "Choose the kind of organisation you respond for")
        response.organisation_kind = about.organisation_kind
    borough = about.borough
    if borough is not None and not borough_choices(partnership).filter(pk=borough.pk).exists():
        errors["borough"] = "Choose a borough in the partnership's area"
    response.borough = borough


@transaction.atomic
def response_submit(*, round: Round, door: Door, answers: dict, about: About | None = None, request_key: str = "",
                    now=None) -> Response:  # fmt: skip
    """Record (or replace) a response. Raises ResponseRefused when the round is not taking
    responses, PermissionDenied when this door does not lead to it, and ValidationError for answers
    that cannot be kept as given."""
    round = (
        Round.objects.select_for_update().select_related("document__process", "document__partnership").get(pk=round.pk)
    )
    check_door(round, door)
    if reason := consultation.refusal(round, now):
        raise ResponseRefused(reason)
    about = about or About()
    request_key = str(request_key or "")[:64]
    if door.public and (existing := earlier_request(round.responses.all(), request_key)):
        return existing
    errors: dict = {}
    rows = _answers(round, answers, errors)
    response = earlier_response(round, door) or Response(round=round, request_key=request_key)
    _who(round, door, about, response, errors)
    if response.email:
        try:
            Response._meta.get_field("email").run_validators(response.email)
        except ValidationError:
            errors.setdefault("email", "Enter an email address like name@example.org, or leave it empty")
    raise_if(errors)
    changed = response.pk is not None
    if changed:
        response.save()
    else:
        response, created = save_once(response, round.responses.all(), request_key)
        if not created:
            return response
    _store(response, rows)
    actor = door.user if getattr(door.user, "is_authenticated", False) else None
    record(
        round.document, actor, "drafting.response_submit", obj=response, changes={"round": round.pk, "changed": changed}
    )
    return response


def _store(response: Response, rows: list[Answer]) -> None:
    """Save the answers, updating those already given in place so that an account editors have
    written of an answer ("You said, we did") survives a respondent changing another answer."""
    before = {a.question_id: a for a in response.answers.all()}
    fresh = []
    for answer in rows:
        old = before.pop(answer.question_id, None)
        if old is None:
            answer.response = response
            fresh.append(answer)
        elif (old.scale, old.text) != (answer.scale, answer.text):
            old.scale, old.text = answer.scale, answer.text
            old.save(update_fields=["scale", "text"])
    Answer.objects.bulk_create(fresh)
    Answer.objects.filter(pk__in=[a.pk for a in before.values()]).delete()
