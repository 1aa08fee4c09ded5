from django.conf import settings
from django.db import models
from django.db.models import F, Q

from compact.core.models import TimeStampedModel
from compact.partnerships.models import Partnership


class ProcessKind(models.TextChoices):
    CHARTER = "charter", "Charter"
    STRATEGY = "strategy", "Strategy"
    COMPACT = "compact", "Compact"
    MEMORANDUM = "memorandum", "Memorandum of understanding"


class StageKind(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership group"
    WORKSHOPS = "workshops", "Workshops"
    EVIDENCE = "evidence", "Evidence and case studies"
    DRAFTING = "drafting", "Drafting"
    CONSULTATION = "consultation", "Consultation"
    SIGN_OFF = "sign_off", "Sign-off"
    PUBLICATION = "publication", "Publication"
    DELIVERY = "delivery", "Delivery"


class StageStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Process(TimeStampedModel):
    """One co-design process: an agreement from first meeting to yearly review."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="processes")
    kind = models.CharField(max_length=20, choices=ProcessKind.choices, default=ProcessKind.CHARTER)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    purpose_summary = models.TextField(max_length=3000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Features opened outside the stages that normally allow them: {"feature.name": true}.
    feature_settings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["partnership", "title"]
        verbose_name_plural = "processes"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="unique_process_slug"),
        ]

    def __str__(self):
        return self.title


class Stage(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=20, choices=StageKind.choices)
    title = models.CharField(max_length=120, blank=True, help_text="Leave blank to use the stage's usual name")
    position = models.PositiveSmallIntegerField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=StageStatus.choices, default=StageStatus.PLANNED)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="unique_stage_position"),
            models.UniqueConstraint(fields=["process", "kind"], name="unique_stage_kind"),
            models.UniqueConstraint(
                fields=["process"], condition=Q(status="active"), name="one_active_stage_per_process"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="stage_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.get_kind_display()


class KeyArea(models.Model):
    """A heading the agreement's commitments sit under (e.g. "Procurement that does not
    disadvantage VCSE organisations"). Defined per process, so workshop prompts can be tied to
    one before any text is drafted; the drafting app orders its commitments under them."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="key_areas")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="unique_key_area_position"),
            models.UniqueConstraint(fields=["process", "title"], name="unique_key_area_title"),
        ]

    def __str__(self):
        return self.title
