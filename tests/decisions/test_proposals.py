import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.decisions.models import Method, Proposal
from compact.decisions.services import proposal_create, proposal_withdraw
from compact.partnerships.models import Role
from compact.processes.models import StageKind
from compact.processes.services import process_feature_settings_update, stage_start

from .conftest import in_days

pytestmark = pytest.mark.django_db


def open_poll(partnership, actor, **kwargs):
    defaults = dict(title="Which priority first?", text="Choose one.", method=Method.POLL,
                    options=["Funding", "Procurement"], closes_at=in_days(2))  # fmt: skip
    return proposal_create(partnership=partnership, actor=actor, **(defaults | kwargs))


def test_co_chair_opens_a_poll_with_its_options(partnership, group, people):
    proposal = open_poll(partnership, people["co_chair"], body=group, options=[" Funding ", "Procurement", "funding"])
    assert proposal.status == Proposal.Status.OPEN
    assert [o.label for o in proposal.options.all()] == ["Funding", "Procurement"]
    assert AuditEntry.objects.get(action="proposal.open").object_id == str(proposal.pk)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"options": []}, "options", "Add at least two options"),
        ({"options": ["Only one"]}, "options", "Add at least two options"),
        ({"method": Method.CONSENT}, "options", "A consent decision has no options"),
        ({"closes_at": in_days(-1)}, "closes_at", "The closing time must be in the future"),
        ({"anonymous": True}, "anonymous", "do not allow anonymous votes"),
        ({"max_choices": 2}, "max_choices", "Only a poll where people choose several options"),
        ({"method": Method.DOTS, "dots_per_voter": 0}, "dots_per_voter", "between 1 and 100"),
    ],
)
def test_bad_proposals_are_refused_with_a_clear_message(partnership, group, people, kwargs, field, message):
    with pytest.raises(ValidationError) as info:
        open_poll(partnership, people["co_chair"], body=group, **kwargs)
    assert message in " ".join(info.value.message_dict[field])
    assert not Proposal.objects.exists()


def test_a_statement_proposal_needs_consent_and_wording(partnership, leadership_process, people):
    with pytest.raises(ValidationError) as info:
        open_poll(partnership, people[Role.CONVENOR], process=leadership_process, statement_kind="purpose")
    assert set(info.value.message_dict) >= {"method", "statement_text"}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [(Role.CONVENOR, True), (Role.FACILITATOR, True), ("co_chair", True), (Role.MEMBER, False),
     ("voter1", False), (Role.OBSERVER, False), ("outsider", False)],
)  # fmt: skip
def test_who_may_open_a_proposal_for_a_group(partnership, group, people, who, allowed):
    if allowed:
        assert open_poll(partnership, people[who], body=group)
    else:
        with pytest.raises(PermissionDenied):
            open_poll(partnership, people[who], body=group)


@pytest.mark.parametrize("stage", [None, *StageKind.values])
def test_process_proposals_open_only_in_the_leadership_stage(partnership, process, people, stage):
    convenor = people[Role.CONVENOR]
    if stage:
        stage_start(process=process, actor=convenor, stage=process.stages.get(kind=stage))
    if stage == StageKind.LEADERSHIP:
        assert open_poll(partnership, convenor, process=process)
    else:
        with pytest.raises(PermissionDenied):
            open_poll(partnership, convenor, process=process)


def test_process_settings_can_keep_proposals_open_after_the_leadership_stage(partnership, process, people):
    convenor = people[Role.CONVENOR]
    stage_start(process=process, actor=convenor, stage=process.stages.get(kind=StageKind.DRAFTING))
    process_feature_settings_update(process=process, actor=convenor, enabled={"decisions.propose"})
    assert open_poll(partnership, convenor, process=process)


def test_the_proposer_withdraws_an_open_proposal(partnership, group, people):
    proposal = open_poll(partnership, people["co_chair"], body=group)
    with pytest.raises(ValidationError):
        proposal_withdraw(proposal=proposal, actor=people["voter1"])
    proposal_withdraw(proposal=proposal, actor=people["co_chair"])
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="Only an open proposal"):
        proposal_withdraw(proposal=proposal, actor=people["co_chair"])


def test_a_group_from_another_partnership_is_refused(partnership, people):
    from ..factories import BodyFactory

    foreign = BodyFactory(name="Elsewhere")
    with pytest.raises((ValidationError, PermissionDenied)):
        open_poll(partnership, people[Role.CONVENOR], body=foreign)
    assert not Proposal.objects.exists()
