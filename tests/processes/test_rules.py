"""Who may do what in a process, at each point in its life: the role-by-stage matrix, written out by hand."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from rules.permissions import permissions as registered

from compact.partnerships.models import Role
from compact.processes.selectors import current_stage_kind

from ..factories import PartnershipFactory, ProcessFactory, UserFactory, at_stage, member

ROLES = ["convenor", "facilitator", "member", "observer", "outsider", "anonymous"]
STAGES = [
    "setup",
    "leadership",
    "workshops",
    "evidence",
    "drafting",
    "consultation",
    "sign_off",
    "publication",
    "delivery",
    "closed",
]

# fmt: off
# Y = allowed, . = refused. Columns, in order:
#   setup leadership workshops evidence drafting consultation sign_off publication delivery closed
EXPECTED = {
    "processes.view_process": {
        "convenor":    "Y Y Y Y Y Y Y Y Y Y",
        "facilitator": "Y Y Y Y Y Y Y Y Y Y",
        "member":      "Y Y Y Y Y Y Y Y Y Y",
        "observer":    "Y Y Y Y Y Y Y Y Y Y",
        "outsider":    ". . . . . . . . . .",
        "anonymous":   ". . . . . . . . . .",
    },
    "processes.change_process": {
        "convenor":    "Y Y Y Y Y . . . . .",
        "facilitator": ". . . . . . . . . .",
        "member":      ". . . . . . . . . .",
        "observer":    ". . . . . . . . . .",
        "outsider":    ". . . . . . . . . .",
        "anonymous":   ". . . . . . . . . .",
    },
    "processes.edit_timeline": {
        "convenor":    "Y Y Y Y Y Y Y Y Y .",
        "facilitator": "Y Y Y Y Y Y Y Y Y .",
        "member":      ". . . . . . . . . .",
        "observer":    ". . . . . . . . . .",
        "outsider":    ". . . . . . . . . .",
        "anonymous":   ". . . . . . . . . .",
    },
    "processes.advance_stage": {
        "convenor":    "Y Y Y Y Y Y Y Y Y .",
        "facilitator": ". . . . . . . . . .",
        "member":      ". . . . . . . . . .",
        "observer":    ". . . . . . . . . .",
        "outsider":    ". . . . . . . . . .",
        "anonymous":   ". . . . . . . . . .",
    },
    "processes.edit_key_areas": {
        "convenor":    "Y Y Y Y Y . . . . .",
        "facilitator": "Y Y Y Y Y . . . . .",
        "member":      ". . . . . . . . . .",
        "observer":    ". . . . . . . . . .",
        "outsider":    ". . . . . . . . . .",
        "anonymous":   ". . . . . . . . . .",
    },
    "processes.change_settings": {
        "convenor":    "Y Y Y Y Y Y Y Y Y Y",
        "facilitator": ". . . . . . . . . .",
        "member":      ". . . . . . . . . .",
        "observer":    ". . . . . . . . . .",
        "outsider":    ". . . . . . . . . .",
        "anonymous":   ". . . . . . . . . .",
    },
}
# fmt: on


def expected(perm: str, role: str, stage: str) -> bool:
    marks = EXPECTED[perm][role].split()
    assert len(marks) == len(STAGES) and set(marks) <= {"Y", "."}
    return marks[STAGES.index(stage)] == "Y"


def test_table_is_complete():
    assert {p for p in registered if p.startswith("processes.")} == set(EXPECTED)
    for grid in EXPECTED.values():
        assert list(grid) == ROLES


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """One partnership with a person in each role and a process at each point in its life,
    built once for the matrix (300 checks) and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        partnership = PartnershipFactory(name="Matrix partnership", slug="matrix")
        users = {role: member(partnership, role) for role in Role.values}
        users["outsider"] = UserFactory()
        users["anonymous"] = AnonymousUser()
        processes = {}
        for stage in STAGES:
            process = at_stage(ProcessFactory(partnership=partnership), stage)
            assert current_stage_kind(process) == stage
            processes[stage] = process
        yield {"users": users, "processes": processes}
        transaction.set_rollback(True)


class TestMatrix:
    @pytest.mark.parametrize("stage", STAGES)
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("perm", sorted(EXPECTED))
    def test_role_by_stage(self, world, db, perm, role, stage):
        user = world["users"][role]
        assert user.has_perm(perm, world["processes"][stage]) is expected(perm, role, stage)


@pytest.mark.parametrize("stage", ["setup", "drafting", "closed"])
def test_a_member_of_partnership_a_has_no_rights_over_partnership_bs_process(people, stage):
    other = PartnershipFactory()
    member(other, Role.CONVENOR)
    b_process = at_stage(ProcessFactory(partnership=other), stage)
    for role in ("convenor", "facilitator", "member", "observer"):
        for perm in EXPECTED:
            assert people[role].has_perm(perm, b_process) is False, f"{role} of A has {perm} in B at {stage}"


def test_no_process_permission_without_a_process(people):
    for perm in EXPECTED:
        assert people[Role.CONVENOR].has_perm(perm, None) is False


def test_a_process_with_fewer_stages_follows_the_same_rules(partnership, people):
    short = ProcessFactory(partnership=partnership, stages=["drafting", "publication"])
    convenor = people[Role.CONVENOR]
    assert convenor.has_perm("processes.change_process", at_stage(short, "drafting"))
    assert not convenor.has_perm("processes.change_process", at_stage(short, "publication"))
    closed = at_stage(short, "closed")
    assert current_stage_kind(closed) == "closed"
    assert not convenor.has_perm("processes.advance_stage", closed)
    assert convenor.has_perm("processes.change_settings", closed)
