import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.decisions.models import Method, Proposal, Statement, Vote
from compact.decisions.results import proposal_result
from compact.decisions.services import outcome_record, proposal_close, proposal_create, vote_cast, vote_withdraw
from compact.partnerships.models import Role

from .conftest import in_days

pytestmark = pytest.mark.django_db


def open_proposal(partnership, actor, **kwargs):
    defaults = dict(title="Adopt the purpose", text="We adopt this purpose.", closes_at=in_days(2))
    return proposal_create(partnership=partnership, actor=actor, **(defaults | kwargs))


def close(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(-0.01))
    proposal.refresh_from_db()


def option_ids(proposal):
    return [str(o.pk) for o in proposal.options.order_by("position")]


def test_changing_a_vote_keeps_one_vote_and_counts_the_latest(partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    vote_cast(proposal=proposal, voter=people["voter2"], ballot={"position": "agree"})
    vote_cast(proposal=proposal, voter=people["voter3"], ballot={"position": "agree"})
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "block", "reason": "Too vague"})
    assert proposal_result(proposal).tally.status == "blocked"
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "agree"})
    assert proposal_result(proposal).passed
    assert Vote.objects.filter(proposal=proposal).count() == 3
    actions = [e.action for e in AuditEntry.objects.filter(action__startswith="vote.", actor=people["voter1"])]
    assert sorted(actions) == ["vote.cast", "vote.change"]
    # The audit log never holds the ballot.
    assert all(not e.changes for e in AuditEntry.objects.filter(action__startswith="vote."))


def test_objecting_or_blocking_needs_a_reason(partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    with pytest.raises(ValidationError, match="reason"):
        vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "object", "reason": "  "})
    assert not Vote.objects.exists()


@pytest.mark.parametrize("who", [Role.OBSERVER, "body_observer", "outsider", Role.CONVENOR])
def test_only_the_groups_chairs_and_members_vote(partnership, group, people, who):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    with pytest.raises(PermissionDenied):
        vote_cast(proposal=proposal, voter=people[who], ballot={"position": "agree"})


def test_no_votes_after_closing_or_withdrawal(partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    close(proposal)
    with pytest.raises(ValidationError, match="Voting closed on"):
        vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "agree"})
    other = open_proposal(partnership, people["co_chair"], body=group, title="Another")
    other.status = Proposal.Status.WITHDRAWN
    other.save()
    with pytest.raises(ValidationError, match="withdrawn"):
        vote_cast(proposal=other, voter=people["voter1"], ballot={"position": "agree"})


def test_dots_outside_the_budget_and_duplicate_rankings_are_refused(partnership, group, people):
    dots = open_proposal(partnership, people["co_chair"], body=group, method=Method.DOTS, dots_per_voter=3,
                         options=["Funding", "Procurement", "Contracts"])  # fmt: skip
    a, b, _c = option_ids(dots)
    with pytest.raises(ValidationError, match="You have 3 dots"):
        vote_cast(proposal=dots, voter=people["voter1"], ballot={"dots": {a: 2, b: 2}})
    ranked = open_proposal(partnership, people["co_chair"], body=group, method=Method.RANKED,
                           options=["Funding", "Procurement", "Contracts"], title="Rank")  # fmt: skip
    x, y, _z = option_ids(ranked)
    with pytest.raises(ValidationError, match="only once"):
        vote_cast(proposal=ranked, voter=people["voter1"], ballot={"ranking": [x, y, x]})
    assert not Vote.objects.exists()


def test_withdrawing_a_vote_removes_it_from_the_count(partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    for voter in ("voter1", "voter2", "voter3"):
        vote_cast(proposal=proposal, voter=people[voter], ballot={"position": "agree"})
    assert proposal_result(proposal).passed
    vote_withdraw(proposal=proposal, voter=people["voter3"])
    assert proposal_result(proposal).tally.status == "no quorum"
    with pytest.raises(ValidationError, match="not voted"):
        vote_withdraw(proposal=proposal, voter=people["voter3"])


def test_results_stay_hidden_until_closing_when_the_proposer_chooses(partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group, hide_results=True)
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "agree"})
    for who in ("co_chair", "voter1", Role.CONVENOR):
        assert not people[who].has_perm("decisions.view_results", proposal)
    close(proposal)
    assert people["voter1"].has_perm("decisions.view_results", proposal)
    assert not people["outsider"].has_perm("decisions.view_results", proposal)


