"""The emails decisions send. None of them carries a count or a ballot, so results hidden
until closing cannot leak by email; outcome emails go only once a proposal has closed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from compact.activity.notifications import notify, register_kind

from .models import Proposal
from .selectors import eligible_voter_ids

OPENED = "decisions.proposal_opened"
CLOSING = "decisions.closing_soon"
OUTCOME = "decisions.outcome_recorded"
REMINDER_WINDOW = dt.timedelta(hours=24)


def register():
    register_kind(OPENED, "A proposal opens", "when a proposal you can vote on opens")
    register_kind(CLOSING, "Voting closes soon", "24 hours before a vote closes, if you have not voted")
    register_kind(OUTCOME, "An outcome is recorded", "when a group you vote in records a decision")


def _link(proposal: Proposal) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("proposal_detail", args=[proposal.partnership.slug, proposal.pk])


def _voters(proposal: Proposal):
    return get_user_model().objects.filter(pk__in=eligible_voter_ids(proposal))


def proposal_opened(proposal: Proposal) -> None:
    notify(
        OPENED, _voters(proposal), subject=f"Your vote: {proposal.title}",
        template="decisions/email/proposal_opened.txt", context={"proposal": proposal, "url": _link(proposal)},
    )  # fmt: skip


def outcome_recorded(proposal: Proposal) -> None:
    notify(
        OUTCOME, _voters(proposal), subject=f"Decision recorded: {proposal.title}",
        template="decisions/email/outcome_recorded.txt",
        context={"proposal": proposal, "outcome": proposal.outcome, "url": _link(proposal)},
    )  # fmt: skip


def reminder_due_at(proposal: Proposal) -> dt.datetime:
    """24 hours before closing, or half-way through a vote shorter than two days, so that
    nobody gets the reminder straight after the "your vote" email."""
    halfway = proposal.opens_at + (proposal.closes_at - proposal.opens_at) / 2
    return max(proposal.closes_at - REMINDER_WINDOW, halfway)


@transaction.atomic
def send_closing_reminders(*, now: dt.datetime | None = None, proposal_ids=None) -> int:
    """Remind people who have not voted, once per proposal, when `reminder_due_at` has passed.
    Each proposal schedules its own reminder task; `manage.py send_decision_reminders` is the
    sweep for set-ups whose task backend cannot run a task later."""
    now = now or timezone.now()
    due = (
        Proposal.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("partnership", "body")
        .filter(status=Proposal.Status.OPEN, reminded_at__isnull=True, closes_at__gt=now, closes_at__lte=now + REMINDER_WINDOW)
    )  # fmt: skip
    if proposal_ids is not None:
        due = due.filter(pk__in=proposal_ids)
    count = 0
    for proposal in due:
        if reminder_due_at(proposal) > now:
            continue
        voted = set(proposal.votes.values_list("voter_id", flat=True))
        waiting = _voters(proposal).exclude(pk__in=voted)
        notify(
            CLOSING, waiting, subject=f"Voting closes soon: {proposal.title}",
            template="decisions/email/closing_soon.txt", context={"proposal": proposal, "url": _link(proposal)},
        )  # fmt: skip
        proposal.reminded_at = now
        proposal.save(update_fields=["reminded_at"])
        count += 1
    return count
