"""The agreement's text: a document of blocks (introduction, free sections, key areas and their
commitments), edited one block at a time, and named versions cut from it.

Text is stored raw (Markdown, sanitised when rendered). Lengths are enforced here; control
characters and whitespace are handled in services. Each block carries `lock_version`, raised by
every change, so a save made against an older text is caught (optimistic locking) instead of
overwriting someone else's edit."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from compact.core.models import TimeStampedModel
from compact.organisations.models import OrganisationKind
from compact.partnerships.models import Partnership
from compact.processes.models import KeyArea, Process

TITLE_MAX = 200
STATEMENT_MAX = 1000
BODY_MAX = 20000
ALL_PARTNERS = "all"


class BlockKind(models.TextChoices):
    INTRODUCTION = "introduction", "Introduction"
    SECTION = "section", "Section"
    KEY_AREA = "key_area", "Key area"
    COMMITMENT = "commitment", "Commitment"


class SectionKind(models.TextChoices):
    """What a free section is for, so exports and sign-off can find, say, the governance text."""

    PURPOSE = "purpose", "Purpose"
    APPROACH = "approach", "Our approach"
    GOVERNANCE = "governance", "Governance"
    GLOSSARY = "glossary", "Glossary"
    OTHER = "other", "Other"


# Who commits: the partnership's organisation kinds, plus "all partners".
COMMITTER_CHOICES = [(ALL_PARTNERS, "All partners"), *OrganisationKind.choices]


class Framework(models.TextChoices):
    COVENANT = "covenant", "Civil Society Covenant principle"
    NHS_INTEGRATION = "nhs_integration", "NHS England integration area"
    CORE20PLUS5 = "core20plus5", "Core20PLUS5"
    LOCAL = "local", "Local priority"


class FrameworkTag(models.Model):
    """A tag commitments carry, such as a Civil Society Covenant principle. Each partnership
    keeps its own list, so local priorities sit beside national frameworks."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="framework_tags")
    framework = models.CharField(max_length=20, choices=Framework.choices)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["framework", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "framework", "name"], name="unique_framework_tag"),
        ]

    def __str__(self):
        return f"{self.get_framework_display()}: {self.name}"


class Document(TimeStampedModel):
    """The charter, compact or strategy a process writes. `partnership` repeats the process's,
    so permission checks need no join."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="documents")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=TITLE_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_key = models.CharField(max_length=64, blank=True, help_text="Makes a double-clicked create harmless")

    class Meta:
        ordering = ["process", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "request_key"], condition=~Q(request_key=""), name="unique_document_request"
            ),
        ]

    def __str__(self):
        return self.title


class Block(models.Model):
    """One editable piece of the document. Top-level blocks (introduction, sections, key areas)
    are ordered by `position`; commitments sit under their key area (`parent`), ordered by
    `position` within it. A removed block keeps its row (`removed_at`) so comments, amendments
    and links on it keep their place in the record."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(max_length=20, choices=BlockKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        limit_choices_to={"kind": BlockKind.KEY_AREA},
    )  # fmt: skip
    position = models.PositiveIntegerField()
    section_kind = models.CharField(max_length=20, choices=SectionKind.choices, blank=True)
    key_area = models.ForeignKey(KeyArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="blocks")
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    statement = models.TextField(
        max_length=STATEMENT_MAX, blank=True, validators=[MaxLengthValidator(STATEMENT_MAX)],
        help_text='A commitment: "We will …"',
    )  # fmt: skip
    body = models.TextField(max_length=BODY_MAX, blank=True, validators=[MaxLengthValidator(BODY_MAX)])
    committed_by = models.JSONField(default=list, blank=True, help_text="Values from COMMITTER_CHOICES")
    tags = models.ManyToManyField(FrameworkTag, blank=True, related_name="blocks")
    lock_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["document", "parent", "position"], name="drafting_block_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="commitment", parent__isnull=False) | (~Q(kind="commitment") & Q(parent__isnull=True)),
                name="only_commitments_have_a_parent",
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(kind="introduction", removed_at__isnull=True),
                name="one_introduction_per_document",
            ),
        ]  # fmt: skip

    def __str__(self):
        # Audit entries keep this: a kind and number, never the text people wrote.
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_commitment(self) -> bool:
        return self.kind == BlockKind.COMMITMENT


class Version(models.Model):
    """A named, immutable snapshot of the whole document ("Draft 2 for consultation"). Nothing
    updates a version once cut: `snapshot` holds every block's text as it stood (see
    versioning.snapshot for its shape)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=TITLE_MAX)
    note = models.TextField(max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_version_number")]

    def __str__(self):
        return f"Version {self.number}: {self.name}"
