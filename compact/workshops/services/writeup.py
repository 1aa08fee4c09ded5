"""The write-up: the facilitator's words (summary, notes, a note per theme) beside what the wall
generates, and publishing it. Publishing closes voting, reveals the results, moves the workshop
to PUBLISHED and, after the transaction commits, emails everyone who registered or took part
and has an email address: members through `notify` (their settings apply), guests one by one
with a link only they hold (signed, for this workshop and their registration)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from compact.accounts.models import User
from compact.activity.notifications import notify
from compact.activity.services import audit_record
from compact.core.mail import send_after_commit, site_url, subject_line
from compact.core.services import require_perm

from ..models import Participant, Registration, Theme, Workshop, WriteUp
from ..notifications import WRITE_UP_PUBLISHED
from .events import wall_event

PUBLISH = "Only a convenor or facilitator can write up and publish a workshop once it has ended."
GUEST_SALT = "compact.workshops.write_up"
MAX_THEME_NOTE = 2000
LIMITS = {"summary": WriteUp._meta.get_field("summary").max_length,
          "facilitator_notes": WriteUp._meta.get_field("facilitator_notes").max_length}  # fmt: skip
LABELS = {"summary": "The summary", "facilitator_notes": "The notes"}


def _text(value) -> str:
    """Keep line breaks (Markdown needs them); drop NUL and other control characters."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")).strip()


def _locked_write_up(workshop: Workshop) -> WriteUp:
    Workshop.objects.select_for_update().filter(pk=workshop.pk).values_list("pk", flat=True).first()
    write_up, _created = WriteUp.objects.get_or_create(workshop=workshop)
    return write_up


@transaction.atomic
def write_up_update(
    *, workshop: Workshop, actor, summary: str = "", facilitator_notes: str = "", theme_notes: dict | None = None
) -> WriteUp:
    """Save the facilitator's words. `theme_notes` maps theme ids (of this workshop) to a short
    summary; an empty note removes it."""
    require_perm(actor, "workshops.publish", workshop, PUBLISH)
    values = {"summary": _text(summary), "facilitator_notes": _text(facilitator_notes)}
    errors = {}
    for name, value in values.items():
        if len(value) > LIMITS[name]:
            errors[name] = f"{LABELS[name]} must be {LIMITS[name]:,} characters or fewer"
    theme_ids = set(Theme.objects.filter(workshop=workshop).values_list("pk", flat=True))
    notes = {}
    for key, raw in (theme_notes or {}).items():
        text = str(key).removeprefix("theme_")
        pk = int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None
        if pk not in theme_ids:
            errors["theme_notes"] = "Write notes for themes of this workshop"
            continue
        note = _text(raw)
        if len(note) > MAX_THEME_NOTE:
            errors[f"theme_{pk}"] = f"The note must be {MAX_THEME_NOTE:,} characters or fewer"
        elif note:
            notes[str(pk)] = note
    if errors:
        raise ValidationError(errors)
    write_up = _locked_write_up(workshop)
    before = {"summary": write_up.summary, "facilitator_notes": write_up.facilitator_notes,
              "theme_notes": write_up.theme_notes}  # fmt: skip
    after = {**values, "theme_notes": notes}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changed:
        return write_up
    for name, value in after.items():
        setattr(write_up, name, value)
    write_up.save()
    audit_record(
        actor=actor, action="workshop.edit_write_up", obj=workshop, partnership_id=workshop.partnership_id,
        changes=changed,
    )  # fmt: skip
    return write_up


