from django.db import models
from django.db.models import Q


class AreaKind(models.TextChoices):
    REGION = "region", "NHS region"
    ICB = "icb", "Integrated care board"
    SUB_ICB = "sub_icb", "Sub-ICB location"
    BOROUGH = "borough", "Borough"
    LSOA = "lsoa", "Neighbourhood (LSOA)"


class Area(models.Model):
    """A place with an official code. Boundaries change, so areas have validity dates and
    a successor rather than being edited or deleted (e.g. the 2026 London ICB merger)."""

    code = models.CharField("ONS code", max_length=12, unique=True)
    ods_code = models.CharField("NHS ODS code", max_length=12, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=AreaKind.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors")
    # Deprivation, for LSOAs: IMD 2019 rank (1 = most deprived of 32,844) and derived decile.
    imd_rank = models.PositiveIntegerField(null=True, blank=True)
    imd_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    core20 = models.BooleanField(default=False, help_text="In the 20% most deprived areas")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="area_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__gte=1, imd_decile__lte=10),
                name="area_imd_decile_1_to_10",
            ),
        ]

    def __str__(self):
        return self.name

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def current(self) -> "Area":
        """Follow successors to the area that covers this one today."""
        area, seen = self, set()
        while area.successor_id and area.pk not in seen:
            seen.add(area.pk)
            area = area.successor
        return area
