"""Who is on the wall: a signed-in person (one Participant row per workshop), or a guest who
joined with the workshop's code. A guest's browser keeps a random key in a signed, HttpOnly
cookie scoped to the workshop; only the key's SHA-256 is stored (Participant.key_hash)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compact.activity.services import audit_record
from compact.core.tokens import new_token, token_hash
from compact.partnerships.models import Membership

from ..models import Participant, Registration, Workshop
from ..rules import accepting_ideas

MAX_NAME = 200
NOT_TAKING_IDEAS = "This workshop is not taking ideas at the moment. Check the code with the facilitator."


hash_key = token_hash  # a guest's browser key is stored like every other token: its SHA-256 only


def _clean(value: str, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit].strip()


def participant_for_user(*, workshop: Workshop, user) -> Participant:
    """The signed-in person's row on this wall, made on first use (name and organisation are
    copied from their registration or membership, so the wall keeps them as they were)."""
    existing = Participant.objects.filter(workshop=workshop, user=user).first()
    if existing is not None:
        return existing
    registration = Registration.objects.filter(workshop=workshop, user=user).first()
    membership = Membership.objects.filter(partnership_id=workshop.partnership_id, user=user).first()
    organisation = (registration and registration.organisation) or (membership and membership.organisation)
    participant = Participant(
        workshop=workshop, user=user, registration=registration,
        display_name=(user.full_name or "")[:MAX_NAME],
        organisation=organisation,
        organisation_name=(registration.organisation_name if registration and not organisation else "")[:MAX_NAME],
    )  # fmt: skip
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:  # the same person's other tab made it first
        return Participant.objects.get(workshop=workshop, user=user)
    return participant


@transaction.atomic
def participant_join_guest(*, workshop: Workshop, display_name: str, organisation_name: str = "") -> tuple:
    """A guest joins with the code. Returns (participant, raw_key): the caller puts the raw key
    in the browser's cookie and never stores it."""
    if not accepting_ideas(workshop):
        raise ValidationError({"code": NOT_TAKING_IDEAS})
    display_name = _clean(display_name, MAX_NAME)
    organisation_name = _clean(organisation_name, MAX_NAME)
    if not display_name and not workshop.allow_anonymous:
        raise ValidationError({"display_name": "Enter your name"})
    raw_key = new_token()
    participant = Participant.objects.create(
        workshop=workshop, key_hash=hash_key(raw_key), display_name=display_name, organisation_name=organisation_name
    )
    audit_record(
        actor=None, action="workshop.join_guest", obj=workshop, partnership_id=workshop.partnership_id,
        changes={"participant": participant.pk},
    )  # fmt: skip
    return participant, raw_key


def participant_for_key(*, workshop: Workshop, raw_key: str | None) -> Participant | None:
    """The guest whose browser holds `raw_key`, or None."""
    if not raw_key:
        return None
    return Participant.objects.filter(workshop=workshop, user__isnull=True, key_hash=hash_key(raw_key)).first()
