"""Case studies: the practitioners' template (summary, challenge, solution, what we did, impact),
who and where they feature, Core20PLUS5 tags, images and attachments, review comments, and
consent per featured organisation and per named or pictured person.

Text is stored raw (Markdown, sanitised when rendered). Lengths are enforced here; control
characters and whitespace are handled in services. The anonymised version lives beside the
named one (anonymised_* fields) so both can be reviewed side by side."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from compact.core.models import TimeStampedModel
from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.partnerships.models import Partnership
from compact.processes.models import KeyArea

TITLE_MAX = 150
SUMMARY_MAX = 600
SECTION_MAX = 6000
QUOTE_MAX = 1000
NAME_MAX = 150
SECTIONS = ["challenge", "solution", "what_we_did", "impact"]
TEXT_FIELDS = ["title", "summary", *SECTIONS]
ANONYMISED_FIELDS = [f"anonymised_{name}" for name in TEXT_FIELDS]


def search_text(parts) -> str:
    """Texts joined by a line break (so no search matches across two of them), lower-cased."""
    return "\n".join(part or "" for part in parts).lower()


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    CONSENT_PENDING = "consent_pending", "Consent pending"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Use(models.TextChoices):
    """What a consent covers. Publishing needs DOCUMENT and/or WEB, whichever is published."""

    INTERNAL = "internal", "Internal use within the partnership"
    DOCUMENT = "document", "In the published document"
    WEB = "web", "On the public website"


class Version(models.TextChoices):
    NAMED = "named", "Named"
    ANONYMISED = "anonymised", "Anonymised"


class ClinicalArea(models.TextChoices):
    """The "5" of Core20PLUS5: five clinical areas for adults and five for children and young people."""

    MATERNITY = "adult_maternity", "Maternity"
    SMI = "adult_smi", "Severe mental illness"
    RESPIRATORY = "adult_respiratory", "Chronic respiratory disease"
    CANCER = "adult_cancer", "Early cancer diagnosis"
    HYPERTENSION = "adult_hypertension", "Hypertension case-finding and lipid management"
    CYP_ASTHMA = "cyp_asthma", "Asthma (children and young people)"
    CYP_DIABETES = "cyp_diabetes", "Diabetes (children and young people)"
    CYP_EPILEPSY = "cyp_epilepsy", "Epilepsy (children and young people)"
    CYP_ORAL_HEALTH = "cyp_oral_health", "Oral health (children and young people)"
    CYP_MENTAL_HEALTH = "cyp_mental_health", "Mental health (children and young people)"


class PlusGroup(models.Model):
    """A "PLUS" population group a partnership chooses locally (e.g. people experiencing homelessness)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plus_groups")
    name = models.CharField(max_length=NAME_MAX)
    description = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_plus_group_name")]

    def __str__(self):
        return self.name


class Contributor(TimeStampedModel):
    """Someone without an account invited by link to write a case study. Only the SHA-256 of the
    link's token is stored; the link works once, before it expires."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="case_study_contributors")
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField(max_length=254)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return self.name


class CaseStudy(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="case_studies")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(max_length=SUMMARY_MAX, blank=True)
    challenge = models.TextField("the challenge", max_length=SECTION_MAX, blank=True)
    solution = models.TextField("the solution", max_length=SECTION_MAX, blank=True)
    what_we_did = models.TextField("what we did", max_length=SECTION_MAX, blank=True)
    impact = models.TextField("the impact", max_length=SECTION_MAX, blank=True)
    anonymised_title = models.CharField(max_length=TITLE_MAX, blank=True)
    anonymised_summary = models.TextField(max_length=SUMMARY_MAX, blank=True)
    anonymised_challenge = models.TextField(max_length=SECTION_MAX, blank=True)
    anonymised_solution = models.TextField(max_length=SECTION_MAX, blank=True)
    anonymised_what_we_did = models.TextField(max_length=SECTION_MAX, blank=True)
    anonymised_impact = models.TextField(max_length=SECTION_MAX, blank=True)
    period_start = models.DateField(null=True, blank=True, help_text="A month is stored as its first day")
    period_end = models.DateField(null=True, blank=True)
    core20 = models.BooleanField("Core20", default=False, help_text="Reaches the most deprived 20% of the population")
    plus_groups = models.ManyToManyField(PlusGroup, blank=True, related_name="case_studies")
    organisations = models.ManyToManyField(
        Organisation, through="FeaturedOrganisation", blank=True, related_name="case_studies"
    )
    places = models.ManyToManyField(Area, blank=True, related_name="case_studies")
    key_areas = models.ManyToManyField(KeyArea, blank=True, related_name="case_studies")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contributor = models.ForeignKey(
        Contributor, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies"
    )
    # A key the form issues once, so a double-clicked "Create" makes one case study, not two.
    request_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_version = models.CharField(max_length=10, choices=Version.choices, blank=True)
    published_document = models.BooleanField(default=False)
    published_web = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # The text search reads, lower-cased in one column per version (kept by the services); stored
    # uncompressed on PostgreSQL, with trigram indexes (migration 0003).
    search_named = models.TextField(blank=True, editable=False)
    search_anonymised = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name_plural = "case studies"
        indexes = [models.Index(fields=["partnership", "status", "-updated_at"], name="casestudy_partnership_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "request_key"], condition=~Q(request_key=""), name="unique_casestudy_request_key"
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="casestudy_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_version__in=["named", "anonymised"])
                & (Q(published_document=True) | Q(published_web=True))
                | (~Q(status="published") & Q(published_version="", published_document=False, published_web=False)),
                name="casestudy_published_consistently",
            ),
        ]

    def __str__(self):
        return self.title

    def refresh_search_text(self) -> None:
        """The services call it whenever they change the text (and bulk loaders before
        bulk_create); kept out of save(), where DESIGN.md keeps no logic."""
        self.search_named = search_text(getattr(self, name) for name in TEXT_FIELDS)
        self.search_anonymised = search_text(getattr(self, name) for name in ANONYMISED_FIELDS)

    @property
    def published_uses(self) -> set[str]:
        return {u for u, on in ((Use.DOCUMENT, self.published_document), (Use.WEB, self.published_web)) if on}


class FeaturedOrganisation(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="featured_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_study", "organisation"], name="unique_featured_organisation")
        ]

    def __str__(self):
        return str(self.organisation)


class CaseStudyClinicalArea(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="clinical_areas")
    area = models.CharField(max_length=30, choices=ClinicalArea.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case_study", "area"], name="unique_case_study_clinical_area")]

    def __str__(self):
        return self.get_area_display()


class Person(models.Model):
    """A person named or pictured in a case study: each needs their own consent."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=NAME_MAX)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["case_study", "name"]
        constraints = [models.UniqueConstraint(fields=["case_study", "name"], name="unique_case_study_person")]

    def __str__(self):
        return self.name


