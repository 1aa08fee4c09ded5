"""Writes to partnerships and the organisations in them.
Each function checks permission, validates, saves atomically and records an audit entry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm, unique_slug
from compact.organisations import services as organisation_services
from compact.organisations.models import Organisation

from ..models import Membership, Partnership, PartnershipOrganisation, Role
from ..selectors import forget_roles

PARTNERSHIP_FIELDS = ["name", "description", "brand_name", "brand_colour", "logo_alt"]


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
