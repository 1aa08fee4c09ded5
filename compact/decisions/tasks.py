"""Decision emails, sent in the background so a vote or outcome never waits for the mail server."""

from __future__ import annotations

from django_tasks import task

from . import notifications
from .models import Proposal


def _proposal(proposal_id: int) -> Proposal | None:
    return Proposal.objects.select_related("partnership", "body", "process").filter(pk=proposal_id).first()


@task()
def announce_proposal_opened(proposal_id: int) -> None:
    if (proposal := _proposal(proposal_id)) and proposal.status == Proposal.Status.OPEN:
        notifications.proposal_opened(proposal)


@task()
def announce_outcome(proposal_id: int) -> None:
    if (proposal := _proposal(proposal_id)) and hasattr(proposal, "outcome"):
        notifications.outcome_recorded(proposal)


@task()
def remind_closing(proposal_id: int) -> None:
    """Scheduled for 24 hours before closing; does nothing if the proposal has since closed,
    been withdrawn or already reminded (send_closing_reminders checks all three)."""
    notifications.send_closing_reminders(proposal_ids=[proposal_id])
