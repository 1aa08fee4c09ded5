"""Who may do what in a partnership: the role matrix, written out by hand."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from rules.permissions import permissions as registered

from compact.partnerships.models import Role

from ..factories import BodyFactory, MembershipFactory, PartnershipFactory, ProcessFactory, UserFactory, member

ROLES = ["convenor", "facilitator", "member", "observer", "outsider", "anonymous"]

# fmt: off
# Y = allowed, . = refused.        convenor facilitator member observer outsider anonymous
EXPECTED = {
    "partnerships.view_partnership":    "Y Y Y Y . .",
    "partnerships.view_members":        "Y Y Y Y . .",
    "partnerships.change_partnership":  "Y . . . . .",
    "partnerships.invite_member":       "Y . . . . .",
    "partnerships.manage_members":      "Y . . . . .",
    "partnerships.manage_bodies":       "Y . . . . .",
    "partnerships.view_audit_log":      "Y . . . . .",
    "partnerships.add_process":         "Y . . . . .",
    "partnerships.add_organisation":    "Y Y . . . .",
    "partnerships.change_organisation": "Y Y . . . .",
}
# Starting a partnership needs no partnership: anyone signed in.
ADD_PARTNERSHIP = "Y Y Y Y Y ."
# fmt: on


def row(cells: str) -> dict[str, bool]:
    marks = cells.split()
    assert len(marks) == len(ROLES) and set(marks) <= {"Y", "."}
    return {role: mark == "Y" for role, mark in zip(ROLES, marks, strict=True)}


def person(people, role):
    return AnonymousUser() if role == "anonymous" else people[role]


def test_every_registered_partnership_permission_is_in_the_table():
    assert {p for p in registered if p.startswith("partnerships.")} == {*EXPECTED, "partnerships.add_partnership"}


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """One partnership with a person in each role, built once for the matrix and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        partnership = PartnershipFactory(name="Matrix partnership", slug="matrix")
        people = {role: member(partnership, role) for role in Role.values}
        people["outsider"] = UserFactory()
        yield {"partnership": partnership, "people": people}
        transaction.set_rollback(True)


class TestMatrix:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("perm", sorted(EXPECTED))
    def test_role(self, world, db, perm, role):
        assert person(world["people"], role).has_perm(perm, world["partnership"]) is row(EXPECTED[perm])[role]


@pytest.mark.parametrize("role", ROLES)
def test_add_partnership(partnership, people, role):
    assert person(people, role).has_perm("partnerships.add_partnership") is row(ADD_PARTNERSHIP)[role]
    assert person(people, role).has_perm("partnerships.add_partnership", None) is row(ADD_PARTNERSHIP)[role]


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_no_permission_without_an_object(people, perm):
    # A partnership permission asked about nothing at all is refused, even for a convenor.
    assert people[Role.CONVENOR].has_perm(perm) is False
    assert people[Role.CONVENOR].has_perm(perm, None) is False


@pytest.mark.parametrize("role", ["convenor", "facilitator", "member", "observer"])
def test_roles_in_partnership_a_give_no_rights_over_partnership_b(partnership, people, role):
    other = PartnershipFactory(name="North East London", slug="north-east-london")
    member(other, Role.MEMBER)  # B has people of its own
    user = people[role]
    b_objects = [
        other,
        BodyFactory(partnership=other),
        MembershipFactory(partnership=other),
        ProcessFactory(partnership=other),
    ]
    for obj in b_objects:
        for perm in registered:
            if perm == "partnerships.add_partnership":
                continue
            assert user.has_perm(perm, obj) is False, f"{role} of A has {perm} on {obj!r} in B"
    # Still everything they should have in A.
    assert user.has_perm("partnerships.view_partnership", partnership)


def test_a_role_in_one_partnership_does_not_lift_a_lower_role_in_another(partnership, people):
    convenor_of_a = people[Role.CONVENOR]
    other = PartnershipFactory()
    MembershipFactory(partnership=other, user=convenor_of_a, role=Role.OBSERVER)
    assert convenor_of_a.has_perm("partnerships.view_partnership", other)
    for perm in (
        "partnerships.change_partnership",
        "partnerships.invite_member",
        "partnerships.add_organisation",
        "partnerships.view_audit_log",
        "partnerships.add_process",
    ):
        assert convenor_of_a.has_perm(perm, partnership)
        assert not convenor_of_a.has_perm(perm, other)


def test_objects_carrying_a_partnership_id_use_that_partnership(partnership, people):
    body = BodyFactory(partnership=partnership)
    assert people[Role.CONVENOR].has_perm("partnerships.manage_bodies", body)
    assert not people[Role.FACILITATOR].has_perm("partnerships.manage_bodies", body)
    assert people[Role.OBSERVER].has_perm("partnerships.view_partnership", body)
    assert not UserFactory().has_perm("partnerships.view_partnership", body)
