"""Meetings, proposals, votes, outcomes and the versioned statements (purpose, vision,
priorities) that only a passed proposal can adopt."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from compact.core.models import TimeStampedModel
from compact.organisations.models import Organisation
from compact.partnerships.models import Body, Partnership
from compact.processes.models import Process


class Meeting(TimeStampedModel):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%-d %b %Y})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(default=15)
    presenter = models.CharField(max_length=150, blank=True)
    minutes = models.TextField("minutes of this item", max_length=20000, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")]

    def __str__(self):
        return self.title


class Paper(models.Model):
    """A document for an agenda item. Type and size are checked on upload (decisions.uploads)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="papers/%Y/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="unique_attendance")]

    def __str__(self):
        return f"{self.user}: {self.get_status_display()}"


class Method(models.TextChoices):
    CONSENT = "consent", "Consent: agree, abstain, object or block"
    POLL = "poll", "Poll: choose one or several options"
    DOTS = "dots", "Dot vote: spread a number of dots"
    RANKED = "ranked", "Ranked choice: put options in order"
    SCORE = "score", "Score: give each option 0 to 5"


class StatementKind(models.TextChoices):
    PURPOSE = "purpose", "Purpose"
    VISION = "vision", "Vision"
    PRIORITIES = "priorities", "Priorities"


class Proposal(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for votes"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="proposals")
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals")
    title = models.CharField(max_length=200)
    text = models.TextField("proposal", max_length=10000)
    background = models.TextField(max_length=10000, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.CONSENT)
    multiple = models.BooleanField(default=False, help_text="Polls: voters may choose several options")
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    dots_per_voter = models.PositiveSmallIntegerField(default=5)
    hide_results = models.BooleanField(default=False, help_text="Show results only after closing")
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="When the closing reminder went")
    # A proposal to adopt a new version of one of the process's statements.
    statement_kind = models.CharField(max_length=12, choices=StatementKind.choices, blank=True)
    statement_text = models.TextField(max_length=10000, blank=True)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="amendments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partnership", "status", "-created_at"], name="proposal_partnership_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False) | Q(process__isnull=False), name="proposal_has_home"
            ),
            models.CheckConstraint(
                condition=Q(statement_kind="") | Q(process__isnull=False), name="statement_proposal_has_process"
            ),
        ]

    def __str__(self):
        return self.title


class ProposalOption(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=300)

    class Meta:
        ordering = ["proposal", "position"]
        constraints = [models.UniqueConstraint(fields=["proposal", "position"], name="unique_option_position")]

    def __str__(self):
        return self.label


class Vote(TimeStampedModel):
    """One person's current vote. Changing it replaces `ballot`; the unique constraint means a
    person is never counted twice, even when two submissions race."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ballot = models.JSONField()
    reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "voter"], name="one_vote_per_person")]


class Outcome(TimeStampedModel):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="outcome")
    passed = models.BooleanField()
    decision = models.TextField(max_length=5000)
    rationale = models.TextField(max_length=5000, blank=True)
    review_on = models.DateField(null=True, blank=True)
    result = models.JSONField(default=dict, help_text="The count as it stood at closing")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"Outcome of {self.proposal}"


class Statement(models.Model):
    """One version of a process's purpose, vision or priorities, adopted by a passed proposal."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=12, choices=StatementKind.choices)
    version = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=10000)
    adopted_by = models.OneToOneField(Outcome, on_delete=models.PROTECT, related_name="statement")
    adopted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["process", "kind", "version"], name="unique_statement_version")]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"
