import pytest

from compact.decisions.models import Method
from compact.decisions.results import proposal_result
from compact.decisions.services import proposal_create, vote_cast
from compact.partnerships.models import DecisionRule, Role

from .conftest import in_days

pytestmark = pytest.mark.django_db


def poll_with_votes(partnership, group, people, picks, *, method=Method.POLL):
    proposal = proposal_create(partnership=partnership, actor=people[Role.CONVENOR], body=group, title="Priority",
                               text="Which first?", method=method, options=["Funding", "Procurement"],
                               closes_at=in_days(1))  # fmt: skip
    ids = {o.label: str(o.pk) for o in proposal.options.all()}
    for voter, label in zip(["co_chair", "voter1", "voter2", "voter3"], picks, strict=False):
        ballot = {"choices": [ids[label]]} if method == Method.POLL else {"dots": {ids[label]: 5}}
        vote_cast(proposal=proposal, voter=people[voter], ballot=ballot)
    return proposal


@pytest.mark.parametrize(
    ("rule", "picks", "passed"),
    [
        (DecisionRule.PLURALITY, ["Funding", "Funding", "Procurement"], True),
        (DecisionRule.MAJORITY, ["Funding", "Funding", "Procurement"], True),
        (DecisionRule.TWO_THIRDS, ["Funding", "Funding", "Procurement"], True),  # exactly two thirds
        (DecisionRule.TWO_THIRDS, ["Funding", "Funding", "Procurement", "Procurement"], False),
        (DecisionRule.UNANIMOUS, ["Funding", "Funding", "Procurement"], False),
        (DecisionRule.UNANIMOUS, ["Funding", "Funding", "Funding"], True),
    ],
)
def test_the_groups_decision_rule_sets_the_support_needed(partnership, group, people, rule, picks, passed):
    group.decision_rule = rule
    group.save()
    result = proposal_result(poll_with_votes(partnership, group, people, picks))
    assert result.passed is passed
    assert (result.summary == "Chosen: Funding.") is passed


def test_dot_votes_compare_dots_not_voters(partnership, group, people):
    group.decision_rule = DecisionRule.MAJORITY
    group.save()
    result = proposal_result(
        poll_with_votes(partnership, group, people, ["Funding", "Funding", "Procurement"], method=Method.DOTS)
    )
    assert len(result.tally.totals) == 2  # every option is listed
    assert sorted(result.tally.totals.values()) == [5, 10]
    assert result.passed and result.summary == "Chosen: Funding."


def test_quorum_not_met_decides_nothing(partnership, group, people):
    result = proposal_result(poll_with_votes(partnership, group, people, ["Funding", "Funding"]))
    assert not result.passed
    assert result.summary == "Not decided: 2 of the 3 votes needed for a quorum."


def test_the_outcome_snapshot_is_plain_json(partnership, group, people):
    import json

    record = proposal_result(
        poll_with_votes(partnership, group, people, ["Funding", "Funding", "Procurement"])
    ).as_record()
    assert json.loads(json.dumps(record))["summary"] == "Chosen: Funding."
