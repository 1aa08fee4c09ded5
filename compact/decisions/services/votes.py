"""Casting, changing and withdrawing votes. A person has at most one vote per proposal: the
proposal row is locked while a vote is written, and a unique constraint backs that up."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from compact.activity.services import audit_record

from .. import ballots
from ..models import Method, Proposal, Vote
from ..selectors import is_eligible_voter


def _refusal(proposal: Proposal, voter) -> Exception:
    if proposal.status == Proposal.Status.WITHDRAWN:
        return ValidationError("This proposal was withdrawn, so it no longer takes votes.")
    if proposal.status != Proposal.Status.OPEN or proposal.closes_at <= timezone.now():
        return ValidationError(f"Voting closed on {timezone.localtime(proposal.closes_at):%-d %B %Y at %H:%M}.")
    if not is_eligible_voter(voter, proposal):
        return PermissionDenied("Only the group's chairs and members can vote on this proposal.")
    return PermissionDenied("You cannot vote on this proposal.")


def _normalise(proposal: Proposal, ballot: dict) -> tuple[dict, str]:
    """The ballot as stored, and the reason (consent objections and blocks)."""
    options = [str(o.pk) for o in proposal.options.all()]
    if proposal.method == Method.CONSENT:
        position, reason = ballots.validate_consent(ballot.get("position", ""), ballot.get("reason", ""))
        return {"position": position}, reason
    if proposal.method == Method.POLL:
        choices = ballots.validate_poll(
            [str(c) for c in ballot.get("choices", [])], options=options,
            multiple=proposal.multiple, max_choices=proposal.max_choices,
        )  # fmt: skip
        return {"choices": choices}, ""
    if proposal.method == Method.DOTS:
        dots = ballots.validate_dots(
            {str(k): v for k, v in ballot.get("dots", {}).items()}, options=options, budget=proposal.dots_per_voter
        )
        return {"dots": dots}, ""
    if proposal.method == Method.RANKED:
        return {"ranking": ballots.validate_ranking([str(c) for c in ballot.get("ranking", [])], options=options)}, ""
    scores = ballots.validate_scores({str(k): v for k, v in ballot.get("scores", {}).items()}, options=options)
    return {"scores": scores}, ""


@transaction.atomic
def vote_cast(*, proposal: Proposal, voter, ballot: dict) -> Vote:
    """Cast or change a vote. The count only ever sees the latest ballot of each person."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("body").get(pk=proposal.pk)
    if not voter.has_perm("decisions.vote", proposal):
        raise _refusal(proposal, voter)
    stored, reason = _normalise(proposal, ballot)
    try:
        with transaction.atomic():
            vote, created = Vote.objects.update_or_create(
                proposal=proposal, voter=voter, defaults={"ballot": stored, "reason": reason}
            )
    except IntegrityError:
        # A simultaneous first vote by the same person won the race: change that one instead.
        vote = Vote.objects.get(proposal=proposal, voter=voter)
        vote.ballot, vote.reason, created = stored, reason, False
        vote.save(update_fields=["ballot", "reason", "updated_at"])
    # Never the ballot itself: the audit log must not reveal hidden or anonymous votes.
    audit_record(
        actor=voter, action="vote.cast" if created else "vote.change", obj=proposal,
        partnership_id=proposal.partnership_id,
    )  # fmt: skip
    return vote


@transaction.atomic
def vote_withdraw(*, proposal: Proposal, voter) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not voter.has_perm("decisions.vote", proposal):
        raise _refusal(proposal, voter)
    deleted, _ = Vote.objects.filter(proposal=proposal, voter=voter).delete()
    if not deleted:
        raise ValidationError("You have not voted on this proposal.")
    audit_record(actor=voter, action="vote.withdraw", obj=proposal, partnership_id=proposal.partnership_id)
