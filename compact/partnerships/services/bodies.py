"""Groups (bodies) in a partnership and their members.
Each function checks permission, validates, saves atomically and records an audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm
from compact.organisations.models import Organisation

from ..models import Body, BodyMember, Partnership, Position

BODY_FIELDS = [
    "name", "kind", "description", "quorum", "decision_rule", "casting_vote", "voters", "allow_anonymous_votes",
    "voting_hours",
]  # fmt: skip
MEMBER_FIELDS = ["position", "starts_on", "ends_on"]


@transaction.atomic
def body_create(*, partnership: Partnership, actor, name: str, kind: str, description: str = "", **terms) -> Body:
    """`terms`: the group's terms of reference (quorum, decision_rule, casting_vote, voters,
    allow_anonymous_votes, voting_hours); any left out keep the model's defaults."""
    require_perm(actor, "partnerships.manage_bodies", partnership)
    unknown = set(terms) - set(BODY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown body fields {sorted(unknown)}")
    body = Body(partnership=partnership, name=name.strip(), kind=kind, description=description, **terms)
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
def body_add_member(
    *,
    body: Body,
    actor,
    user,
    organisation: Organisation | None = None,
    position: str = Position.MEMBER,
    starts_on=None,
    ends_on=None,
) -> BodyMember:
    require_perm(actor, "partnerships.manage_bodies", body.partnership)
    if not body.partnership.memberships.filter(user=user).exists():
        raise ValidationError({"user": "Only members of the partnership can join its groups"})
    member = BodyMember(
        body=body, user=user, organisation=organisation, position=position or Position.MEMBER,
        starts_on=starts_on if starts_on is not None else timezone.localdate(), ends_on=ends_on,
    )  # fmt: skip
    _check_dates(member)
    member.full_clean(exclude=["body", "user"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"user": f"{user} is already in {body.name}"}) from None
    audit_record(
        actor=actor,
        action="body.add_member",
        obj=body,
        partnership_id=body.partnership_id,
        changes={"member": str(user), **snapshot(member, MEMBER_FIELDS)},
    )
    return member


def _check_dates(member: BodyMember) -> None:
    if member.starts_on and member.ends_on and member.ends_on < member.starts_on:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start date"})


@transaction.atomic
def body_change_member(*, body: Body, actor, member: BodyMember, **fields) -> BodyMember:
    """Change a member's position or dates. Ending a membership keeps the person's history."""
    require_perm(actor, "partnerships.manage_bodies", body.partnership)
    if member.body_id != body.pk:
        raise ValidationError("That person is not a member of this group.")
    before = snapshot(member, MEMBER_FIELDS)
    for name, value in fields.items():
        if name not in MEMBER_FIELDS:
            raise TypeError(f"Unknown member field {name}")
        setattr(member, name, value)
    _check_dates(member)
    member.full_clean(exclude=["body", "user"], validate_constraints=False)
    member.save()
    changes = diff(before, snapshot(member, MEMBER_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="body.change_member", obj=body, partnership_id=body.partnership_id,
            changes={"member": str(member.user), **changes},
        )  # fmt: skip
    return member


@transaction.atomic
def body_end_membership(*, body: Body, actor, member: BodyMember) -> BodyMember:
    """The person stops serving today; their past membership stays on record."""
    today = timezone.localdate()
    starts_on = member.starts_on if member.starts_on is None or member.starts_on <= today else today
    return body_change_member(body=body, actor=actor, member=member, starts_on=starts_on, ends_on=today)


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
