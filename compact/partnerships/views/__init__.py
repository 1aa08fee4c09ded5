"""Partnership pages. Thin: find the partnership for this person, check permission, call a
service, render. One module per area; urls.py imports them from here."""

from .audit import audit_log
from .bodies import body_create, body_detail, body_edit
from .organisations import organisation_create, organisation_detail, organisation_directory, organisation_edit
from .partnership import partnership_create, partnership_edit
from .people import invitation_accept, invitation_revoke, invite, membership_edit, partnership_people
from .privacy import your_data

__all__ = [
    "audit_log", "body_create", "body_detail", "body_edit", "organisation_create", "organisation_detail",
    "organisation_directory", "organisation_edit", "partnership_create", "partnership_edit", "invitation_accept",
    "invitation_revoke", "invite", "membership_edit", "partnership_people", "your_data",
]  # fmt: skip
