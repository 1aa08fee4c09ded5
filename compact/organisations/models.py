from django.db import models

from compact.core.models import TimeStampedModel
from compact.geography.models import Area

from .orgid import validate_org_id


class OrganisationKind(models.TextChoices):
    ICB = "icb", "Integrated care board"
    NHS_TRUST = "nhs_trust", "NHS trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PRIMARY_CARE = "primary_care", "Primary care"
    VCSE = "vcse", "VCSE organisation"
    VCSE_INFRASTRUCTURE = "vcse_infrastructure", "VCSE infrastructure or alliance"
    OTHER = "other", "Other"


class SizeBand(models.TextChoices):
    """Annual income bands, as the sector's almanac uses them."""

    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £100,000)"
    MEDIUM = "medium", "Medium (£100,000 to £1 million)"
    LARGE = "large", "Large (£1 million to £10 million)"
    MAJOR = "major", "Major (£10 million to £100 million)"
    SUPER_MAJOR = "super_major", "Super-major (over £100 million)"
    UNKNOWN = "", "Not known"


class Organisation(TimeStampedModel):
    org_id = models.CharField("organisation identifier", max_length=60, unique=True, validators=[validate_org_id])
    name = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(max_length=30, choices=OrganisationKind.choices, db_index=True)
    size_band = models.CharField(max_length=20, choices=SizeBand.choices, blank=True, db_index=True)
    website = models.URLField(max_length=300, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    places_served = models.ManyToManyField(Area, blank=True, related_name="organisations")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationIdentifier(models.Model):
    """Other identifiers of the same organisation (a charity that is also a company)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="identifiers")
    value = models.CharField(max_length=60, unique=True, validators=[validate_org_id])

    class Meta:
        ordering = ["value"]

    def __str__(self):
        return self.value
