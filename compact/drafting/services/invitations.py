"""Inviting people to a consultation round and reminding those who have not responded.

The audience becomes invitations when an editor sends them: every member (a round for members),
the members who belong to each named organisation, and any email addresses added by hand. Each
invitation gets its own link (consultation.invitation_token), so people without an account can
respond and a response is matched to its invitation for the response rates.

Reminders go once automatically, two days before closing (a task scheduled with the round, and
`manage.py send_consultation_reminders` as the sweep where tasks cannot wait), and editors can
send one more by hand at most once a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from compact.activity.notifications import recipients
from compact.core.mail import send_after_commit, site_url, subject_line
from compact.core.services import require_perm
from compact.core.tasks import enqueue_on_commit
from compact.partnerships.models import Membership

from .. import consultation
from ..models import Invitation, Round
from ._common import RUN_REFUSED, record

INVITED = "drafting.round_invitation"
REMINDED = "drafting.round_reminder"
REMINDER_BEFORE_CLOSE = dt.timedelta(days=2)
MANUAL_REMINDER_GAP = dt.timedelta(hours=24)
MAX_EMAILS = 500


def invitation_url(invitation: Invitation) -> str:
    return site_url(reverse("round_invited", args=[consultation.invitation_token(invitation)]))


def _lock(round: Round, actor) -> Round:
    round = (
        Round.objects.select_for_update().select_related("document__partnership", "document__process").get(pk=round.pk)
    )
    if actor is not None:
        require_perm(actor, "drafting.run_consultation", round.document, RUN_REFUSED)
    return round


def _audience(round: Round) -> None:
    """Invitations for the round's members and the members of its named organisations."""
    memberships = Membership.objects.filter(partnership_id=round.document.partnership_id, user__is_active=True)
    named = set(round.organisations.values_list("pk", flat=True))
    if not round.for_members:
        memberships = memberships.filter(organisation_id__in=named)
    existing = {e.lower() for e in round.invitations.values_list("email", flat=True)}
    fresh = []
    for membership in memberships.select_related("user").exclude(user__email=""):
        email = membership.user.email
        if email.lower() in existing:
            continue
        existing.add(email.lower())
        organisation = membership.organisation_id if membership.organisation_id in named else None
        fresh.append(Invitation(round=round, email=email, user=membership.user, organisation_id=organisation))
    Invitation.objects.bulk_create(fresh)


def parse_emails(text: str) -> list[str]:
    """Addresses from a pasted list (one per line, or separated by commas or semicolons)."""
    found, seen, bad = [], set(), []
    for part in str(text or "").replace(";", "\n").replace(",", "\n").splitlines():
        email = part.strip().strip("<>").strip()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email[:80])
            continue
        if email.lower() not in seen:
            seen.add(email.lower())
            found.append(email)
    if bad:
        raise ValidationError({"emails": f"These are not email addresses: {', '.join(bad[:5])}"})
    if len(found) > MAX_EMAILS:
        raise ValidationError({"emails": f"Add at most {MAX_EMAILS} addresses at a time"})
    if not found:
        raise ValidationError({"emails": "Enter at least one email address"})
    return found


@transaction.atomic
def invitations_add(*, round: Round, actor, emails: str, organisation=None) -> int:
    """Invite people by email address, optionally as contacts of `organisation` (so their
    response can be on its behalf). Returns how many were new; addresses already invited are skipped."""
    round = _lock(round, actor)
    addresses = parse_emails(emails)
    if (
        organisation is not None
        and not round.document.partnership.member_links.filter(organisation_id=organisation.pk).exists()
    ):
        raise ValidationError({"organisation": "Choose an organisation in this partnership"})
    existing = {e.lower() for e in round.invitations.values_list("email", flat=True)}
    fresh = [
        Invitation(round=round, email=email, organisation=organisation)
        for email in addresses
        if email.lower() not in existing
    ]
    Invitation.objects.bulk_create(fresh)
    record(round.document, actor, "drafting.invitations_add", obj=round, changes={"added": len(fresh)})
    return len(fresh)


def _message(invitation: Invitation, template: str, subject: str) -> EmailMessage:
    round = invitation.round
    body = render_to_string(
        template,
        {
            "round": round, "invitation": invitation, "url": invitation_url(invitation),
            "partnership": round.document.partnership, "document": round.document,
            "opens": consultation.when(round.opens_at), "closes": consultation.when(round.closes_at),
        },
    )  # fmt: skip
    return EmailMessage(
        subject=subject_line(subject), body=body, to=[invitation.email], from_email=settings.DEFAULT_FROM_EMAIL
    )


