"""Invitations: emailed links that let a person join a partnership with a role, once.
Each function checks permission, validates, saves atomically and records an audit entry."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.core.tokens import new_token, token_hash
from compact.organisations.models import Organisation

from ..models import Invitation, Membership, Partnership, Role
from ..selectors import forget_roles

INVITATION_LIFETIME = dt.timedelta(days=14)


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
    token = new_token()
    invitation = Invitation(
        partnership=partnership,
        email=email,
        role=role,
        organisation=organisation,
        token_hash=token_hash(token),
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
    return Invitation.objects.select_related("partnership", "invited_by").filter(token_hash=token_hash(token)).first()


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
