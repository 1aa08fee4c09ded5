"""Writes to the organisation directory. Callers check permission (the directory is shared
by partnerships; partnerships.services decides who may add or change what)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from compact.activity.services import audit_record, diff, snapshot

from .models import Organisation, OrganisationIdentifier
from .orgid import validate_org_id

FIELDS = ["org_id", "name", "kind", "size_band", "website", "description"]


def _check_identifier_free(value: str, *, organisation: Organisation | None = None) -> None:
    taken = Organisation.objects.filter(org_id=value).exclude(pk=getattr(organisation, "pk", None)).exists()
    taken = taken or OrganisationIdentifier.objects.filter(value=value).exclude(organisation=organisation).exists()
    if taken:
        raise ValidationError({"org_id": f"{value} is already in the directory"})


@transaction.atomic
def organisation_create(
    *,
    actor,
    org_id: str,
    name: str,
    kind: str,
    size_band: str = "",
    website: str = "",
    description: str = "",
    places=(),
    partnership_id: int | None = None,
) -> Organisation:
    org_id = validate_org_id(org_id)
    _check_identifier_free(org_id)
    organisation = Organisation(
        org_id=org_id,
        name=name.strip(),
        kind=kind,
        size_band=size_band,
        website=website,
        description=description,
    )
    organisation.full_clean()
    organisation.save()
    organisation.places_served.set(places)
    audit_record(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        partnership_id=partnership_id,
        changes={"after": snapshot(organisation, FIELDS) | {"places_served": [str(p) for p in places]}},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor, partnership_id: int | None = None, places=None, **fields
) -> Organisation:
    before = snapshot(organisation, FIELDS) | {"places_served": [str(p) for p in organisation.places_served.all()]}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    if "org_id" in fields:
        fields["org_id"] = validate_org_id(fields["org_id"])
        _check_identifier_free(fields["org_id"], organisation=organisation)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    if places is not None:
        organisation.places_served.set(places)
    after = snapshot(organisation, FIELDS) | {"places_served": [str(p) for p in organisation.places_served.all()]}
    changes = diff(before, after)
    if changes:
        audit_record(
            actor=actor,
            action="organisation.update",
            obj=organisation,
            partnership_id=partnership_id,
            changes=changes,
        )
    return organisation


@transaction.atomic
def organisation_add_identifier(
    *, organisation: Organisation, actor, value: str, partnership_id: int | None = None
) -> OrganisationIdentifier:
    try:
        value = validate_org_id(value)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    try:
        _check_identifier_free(value)
    except ValidationError:
        raise ValidationError({"value": f"{value} is already in the directory"}) from None
    identifier = OrganisationIdentifier.objects.create(organisation=organisation, value=value)
    audit_record(
        actor=actor,
        action="organisation.add_identifier",
        obj=organisation,
        partnership_id=partnership_id,
        changes={"identifier": value},
    )
    return identifier
