"""Who may do what in a partnership. Roles come from Membership (see selectors.roles_for_user).
Predicates take any object with a `partnership_id` (or a Partnership itself)."""

import rules

from .models import Partnership, Role
from .selectors import role_in


def partnership_id_of(obj) -> int | None:
    if isinstance(obj, Partnership):
        return obj.pk
    return getattr(obj, "partnership_id", None)


def has_role(*roles: str):
    allowed = frozenset(roles)

    @rules.predicate(name=f"has_role({'|'.join(roles)})")
    def predicate(user, obj) -> bool:
        pid = partnership_id_of(obj)
        return pid is not None and role_in(user, pid) in allowed

    return predicate


is_convenor = has_role(Role.CONVENOR)
is_organiser = has_role(Role.CONVENOR, Role.FACILITATOR)
is_participant = has_role(Role.CONVENOR, Role.FACILITATOR, Role.MEMBER)
is_partnership_member = has_role(*Role.values)

rules.add_perm("partnerships.add_partnership", rules.is_authenticated)
rules.add_perm("partnerships.view_partnership", is_partnership_member)
rules.add_perm("partnerships.change_partnership", is_convenor)
rules.add_perm("partnerships.view_members", is_partnership_member)
rules.add_perm("partnerships.invite_member", is_convenor)
rules.add_perm("partnerships.manage_members", is_convenor)
rules.add_perm("partnerships.add_organisation", is_organiser)
rules.add_perm("partnerships.change_organisation", is_organiser)
rules.add_perm("partnerships.manage_bodies", is_convenor)
rules.add_perm("partnerships.view_audit_log", is_convenor)
rules.add_perm("partnerships.add_process", is_convenor)