@transaction.atomic
def write_up_publish(*, workshop: Workshop, actor) -> WriteUp:
    """Publish the write-up of an ended workshop (once): voting closes, results are revealed,
    and people are emailed a link after commit."""
    require_perm(actor, "workshops.publish", workshop, PUBLISH)
    write_up = _locked_write_up(workshop)
    fresh = Workshop.objects.get(pk=workshop.pk)
    if fresh.state == Workshop.State.PUBLISHED or write_up.published_at:
        raise ValidationError({"publish": "This write-up has already been published"})
    if fresh.state != Workshop.State.ENDED:
        raise ValidationError({"publish": "End the workshop before publishing its write-up"})
    now = timezone.now()
    write_up.published_at, write_up.published_by = now, actor
    write_up.save(update_fields=["published_at", "published_by", "updated_at"])
    before = {"state": fresh.state, "voting_open": fresh.voting_open, "results_revealed": fresh.results_revealed}
    Workshop.objects.filter(pk=workshop.pk).update(
        state=Workshop.State.PUBLISHED, voting_open=False, results_revealed=True, updated_at=now
    )
    workshop.state, workshop.voting_open, workshop.results_revealed = Workshop.State.PUBLISHED, False, True
    members, guests = recipients(workshop)
    audit_record(
        actor=actor, action="workshop.publish_write_up", obj=workshop, partnership_id=workshop.partnership_id,
        changes={"before": before, "state": [fresh.state, workshop.state], "recipients": len(members) + len(guests)},
    )  # fmt: skip
    wall_event(workshop, "workshop_state", {"state": workshop.state})
    _email(workshop, members, guests)
    return write_up


# Who is told, and how ---------------------------------------------------------------------------


def recipients(workshop: Workshop) -> tuple[list, list[Registration]]:
    """(members, guest registrations): people with a confirmed place or a row on the wall. Members
    must still be in the partnership (the link opens a partnership page); guests are those
    registered without an account whose address no member here uses. Three queries."""
    user_ids = set(
        Registration.objects.filter(
            workshop=workshop, status=Registration.Status.CONFIRMED, user__isnull=False
        ).values_list("user_id", flat=True)
    ) | set(Participant.objects.filter(workshop=workshop, user__isnull=False).values_list("user_id", flat=True))
    members = list(
        User.objects.filter(pk__in=user_ids, is_active=True, memberships__partnership_id=workshop.partnership_id)
        .distinct()
        .order_by("pk")
    )
    member_emails = {u.email.casefold() for u in members if u.email}
    guests, seen = [], set()
    for registration in (
        Registration.objects.filter(workshop=workshop, status=Registration.Status.CONFIRMED, user__isnull=True)
        .only("pk", "name", "email", "workshop_id")
        .order_by("pk")
    ):
        email = registration.email.casefold()
        if email and email not in member_emails and email not in seen:
            seen.add(email)
            guests.append(registration)
    return members, guests


def guest_token(registration: Registration) -> str:
    return signing.dumps({"w": registration.workshop_id, "r": registration.pk}, salt=GUEST_SALT, compress=True)


def guest_token_read(token: str) -> tuple[int, int] | None:
    """(workshop id, registration id) from a guest's link, or None if it was not ours."""
    try:
        data = signing.loads(str(token), salt=GUEST_SALT)
        return int(data["w"]), int(data["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def member_url(workshop: Workshop) -> str:
    return site_url(
        reverse("workshop_write_up", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug])
    )


def guest_url(registration: Registration) -> str:
    return site_url(reverse("workshop_write_up_guest", args=[guest_token(registration)]))


def _email(workshop: Workshop, members: list, guests: list[Registration]) -> None:
    subject = subject_line(f"Write-up published: {workshop.title}")
    context = {"workshop": workshop, "partnership": workshop.partnership}
    if members:
        notify(WRITE_UP_PUBLISHED, members, subject=subject, template="workshops/email/write_up_published.txt",
               context=context | {"url": member_url(workshop), "guest": False})  # fmt: skip
    send_after_commit(
        EmailMessage(
            subject=subject,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[r.email],
            body=render_to_string(
                "workshops/email/write_up_published.txt", context | {"name": r.name, "url": guest_url(r), "guest": True}
            ),
        )  # fmt: skip
        for r in guests
    )
