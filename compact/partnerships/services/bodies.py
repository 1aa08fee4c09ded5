"""Groups (bodies) in a partnership and their members.
Each function checks permission, validates, saves atomically and records an audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm
from compact.organisations.models import Organisation

from ..models import Body, BodyMember, Partnership

BODY_FIELDS = ["name", "kind", "description"]


@transaction.atomic
def body_create(*, partnership: Partnership, actor, name: str, kind: str, description: str = "") -> Body:
    require_perm(actor, "partnerships.manage_bodies", partnership)
    body = Body(partnership=partnership, name=name.strip(), kind=kind, description=description)
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action="body.create",
        obj=body,
        partnership_id=partnership.pk,
        changes={"after": snapshot(body, BODY_FIELDS)},
    )
    return body


@transaction.atomic
def body_update(*, body: Body, actor, **fields) -> Body:
    require_perm(actor, "partnerships.manage_bodies", body.partnership)
    before = snapshot(body, BODY_FIELDS)
    for name, value in fields.items():
        if name not in BODY_FIELDS:
            raise TypeError(f"Unknown body field {name}")
        setattr(body, name, value.strip() if isinstance(value, str) else value)
    body.full_clean()
    body.save()
    changes = diff(before, snapshot(body, BODY_FIELDS))
    if changes:
        audit_record(actor=actor, action="body.update", obj=body, partnership_id=body.partnership_id, changes=changes)
    return body


@transaction.atomic
def body_add_member(*, body: Body, actor, user, organisation: Organisation | None = None) -> BodyMember:
    require_perm(actor, "partnerships.manage_bodies", body.partnership)
    if not body.partnership.memberships.filter(user=user).exists():
        raise ValidationError({"user": "Only members of the partnership can join its groups"})
    try:
        with transaction.atomic():
            member = BodyMember.objects.create(body=body, user=user, organisation=organisation)
    except IntegrityError:
        raise ValidationError({"user": f"{user} is already in {body.name}"}) from None
    audit_record(
        actor=actor,
        action="body.add_member",
        obj=body,
        partnership_id=body.partnership_id,
        changes={"member": str(user)},
    )
    return member


@transaction.atomic
def body_remove_member(*, body: Body, actor, member: BodyMember) -> None:
    require_perm(actor, "partnerships.manage_bodies", body.partnership)
    if member.body_id != body.pk:
        raise ValidationError("That person is not a member of this group.")
    audit_record(
        actor=actor,
        action="body.remove_member",
        obj=body,
        partnership_id=body.partnership_id,
        changes={"member": str(member.user)},
    )
    member.delete()
