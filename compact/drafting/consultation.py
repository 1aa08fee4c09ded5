"""When and by whom a consultation round can be answered, and the links that reach it.

A round is answered through one of three doors, each with its own credential:
- members of the partnership, signed in, when the round is for members;
- an emailed invitation, whose link carries the invitation's id signed with the site's secret;
- anyone with the round's public link, when the round is for the public.
Whichever door, the round must be open (between its dates) and the process must be in a stage
that allows consultation. The refusal says which of these failed, in words a respondent can act on."""

from __future__ import annotations

import datetime as dt
import enum
from zoneinfo import ZoneInfo

from django.core import signing
from django.utils import timezone

from compact.partnerships.models import Membership
from compact.processes.rules import stage_allows

from . import stages
from .models import Invitation, Round

LONDON = ZoneInfo("Europe/London")
_SIGNER = signing.Signer(salt="compact.drafting.invitation")


class State(enum.StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


STATE_LABELS = {State.UPCOMING: "Not open yet", State.OPEN: "Open", State.CLOSED: "Closed"}


def state(round: Round, now: dt.datetime | None = None) -> State:
    now = now or timezone.now()
    if now < round.opens_at:
        return State.UPCOMING
    return State.OPEN if now < round.closes_at else State.CLOSED


def when(moment: dt.datetime) -> str:
    """'3 March 2026 at 17:00', in UK time: the time people read on their own clocks."""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def not_open_yet(round: Round) -> str:
    return f"This consultation opens on {when(round.opens_at)}. Please come back then."


def closed(round: Round) -> str:
    return (
        f"This consultation closed on {when(round.closes_at)}, so it can no longer take responses. "
        "If you still want to be heard, contact the people running it."
    )


STAGE_OVER = (
    "This consultation has finished: the document has moved on from consultation, so it can no longer take responses."
)


def stage_open(process) -> bool:
    """Whether the process's stage (or its settings) allows consultation."""
    return stage_allows(stages.CONSULT).test(None, process)


def refusal(round: Round, now: dt.datetime | None = None) -> str | None:
    """Why nobody can respond to `round` now, or None while it is open to responses."""
    if not stage_open(round.document.process):
        return STAGE_OVER
    current = state(round, now)
    if current == State.UPCOMING:
        return not_open_yet(round)
    if current == State.CLOSED:
        return closed(round)
    return None


def is_member(user, partnership_id: int) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(partnership_id=partnership_id, user=user).exists()
    )


def member_may_respond(user, round: Round) -> bool:
    """Whether the members' door is open to `user` (dates and stage are checked separately)."""
    return round.for_members and is_member(user, round.document.partnership_id)


def answerable_now(document, rounds, user, now: dt.datetime | None = None) -> set[int]:
    """The ids of the rounds among `rounds` (all on `document`) that `user` can answer as a
    member now: two queries however many rounds there are."""
    if not (is_member(user, document.partnership_id) and stage_open(document.process)):
        return set()
    return {r.pk for r in rounds if r.for_members and state(r, now) == State.OPEN}


# Invitation links ---------------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return _SIGNER.sign(str(invitation.pk))


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None for a link that was altered or whose invitation is gone."""
    try:
        pk = int(_SIGNER.unsign(str(token)))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Invitation.objects.select_related("round__document__process", "round__document__partnership", "organisation")
        .filter(pk=pk)
        .first()
    )