def test_purpose_journey_object_amend_repropose_and_adopt(partnership, group, leadership_process, people):
    """A co-chair proposes a purpose; two agree and one objects; the co-chair amends and
    re-proposes; it passes, and the new purpose becomes version 1 with its decision."""
    co_chair = people["co_chair"]
    first = open_proposal(partnership, co_chair, body=group, process=leadership_process,
                          statement_kind="purpose", statement_text="Tackle inequalities together.")  # fmt: skip
    vote_cast(proposal=first, voter=people["voter1"], ballot={"position": "agree"})
    vote_cast(proposal=first, voter=people["voter2"], ballot={"position": "agree"})
    vote_cast(proposal=first, voter=people["voter3"], ballot={"position": "object", "reason": "Name the sector"})
    proposal_close(proposal=first, actor=co_chair)
    outcome = outcome_record(proposal=first, actor=co_chair, decision="Amend to name the VCSE sector")
    assert outcome.passed  # objections do not stop consent...
    assert Statement.objects.get().text == "Tackle inequalities together."
    second = open_proposal(partnership, co_chair, body=group, process=leadership_process, amends=first,
                           statement_kind="purpose", statement_text="The NHS and the VCSE sector tackle inequalities together.")  # fmt: skip
    for voter in ("voter1", "voter2", "voter3"):
        vote_cast(proposal=second, voter=people[voter], ballot={"position": "agree"})
    close(second)
    outcome_record(proposal=second, actor=co_chair, decision="Adopted", rationale="Everyone agreed")
    versions = list(Statement.objects.filter(process=leadership_process, kind="purpose").order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[-1].adopted_by.proposal == second and second.amends == first


def test_a_block_stops_a_statement_being_adopted(partnership, group, leadership_process, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group, process=leadership_process,
                             statement_kind="vision", statement_text="A fair system")  # fmt: skip
    for voter, position in (("voter1", "agree"), ("voter2", "agree"), ("voter3", "block")):
        vote_cast(proposal=proposal, voter=people[voter], ballot={"position": position, "reason": "Not yet"})
    close(proposal)
    outcome = outcome_record(proposal=proposal, actor=people["co_chair"], decision="Not adopted")
    assert not outcome.passed and outcome.result["summary"] == "Not passed: 1 block."
    assert not Statement.objects.exists()
    with pytest.raises(ValidationError, match="already been recorded"):
        outcome_record(proposal=proposal, actor=people["co_chair"], decision="Again")


def test_outcomes_are_recorded_only_after_closing_and_by_chairs_or_convenors(partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    with pytest.raises(PermissionDenied):
        outcome_record(proposal=proposal, actor=people["co_chair"], decision="Too early")
    close(proposal)
    with pytest.raises(PermissionDenied):
        outcome_record(proposal=proposal, actor=people["voter1"], decision="Not mine to record")
    assert outcome_record(proposal=proposal, actor=people[Role.CONVENOR], decision="Recorded")


def test_a_tied_poll_is_decided_by_the_chairs_casting_vote(partnership, group, people):
    poll = open_proposal(partnership, people["co_chair"], body=group, method=Method.POLL,
                         options=["Funding", "Procurement"], title="Priority")  # fmt: skip
    funding, procurement = option_ids(poll)
    vote_cast(proposal=poll, voter=people["voter1"], ballot={"choices": [funding]})
    vote_cast(proposal=poll, voter=people["voter2"], ballot={"choices": [procurement]})
    vote_cast(proposal=poll, voter=people["co_chair"], ballot={"choices": [funding]})
    vote_cast(proposal=poll, voter=people["voter3"], ballot={"choices": [procurement]})
    close(poll)
    assert proposal_result(poll).summary == "Tied between Funding and Procurement."
    with pytest.raises(ValidationError, match="one of the tied options"):
        outcome_record(proposal=poll, actor=people["co_chair"], decision="x", casting_choice="999999")
    outcome = outcome_record(
        proposal=poll, actor=people["co_chair"], decision="Funding first", casting_choice=procurement
    )
    assert outcome.passed is False  # 2 of 4 is not more than half, even with the casting vote
    assert outcome.result["winner"] == procurement


def test_a_proposal_nobody_voted_on_does_not_pass(partnership, people):
    from ..factories import BodyFactory

    quorumless = BodyFactory(partnership=partnership, name="Small group", quorum=0)
    proposal = open_proposal(partnership, people[Role.CONVENOR], body=quorumless)
    result = proposal_result(proposal)
    assert not result.passed and result.summary == "Not passed: nobody voted."
