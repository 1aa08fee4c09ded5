"""Changing and removing people in a partnership. A partnership always keeps a convenor.
Each function checks permission, validates, saves atomically and records an audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm
from compact.organisations.models import Organisation

from ..models import BodyMember, Membership, Role
from ..selectors import forget_roles


def _check_keeps_a_convenor(membership: Membership, new_role: str | None) -> None:
    if membership.role == Role.CONVENOR and new_role != Role.CONVENOR:
        others = membership.partnership.memberships.filter(role=Role.CONVENOR).exclude(pk=membership.pk)
        if not others.exists():
            raise ValidationError("A partnership needs at least one convenor. Make someone else convenor first.")


@transaction.atomic
def membership_update(
    *, membership: Membership, actor, role: str, organisation: Organisation | None = None
) -> Membership:
    require_perm(actor, "partnerships.manage_members", membership.partnership)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    _check_keeps_a_convenor(membership, role)
    before = snapshot(membership, ["role", "organisation"])
    membership.role = role
    membership.organisation = organisation
    membership.full_clean()
    membership.save()
    forget_roles(membership.user)
    changes = diff(before, snapshot(membership, ["role", "organisation"]))
    if changes:
        audit_record(
            actor=actor,
            action="membership.update",
            obj=membership,
            partnership_id=membership.partnership_id,
            changes=changes,
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    require_perm(actor, "partnerships.manage_members", membership.partnership)
    _check_keeps_a_convenor(membership, None)
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        partnership_id=membership.partnership_id,
        changes={"before": snapshot(membership, ["user", "role"])},
    )
    BodyMember.objects.filter(body__partnership=membership.partnership, user=membership.user).delete()
    membership.delete()
    forget_roles(membership.user)
