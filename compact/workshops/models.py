"""Workshops: planning, registration, live capture of ideas, themes, dot votes and the write-up.

Every idea keeps who said it (person, organisation or table), and the wall's history is an
append-only stream of events (WallEvent) so a client that reconnects can catch up exactly."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from compact.core.models import TimeStampedModel
from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.partnerships.models import Partnership
from compact.processes.models import KeyArea, Process, Stage

MAX_IDEA_CHARS = 500  # a sticky note, not an essay: the form counts down as people type


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid (in person and online)"


class Access(models.TextChoices):
    STEP_FREE = "step_free", "Step-free access"
    BSL = "bsl", "British Sign Language interpreter"
    INTERPRETERS = "interpreters", "Other language interpreters"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    QUIET_ROOM = "quiet_room", "Quiet room"


class VoteTarget(models.TextChoices):
    IDEAS = "ideas", "Ideas"
    THEMES = "themes", "Themes"


class Workshop(TimeStampedModel):
    class State(models.TextChoices):
        PLANNED = "planned", "Planned"  # registration open, prompts being written
        LIVE = "live", "Live"  # the session is running: prompts open and close
        ENDED = "ended", "Ended"  # theming, voting and online ideas until async_until
        PUBLISHED = "published", "Write-up published"
        CANCELLED = "cancelled", "Cancelled"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="workshops")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="workshops")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="workshops")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    purpose = models.TextField(max_length=3000, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Leave blank for no limit")
    access = models.JSONField(default=list, blank=True, help_text="Access codes (Access) arranged for everyone")
    access_notes = models.TextField(max_length=2000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED, db_index=True)
    join_code = models.CharField(max_length=8, unique=True)
    allow_anonymous = models.BooleanField(default=False)
    async_until = models.DateTimeField(null=True, blank=True, help_text="Prompts stay open online until then")
    dots_per_participant = models.PositiveSmallIntegerField(default=5)
    vote_target = models.CharField(max_length=10, choices=VoteTarget.choices, default=VoteTarget.IDEAS)
    voting_open = models.BooleanField(default=False)
    results_revealed = models.BooleanField(default=False)
    access_needs_deleted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="unique_workshop_slug"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"),
            models.CheckConstraint(condition=Q(dots_per_participant__gte=1), name="workshop_dots_positive"),
        ]

    def __str__(self):
        return self.title


class Prompt(models.Model):
    """A question people answer, e.g. "What should the ICB commit to on procurement?"."""

    class State(models.TextChoices):
        DRAFT = "draft", "Not opened yet"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    key_area = models.ForeignKey(KeyArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="prompts")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["workshop", "position"], name="unique_prompt_position")]

    def __str__(self):
        return self.text


class Registration(TimeStampedModel):
    """A place at the workshop: a member (one click) or a guest (through an emailed link).
    Access needs are seen only by facilitators and deleted after the workshop."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Registered"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="workshop_registrations"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField()
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True, help_text="When not in the directory")
    borough = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    access_needs = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "email"], name="unique_registration_email"),
            models.UniqueConstraint(
                fields=["workshop", "user"], condition=Q(user__isnull=False), name="unique_registration_user"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"


class GuestInvitation(TimeStampedModel):
    """A single-use link emailed to someone without an account. Only the token's hash is kept."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="guest_invitations")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return self.email


class Participant(TimeStampedModel):
    """Someone on the wall: a signed-in person, or a guest who joined with the code (their
    browser holds a random key; only its hash is stored)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    key_hash = models.CharField(max_length=64, blank=True, db_index=True)
    display_name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"], condition=Q(user__isnull=False), name="unique_participant_user"
            ),
        ]

    def __str__(self):
        return self.display_name or "A participant"


class Theme(TimeStampedModel):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="themes")
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)
    suggested = models.BooleanField(default=False, help_text="Accepted from a suggestion")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class Idea(models.Model):
    """One sticky note. Never deleted: hidden (with a reason), edited (original kept) or merged
    into another idea (its author and votes stay attached to it)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ideas")
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="ideas")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)
    anonymous = models.BooleanField(default=False)
    table_label = models.CharField(max_length=60, blank=True, help_text='Added "on behalf of" a table')
    text = models.TextField(max_length=MAX_IDEA_CHARS)
    original_text = models.TextField(max_length=MAX_IDEA_CHARS, blank=True, help_text="Kept when a typo is fixed")
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=300, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas")
    themed_by_suggestion = models.BooleanField(default=False)
    after_workshop = models.BooleanField(default=False, help_text="Sent online after the session")
    idempotency_key = models.UUIDField()
    embedding = models.BinaryField(null=True, blank=True)
    embedding_model = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "idempotency_key"], name="unique_idea_submission"),
        ]

    def __str__(self):
        return self.text[:60]


class SuggestionRun(TimeStampedModel):
    """One press of "Suggest themes": its suggestions wait for the facilitator's decision."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="suggestion_runs")
    prompt = models.ForeignKey(Prompt, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    k = models.PositiveSmallIntegerField()
    semantic = models.BooleanField(help_text="False when the language model is not installed (word overlap only)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class SuggestedTheme(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        DISCARDED = "discarded", "Discarded"

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    label = models.CharField(max_length=120)
    terms = models.JSONField(default=list)
    ideas = models.ManyToManyField(Idea, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return self.label


class DotVote(models.Model):
    """Dots one participant put on one idea or one theme (the budget is per workshop)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="dot_votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dot_votes")
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.CASCADE, related_name="dot_votes")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="dot_votes")
    dots = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(idea__isnull=False, theme__isnull=True) | Q(idea__isnull=True, theme__isnull=False),
                name="dot_vote_one_target",
            ),
            models.UniqueConstraint(
                fields=["participant", "idea"], condition=Q(idea__isnull=False), name="unique_dot_vote_idea"
            ),
            models.UniqueConstraint(
                fields=["participant", "theme"], condition=Q(theme__isnull=False), name="unique_dot_vote_theme"
            ),
        ]

    def __str__(self):
        return f"{self.dots} dot{'s' if self.dots != 1 else ''}"


class WallEvent(models.Model):
    """What happened on the wall, in order (idea added, hidden, edited, merged, themed, prompt
    opened...). Live clients get these as they happen; a client that reconnects asks for every
    event after the last id it saw, so nothing is missed and nothing is shown twice."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    data = models.JSONField(default=dict)
    facilitators_only = models.BooleanField(default=False, help_text="e.g. the live dot tally before results")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["workshop", "id"], name="wall_event_catch_up")]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class WriteUp(TimeStampedModel):
    """Generated from the wall (attendance, ideas by theme with votes) plus the facilitator's words."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="write_up")
    summary = models.TextField(max_length=10000, blank=True)
    facilitator_notes = models.TextField(max_length=20000, blank=True)
    theme_notes = models.JSONField(default=dict, blank=True, help_text="theme id -> a short summary")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