class Quote(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="quotes")
    position = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=QUOTE_MAX)
    attribution = models.CharField(max_length=200, help_text="e.g. a name and role, or 'a carer in Lewisham'")
    anonymised_attribution = models.CharField(
        max_length=200, blank=True, help_text="Shown in the anonymised version; left empty, the quote is left out"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="quotes")

    class Meta:
        ordering = ["case_study", "position"]
        constraints = [models.UniqueConstraint(fields=["case_study", "position"], name="unique_quote_position")]

    def __str__(self):
        return self.attribution


class Contact(models.Model):
    """Who to ask about the case study. A contact with an account (`user`) for a featured
    organisation may view the case study and give or withdraw that organisation's consent."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField(max_length=254)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="case_study_contacts"
    )

    class Meta:
        ordering = ["case_study", "name"]
        constraints = [models.UniqueConstraint(fields=["case_study", "email"], name="unique_case_study_contact")]

    def __str__(self):
        return self.name


class MediaKind(models.TextChoices):
    IMAGE = "image", "Image"
    ATTACHMENT = "attachment", "Attachment"


class MediaFile(models.Model):
    """An image or attachment. Type, size and real content are checked on upload (uploads.py).
    An image needs alt text and a credit before the case study can be submitted."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    file = models.FileField(upload_to="casestudies/%Y/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    alt_text = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    pictured = models.ManyToManyField(Person, blank=True, related_name="pictured_in")
    # Empty for a contributor invited by link (no account).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_study", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReviewComment(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="review_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=SECTION_MAX)
    requests_changes = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_study", "created_at", "pk"]

    def __str__(self):
        return f"Review comment on {self.case_study_id}"


class Consent(models.Model):
    """Consent from one featured organisation or one named/pictured person. A subject has at most
    one current consent (neither withdrawn nor replaced); giving it again replaces the old one,
    which stays as history."""

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="consents")
    featured_organisation = models.ForeignKey(
        FeaturedOrganisation, null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField("who gave it", max_length=NAME_MAX)
    given_at = models.DateTimeField()
    for_internal = models.BooleanField(default=False)
    for_document = models.BooleanField(default=False)
    for_web = models.BooleanField(default=False)
    expires_on = models.DateField(null=True, blank=True, help_text="The last day the consent holds")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_study", "-given_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(featured_organisation__isnull=False, person__isnull=True)
                | Q(featured_organisation__isnull=True, person__isnull=False),
                name="consent_has_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(for_internal=True) | Q(for_document=True) | Q(for_web=True), name="consent_covers_a_use"
            ),
            models.UniqueConstraint(
                fields=["featured_organisation"],
                condition=Q(withdrawn_at__isnull=True, replaced_at__isnull=True, featured_organisation__isnull=False),
                name="one_current_organisation_consent",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(withdrawn_at__isnull=True, replaced_at__isnull=True, person__isnull=False),
                name="one_current_person_consent",
            ),
        ]

    def __str__(self):
        return f"Consent from {self.given_by}"

    @property
    def uses(self) -> set[str]:
        pairs = ((Use.INTERNAL, self.for_internal), (Use.DOCUMENT, self.for_document), (Use.WEB, self.for_web))
        return {use for use, on in pairs if on}

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None and self.replaced_at is None
