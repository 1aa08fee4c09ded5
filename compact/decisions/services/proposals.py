"""Opening and withdrawing proposals."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compact.activity.services import audit_record, snapshot
from compact.core.services import require_perm
from compact.core.tasks import enqueue_on_commit

from .. import notifications, tasks
from ..models import Method, Proposal, ProposalOption

OPTION_METHODS = {Method.POLL, Method.DOTS, Method.RANKED, Method.SCORE}
MAX_OPTIONS = 30
MAX_DOTS = 100
REFUSED = (
    "Only convenors, facilitators and the group's chairs can open proposals, and only at a stage that allows them."
)


def _clean_options(options) -> list[str]:
    seen, cleaned = set(), []
    for label in options or ():
        label = " ".join(str(label).split())
        if label and label.lower() not in seen:
            seen.add(label.lower())
            cleaned.append(label)
    return cleaned


def _check(proposal: Proposal, options: list[str]) -> None:
    errors: dict[str, str] = {}
    if proposal.method in OPTION_METHODS and len(options) < 2:
        errors["options"] = "Add at least two options to choose between"
    if proposal.method == Method.CONSENT and options:
        errors["options"] = "A consent decision has no options: people agree, abstain, object or block"
    if len(options) > MAX_OPTIONS:
        errors["options"] = f"Give {MAX_OPTIONS} options or fewer"
    if proposal.closes_at <= timezone.now():
        errors["closes_at"] = "The closing time must be in the future"
    if proposal.anonymous and not (proposal.body and proposal.body.allow_anonymous_votes):
        errors["anonymous"] = "This group's terms of reference do not allow anonymous votes"
    if proposal.max_choices and (not proposal.multiple or proposal.max_choices > len(options)):
        errors["max_choices"] = (
            "Only a poll where people choose several options can limit choices, up to the number of options"
        )
    if proposal.method == Method.DOTS and not 1 <= proposal.dots_per_voter <= MAX_DOTS:
        errors["dots_per_voter"] = f"Give each voter between 1 and {MAX_DOTS} dots"
    if proposal.statement_kind:
        if proposal.method != Method.CONSENT:
            errors["method"] = "A new purpose, vision or priorities is adopted by consent"
        if not proposal.statement_text.strip():
            errors["statement_text"] = "Enter the new wording"
    if proposal.body and proposal.body.partnership_id != proposal.partnership_id:
        errors["body"] = "Choose a group in this partnership"
    if proposal.process and proposal.process.partnership_id != proposal.partnership_id:
        errors["process"] = "Choose a process in this partnership"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def proposal_create(
    *, partnership, actor, title: str, text: str, closes_at: dt.datetime, method: str = Method.CONSENT,
    body=None, process=None, meeting=None, background: str = "", options=(), multiple: bool = False,
    max_choices: int | None = None, dots_per_voter: int = 5, hide_results: bool = False, anonymous: bool = False,
    statement_kind: str = "", statement_text: str = "", amends: Proposal | None = None,
) -> Proposal:  # fmt: skip
    """Open a proposal for votes straight away."""
    proposal = Proposal(
        partnership=partnership, body=body, process=process, meeting=meeting, title=title.strip(), text=text,
        background=background, method=method, multiple=multiple, max_choices=max_choices,
        dots_per_voter=dots_per_voter, hide_results=hide_results, anonymous=anonymous, closes_at=closes_at,
        statement_kind=statement_kind, statement_text=statement_text, amends=amends, created_by=actor,
        status=Proposal.Status.OPEN, opens_at=timezone.now(),
    )  # fmt: skip
    require_perm(actor, "decisions.add_proposal", proposal, REFUSED)
    options = _clean_options(options)
    _check(proposal, options)
    proposal.full_clean()
    proposal.save()
    ProposalOption.objects.bulk_create(
        [ProposalOption(proposal=proposal, position=i, label=label) for i, label in enumerate(options, start=1)]
    )
    enqueue_on_commit(tasks.announce_proposal_opened, proposal.pk)
    enqueue_on_commit(tasks.remind_closing, proposal.pk, run_after=notifications.reminder_due_at(proposal))
    audit_record(
        actor=actor, action="proposal.open", obj=proposal, partnership_id=partnership.pk,
        changes={"after": snapshot(proposal, ["title", "method", "closes_at", "statement_kind"]) | {"options": options}},
    )  # fmt: skip
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor) -> Proposal:
    """The proposer (or a convenor) withdraws an open proposal; its votes are kept, never counted."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if actor.pk != proposal.created_by_id and not actor.has_perm("decisions.close_proposal", proposal):
        raise ValidationError("Only the person who opened this proposal, a convenor or a chair can withdraw it.")
    if proposal.status != Proposal.Status.OPEN:
        raise ValidationError("Only an open proposal can be withdrawn.")
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="proposal.withdraw", obj=proposal, partnership_id=proposal.partnership_id)
    return proposal
