"""Every write to partnerships, their members, organisations, groups and invitations.
Each function checks permission, validates, saves atomically and records an audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm, unique_slug
from compact.organisations import services as organisation_services
from compact.organisations.models import Organisation

from .models import Body, BodyMember, Invitation, Membership, Partnership, PartnershipOrganisation, Role
from .selectors import forget_roles

INVITATION_LIFETIME = dt.timedelta(days=14)
PARTNERSHIP_FIELDS = ["name", "description", "brand_name", "brand_colour", "logo_alt"]


# Partnerships -------------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *,
    actor,
    name: str,
    description: str = "",
    brand_name: str = "",
    brand_colour: str = "#1d4f7a",
    places=(),
    logo=None,
    logo_alt: str = "",
) -> Partnership:
    """Anyone signed in may start a partnership; they become its first convenor."""
    require_perm(actor, "partnerships.add_partnership", None)
    partnership = Partnership(
        name=name.strip(),
        description=description,
        brand_name=brand_name.strip(),
        brand_colour=brand_colour.lower(),
        logo_alt=logo_alt.strip(),
        slug=unique_slug(Partnership.objects.all(), name),
    )
    if logo:
        partnership.logo = logo
    _validate_logo_alt(partnership)
    partnership.full_clean()
    partnership.save()
    partnership.places.set(places)
    Membership.objects.create(partnership=partnership, user=actor, role=Role.CONVENOR)
    forget_roles(actor)
    audit_record(
        actor=actor,
        action="partnership.create",
        obj=partnership,
        partnership_id=partnership.pk,
        changes={"after": snapshot(partnership, PARTNERSHIP_FIELDS) | {"places": [str(p) for p in places]}},
    )
    return partnership


def _validate_logo_alt(partnership: Partnership) -> None:
    if partnership.logo and not partnership.logo_alt:
        raise ValidationError({"logo_alt": "Describe the logo for people who cannot see it"})


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, actor, places=None, logo=None, clear_logo=False, **fields
) -> Partnership:
    require_perm(actor, "partnerships.change_partnership", partnership)
    before = snapshot(partnership, PARTNERSHIP_FIELDS) | {"places": [str(p) for p in partnership.places.all()]}
    for name in set(fields) - set(PARTNERSHIP_FIELDS):
        raise TypeError(f"Unknown partnership field {name}")
    for name, value in fields.items():
        setattr(partnership, name, value.strip() if isinstance(value, str) else value)
    partnership.brand_colour = partnership.brand_colour.lower()
    if clear_logo:
        partnership.logo = ""
    elif logo:
        partnership.logo = logo
    _validate_logo_alt(partnership)
    partnership.full_clean()
    partnership.save()
    if places is not None:
        partnership.places.set(places)
    after = snapshot(partnership, PARTNERSHIP_FIELDS) | {"places": [str(p) for p in partnership.places.all()]}
    changes = diff(before, after)
    if logo or clear_logo:
        changes["logo"] = ["", "removed" if clear_logo else "new logo"]
    if changes:
        audit_record(
            actor=actor, action="partnership.update", obj=partnership, partnership_id=partnership.pk, changes=changes
        )
    return partnership


# Organisations in a partnership ---------------------------------------------------------


@transaction.atomic
def partnership_add_organisation(
    *, partnership: Partnership, actor, organisation: Organisation
) -> PartnershipOrganisation:
    require_perm(actor, "partnerships.add_organisation", partnership)
    link, created = PartnershipOrganisation.objects.get_or_create(partnership=partnership, organisation=organisation)
    if not created:
        raise ValidationError({"org_id": f"{organisation.name} is already a member of this partnership"})
    audit_record(actor=actor, action="partnership.add_organisation", obj=organisation, partnership_id=partnership.pk)
    return link


@transaction.atomic
def partnership_organisation_create(*, partnership: Partnership, actor, places=(), **fields) -> Organisation:
    """Add an organisation to the directory and to this partnership in one step."""
    require_perm(actor, "partnerships.add_organisation", partnership)
    organisation = organisation_services.organisation_create(
        actor=actor, partnership_id=partnership.pk, places=places, **fields
    )
    PartnershipOrganisation.objects.create(partnership=partnership, organisation=organisation)
    return organisation


@transaction.atomic
def partnership_organisation_update(
    *, partnership: Partnership, actor, organisation: Organisation, places=None, **fields
) -> Organisation:
    require_perm(actor, "partnerships.change_organisation", partnership)
    if not organisation.partnership_links.filter(partnership=partnership).exists():
        raise PermissionDenied("This organisation is not a member of this partnership.")
    return organisation_services.organisation_update(
        organisation=organisation, actor=actor, partnership_id=partnership.pk, places=places, **fields
    )


# Members and invitations --------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *,
    partnership: Partnership,
    actor,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    accept_url_builder=None,
) -> tuple[Invitation, str]:
    """Invite someone by email. Returns the invitation and the raw token (only ever emailed).
    A new invitation replaces any earlier unused one for the same address."""
    require_perm(actor, "partnerships.invite_member", partnership)
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role"})
    if partnership.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member of this partnership"})
    now = timezone.now()
    partnership.invitations.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        partnership=partnership,
        email=email,
        role=role,
        organisation=organisation,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        partnership_id=partnership.pk,
        changes={"email": email, "role": role},
    )
    if accept_url_builder is not None:
        _send_invitation(invitation, accept_url_builder(token))
    return invitation, token


def _send_invitation(invitation: Invitation, url: str) -> None:
    context = {"invitation": invitation, "url": url, "days": INVITATION_LIFETIME.days}
    send_mail(
        subject=f"You are invited to join {invitation.partnership.name} on Compact",
        message=render_to_string("partnerships/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )


def invitation_from_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("partnership", "invited_by").filter(token_hash=_token_hash(token)).first()


class InvitationUnusable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_check_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationUnusable("This invitation link is not valid. Check you copied the whole link.")
    status = invitation.status
    if status == "accepted":
        raise InvitationUnusable("This invitation has already been used. Sign in to reach the partnership.")
    if status == "revoked":
        raise InvitationUnusable("This invitation was withdrawn or replaced by a newer one. Check your email.")
    if status == "expired":
        raise InvitationUnusable("This invitation has expired. Ask the convenor who invited you to send a new one.")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Use an invitation once: the signed-in person, whose email must match, joins."""
    invitation = invitation_from_token(token)
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().select_related("partnership").get(pk=invitation.pk)
    invitation = invitation_check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationUnusable(
            f"This invitation is for {invitation.email}. You are signed in as {user.email}. "
            "Sign out, then open the link again."
        )
    membership, created = Membership.objects.get_or_create(
        partnership=invitation.partnership,
        user=user,
        defaults={"role": invitation.role, "organisation": invitation.organisation},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    forget_roles(user)
    audit_record(
        actor=user,
        action="invitation.accept",
        obj=invitation,
        partnership_id=invitation.partnership_id,
        changes={"role": membership.role},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    require_perm(actor, "partnerships.invite_member", invitation.partnership)
    if invitation.status != "pending":
        raise ValidationError("Only a pending invitation can be withdrawn.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="invitation.revoke", obj=invitation, partnership_id=invitation.partnership_id)
    return invitation


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


# Bodies ---------------------------------------------------------------------------------

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