def _wanting(invitations: list[Invitation], kind: str) -> list[Invitation]:
    """Leave out account holders who turned this kind of email off (or whose account is closed)."""
    users = [i.user for i in invitations if i.user_id]
    allowed = {u.pk for u in recipients(kind, users)}
    return [i for i in invitations if not i.user_id or i.user_id in allowed]


@transaction.atomic
def invitations_send(*, round: Round, actor) -> int:
    """Email everyone in the audience not yet invited. Returns how many emails were sent."""
    round = _lock(round, actor)
    if consultation.state(round) == consultation.State.CLOSED:
        raise ValidationError("This round has closed, so invitations would arrive too late.")
    _audience(round)
    waiting = list(round.invitations.filter(sent_at=None).select_related("user", "round__document__partnership"))
    chosen = _wanting(waiting, INVITED)
    subject = f"Have your say: {round.title} ({round.document.partnership.name})"
    send_after_commit(_message(i, "drafting/email/round_invitation.txt", subject) for i in chosen)
    # Only those emailed count as sent: someone who turned these emails off is not invited by
    # email (nor reminded), but can still respond as a member.
    Invitation.objects.filter(pk__in=[i.pk for i in chosen]).update(sent_at=timezone.now())
    record(round.document, actor, "drafting.invitations_send", obj=round, changes={"sent": len(chosen)})
    return len(chosen)


def _unanswered(round: Round):
    return (
        round.invitations.exclude(sent_at=None)
        .filter(responses=None)
        .exclude(Q(user__isnull=False) & Q(user__in=round.responses.exclude(respondent=None).values("respondent")))
    )


def _remind(round: Round, now: dt.datetime) -> int:
    waiting = list(_unanswered(round).select_related("user", "round__document__partnership"))
    chosen = _wanting(waiting, REMINDED)
    subject = f"Closes {consultation.when(round.closes_at)}: {round.title}"
    send_after_commit(_message(i, "drafting/email/round_reminder.txt", subject) for i in chosen)
    Invitation.objects.filter(pk__in=[i.pk for i in chosen]).update(reminded_at=now)
    return len(chosen)


@transaction.atomic
def reminders_send(*, round: Round, actor, now: dt.datetime | None = None) -> int:
    """An editor's reminder to everyone invited who has not responded. At most one a day."""
    now = now or timezone.now()
    round = _lock(round, actor)
    if consultation.state(round, now) != consultation.State.OPEN:
        raise ValidationError("Reminders can only go while the round is open.")
    last = round.invitations.exclude(reminded_at=None).order_by("-reminded_at").values_list("reminded_at", flat=True)
    last = last.first()
    if last and last > now - MANUAL_REMINDER_GAP:
        raise ValidationError(
            f"A reminder went on {consultation.when(last)}. Wait a day before sending another, "
            "so people are not sent too many emails."
        )
    count = _remind(round, now)
    record(round.document, actor, "drafting.reminders_send", obj=round, changes={"sent": count})
    return count


def reminder_due_at(round: Round) -> dt.datetime:
    """Two days before closing, or half-way through a round shorter than four days."""
    halfway = round.opens_at + (round.closes_at - round.opens_at) / 2
    return max(round.closes_at - REMINDER_BEFORE_CLOSE, halfway)


def schedule_reminder(round: Round) -> None:
    from ..tasks import remind_round

    enqueue_on_commit(remind_round, round.pk, run_after=reminder_due_at(round))


def send_due_reminders(*, now: dt.datetime | None = None, round_ids=None) -> int:
    """The automatic reminder, once per round, for rounds whose reminder is due and that are
    still open. Returns how many rounds were reminded."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = (
            Round.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("document__partnership", "document__process")
            .filter(reminded_at=None, opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + REMINDER_BEFORE_CLOSE)
        )
        if round_ids is not None:
            due = due.filter(pk__in=round_ids)
        for round in due:
            if reminder_due_at(round) > now or consultation.refusal(round, now):
                continue
            _remind(round, now)
            round.reminded_at = now
            round.save(update_fields=["reminded_at"])
            count += 1
    return count
