"""A person's own data: export it, or erase it. Erasure anonymises the account and keeps the
record whole: audit entries and contributions stay, attributed to "Erased user"."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compact.activity.models import AuditEntry
from compact.activity.services import audit_record

from .models import BodyMember, Invitation, Membership, Role

ERASED_NAME = "Erased user"

# Apps above this one add what they hold about a person (votes, registrations, ideas...):
# export(user) -> JSON-ready data under `key`; erase(user) anonymises it inside the erasure.
_SOURCES: list[tuple[str, Callable, Callable | None]] = []


def register_personal_data(key: str, export: Callable, erase: Callable | None = None) -> None:
    if any(k == key for k, _, _ in _SOURCES):
        raise ValueError(f"Personal data {key!r} is registered twice")
    _SOURCES.append((key, export, erase))


def personal_data_export(*, user) -> dict:
    """Everything Compact holds about a person, as plain data for a JSON download."""
    from allauth.account.models import EmailAddress

    memberships = Membership.objects.filter(user=user).select_related("partnership", "organisation")
    bodies = BodyMember.objects.filter(user=user).select_related("body__partnership", "organisation")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "joined": user.date_joined.isoformat(),
            "last_sign_in": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
        },
        "memberships": [
            {
                "partnership": m.partnership.name,
                "role": m.role,
                "organisation": str(m.organisation or ""),
                "since": m.created_at.isoformat(),
            }
            for m in memberships
        ],
        "groups": [
            {"group": b.body.name, "partnership": b.body.partnership.name, "organisation": str(b.organisation or "")}
            for b in bodies
        ],
        "invitations_received": [
            {"partnership": i.partnership.name, "role": i.role, "status": i.status, "sent": i.created_at.isoformat()}
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("partnership")
        ],
        "activity": [
            {"at": e.at.isoformat(), "action": e.action, "object": e.object_repr}
            for e in AuditEntry.objects.filter(actor=user).order_by("at")
        ],
        **{key: export(user) for key, export, _ in _SOURCES},
    }


def _sole_convenorships(user) -> list[str]:
    names = []
    for m in Membership.objects.filter(user=user, role=Role.CONVENOR).select_related("partnership"):
        if not m.partnership.memberships.filter(role=Role.CONVENOR).exclude(user=user).exists():
            names.append(m.partnership.name)
    return names


@transaction.atomic
def user_erase(*, user) -> None:
    """Anonymise a person at their own request. Refused while they are a partnership's only
    convenor, so no partnership is left without someone to run it."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    sole = _sole_convenorships(user)
    if sole:
        raise ValidationError(
            f"You are the only convenor of {', '.join(sole)}. Make someone else convenor first, then erase your account."
        )
    partnership_ids = list(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))
    old_email = user.email
    Invitation.objects.filter(email__iexact=old_email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    for _, _, erase in _SOURCES:
        if erase is not None:
            erase(user)
    BodyMember.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ERASED_NAME
    user.is_active = False
    user.set_unusable_password()
    user.save()
    for pid in partnership_ids or [None]:
        audit_record(actor=user, action="user.erase", obj=user, partnership_id=pid)
