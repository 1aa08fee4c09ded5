"""Every write to partnerships, their organisations, people, groups and invitations.
Each function checks permission, validates, saves atomically and records an audit entry."""

from .bodies import (
    body_add_member,
    body_change_member,
    body_create,
    body_end_membership,
    body_remove_member,
    body_update,
)
from .invitations import (
    INVITATION_LIFETIME,
    InvitationUnusable,
    invitation_accept,
    invitation_check_usable,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
)
from .members import membership_remove, membership_update
from .partnership import (
    partnership_add_organisation,
    partnership_create,
    partnership_organisation_create,
    partnership_organisation_update,
    partnership_update,
)

__all__ = [
    "INVITATION_LIFETIME", "InvitationUnusable", "body_add_member", "body_change_member", "body_create",
    "body_end_membership", "body_remove_member",
    "body_update", "invitation_accept", "invitation_check_usable", "invitation_create", "invitation_from_token",
    "invitation_revoke", "membership_remove", "membership_update", "partnership_add_organisation",
    "partnership_create", "partnership_organisation_create", "partnership_organisation_update", "partnership_update",
]  # fmt: skip
