"""Closing proposals and recording outcomes. A passed proposal to change a process's purpose,
vision or priorities adopts the new wording as the next version of that statement."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.core.tasks import enqueue_on_commit

from .. import tasks
from ..models import Outcome, Proposal, Statement
from ..results import proposal_result

REFUSED = "Only a convenor or the group's chair can do this, and only when voting has closed."


@transaction.atomic
def proposal_close(*, proposal: Proposal, actor) -> Proposal:
    """Close voting early."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("body").get(pk=proposal.pk)
    require_perm(actor, "decisions.close_proposal", proposal, "Only a convenor or the group's chair can close voting.")
    proposal.status = Proposal.Status.CLOSED
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="proposal.close", obj=proposal, partnership_id=proposal.partnership_id)
    return proposal


@transaction.atomic
def outcome_record(
    *, proposal: Proposal, actor, decision: str, rationale: str = "", review_on: dt.date | None = None,
    casting_choice: str | None = None,
) -> Outcome:  # fmt: skip
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("body", "process").get(pk=proposal.pk)
    require_perm(actor, "decisions.record_outcome", proposal, REFUSED)
    if Outcome.objects.filter(proposal=proposal).exists():
        raise ValidationError("The outcome of this proposal has already been recorded.")
    if not decision.strip():
        raise ValidationError({"decision": "Write down what was decided"})
    result = proposal_result(proposal, casting_choice=casting_choice or None)
    if casting_choice:
        _check_casting_vote(proposal, result, str(casting_choice))
    proposal.status = Proposal.Status.CLOSED
    proposal.save(update_fields=["status", "updated_at"])
    outcome = Outcome.objects.create(
        proposal=proposal, passed=result.passed, decision=decision.strip(), rationale=rationale.strip(),
        review_on=review_on, result=result.as_record(), recorded_by=actor,
    )  # fmt: skip
    if proposal.statement_kind and result.passed:
        latest = Statement.objects.filter(process=proposal.process, kind=proposal.statement_kind).aggregate(
            n=Max("version")
        )["n"]
        Statement.objects.create(
            process=proposal.process, kind=proposal.statement_kind, version=(latest or 0) + 1,
            text=proposal.statement_text, adopted_by=outcome,
        )  # fmt: skip
    enqueue_on_commit(tasks.announce_outcome, proposal.pk)
    audit_record(
        actor=actor, action="proposal.outcome", obj=proposal, partnership_id=proposal.partnership_id,
        changes={"passed": result.passed, "decision": outcome.decision, "summary": result.summary},
    )  # fmt: skip
    return outcome


def _check_casting_vote(proposal: Proposal, result, choice: str) -> None:
    if not (proposal.body and proposal.body.casting_vote):
        raise ValidationError({"casting_choice": "This group's terms of reference give the chair no casting vote"})
    count = result.tally
    tied = getattr(count, "tied_options", None) or (
        getattr(count, "winners", []) if getattr(count, "tied", False) else []
    )
    if not getattr(count, "tied", False):
        raise ValidationError({"casting_choice": "There is no tie for a casting vote to decide"})
    if choice not in tied:
        raise ValidationError({"casting_choice": "The casting vote must go to one of the tied options"})
