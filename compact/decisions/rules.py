"""Who may propose, vote, see results and record an outcome, and when.

Results of a proposal that hides them stay hidden from everyone, its proposer included, until it
closes: every page, export, email and count asks `decisions.view_results` first."""

import rules
from django.utils import timezone

from compact.partnerships.models import Body
from compact.partnerships.rules import is_convenor, is_organiser, is_partnership_member
from compact.processes.rules import stage_allows

from .models import Proposal
from .selectors import CHAIRS, body_position, is_eligible_voter


@rules.predicate
def chairs_the_body(user, obj) -> bool:
    body = getattr(obj, "body", None) if not hasattr(obj, "voters") else obj
    return body_position(user, body) in CHAIRS


proposals_open_in_stage = stage_allows("decisions.propose")


@rules.predicate
def in_a_stage_that_allows_proposals(user, proposal) -> bool:
    """Proposals tied to a process follow its stage; a group's own proposals do not."""
    process = getattr(proposal, "process", None)
    return process is None or proposals_open_in_stage.test(user, process)


@rules.predicate
def is_open(user, proposal: Proposal) -> bool:
    return proposal.status == Proposal.Status.OPEN and proposal.closes_at > timezone.now()


@rules.predicate
def is_closed(user, proposal: Proposal) -> bool:
    """Closed by hand, or open past its closing time (nobody can vote any more)."""
    return proposal.status == Proposal.Status.CLOSED or (
        proposal.status == Proposal.Status.OPEN and proposal.closes_at <= timezone.now()
    )


@rules.predicate
def results_public_while_open(user, proposal: Proposal) -> bool:
    return not proposal.hide_results and proposal.status == Proposal.Status.OPEN


@rules.predicate
def can_vote_here(user, proposal: Proposal) -> bool:
    return is_eligible_voter(user, proposal)


may_propose = (is_organiser | chairs_the_body) & in_a_stage_that_allows_proposals

rules.add_perm("decisions.view_proposal", is_partnership_member)
rules.add_perm("decisions.add_proposal", may_propose)
rules.add_perm("decisions.vote", is_partnership_member & can_vote_here & is_open)
rules.add_perm("decisions.view_results", is_partnership_member & (is_closed | results_public_while_open))
rules.add_perm("decisions.close_proposal", (is_convenor | chairs_the_body) & is_open)
rules.add_perm("decisions.record_outcome", (is_convenor | chairs_the_body) & is_closed)


# Meetings belong to groups. Checks take the group itself (to schedule) or a meeting.
def _group_of(obj) -> Body | None:
    if isinstance(obj, Body):
        return obj
    return getattr(obj, "body", None)


@rules.predicate
def member_of_the_groups_partnership(user, obj) -> bool:
    body = _group_of(obj)
    return body is not None and is_partnership_member.test(user, body)


@rules.predicate
def organises_the_groups_partnership(user, obj) -> bool:
    body = _group_of(obj)
    return body is not None and is_organiser.test(user, body)


@rules.predicate
def chairs_the_group(user, obj) -> bool:
    return body_position(user, _group_of(obj)) in CHAIRS


rules.add_perm("decisions.view_meeting", member_of_the_groups_partnership)
rules.add_perm(
    "decisions.manage_meeting", member_of_the_groups_partnership & (organises_the_groups_partnership | chairs_the_group)
)
