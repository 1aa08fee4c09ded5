from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from compact.core.colour import validate_brand_colour
from compact.core.models import TimeStampedModel
from compact.geography.models import Area
from compact.organisations.models import Organisation


class Role(models.TextChoices):
    """A person's role in one partnership. The order matters: earlier roles can do more."""

    CONVENOR = "convenor", "Convenor"
    FACILITATOR = "facilitator", "Facilitator"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class Partnership(TimeStampedModel):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(max_length=3000, blank=True)
    places = models.ManyToManyField(Area, blank=True, related_name="partnerships")
    organisations = models.ManyToManyField(
        Organisation, through="PartnershipOrganisation", related_name="partnerships", blank=True
    )
    # Branding: shown in the header instead of any national identity.
    brand_name = models.CharField(max_length=80, blank=True, help_text="Short name for the header")
    brand_colour = models.CharField(max_length=7, default="#1d4f7a", validators=[validate_brand_colour])
    logo = models.ImageField(upload_to="logos/", blank=True)
    logo_alt = models.CharField("logo description", max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.brand_name or self.name


class PartnershipOrganisation(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="member_links")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partnership_links")
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="unique_partnership_organisation")
        ]

    def __str__(self):
        return f"{self.organisation} in {self.partnership}"


class Membership(TimeStampedModel):
    """A person in a partnership with a role: the one source of role checks."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation this person speaks for here",
    )

    class Meta:
        ordering = ["partnership", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "user"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} in {self.partnership}"


class BodyKind(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership group"
    GOVERNANCE = "governance", "Governance board"
    OTHER = "other", "Other group"


class DecisionRule(models.TextChoices):
    """How much support the winning option of a vote needs (consent decisions pass unless blocked)."""

    PLURALITY = "plurality", "The option with the most votes"
    MAJORITY = "majority", "More than half of the votes cast"
    TWO_THIRDS = "two_thirds", "At least two thirds of the votes cast"
    UNANIMOUS = "unanimous", "Every vote cast"


class Voters(models.TextChoices):
    BODY = "body", "Chairs and members of the group (not observers)"
    PARTICIPANTS = "participants", "Every convenor, facilitator and member of the partnership"


class Body(TimeStampedModel):
    """A group that meets and decides: a leadership group, an Integrated Care Partnership board.
    Its terms of reference (quorum, rule, casting vote, voters) govern its proposals."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="bodies")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=BodyKind.choices, default=BodyKind.LEADERSHIP)
    description = models.TextField(max_length=2000, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="BodyMember", related_name="bodies")
    quorum = models.PositiveSmallIntegerField(
        default=0, help_text="How many voters must take part for a decision to count (0 for no quorum)"
    )
    decision_rule = models.CharField(max_length=20, choices=DecisionRule.choices, default=DecisionRule.MAJORITY)
    casting_vote = models.BooleanField(default=False, help_text="The chair or a co-chair decides a tie")
    voters = models.CharField(max_length=20, choices=Voters.choices, default=Voters.BODY)
    allow_anonymous_votes = models.BooleanField(default=False)
    voting_hours = models.PositiveSmallIntegerField(
        default=48, help_text="How long a vote stays open by default, in hours"
    )

    class Meta:
        ordering = ["partnership", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_body_name"),
            models.CheckConstraint(condition=Q(voting_hours__gte=1), name="body_voting_hours_positive"),
        ]

    def __str__(self):
        return self.name


class Position(models.TextChoices):
    CHAIR = "chair", "Chair"
    CO_CHAIR = "co_chair", "Co-chair"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="body_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.MEMBER)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, help_text="Leave blank while they serve")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "user"], name="unique_body_member"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="body_member_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.body}"

    def serving_on(self, day) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)


class Invitation(TimeStampedModel):
    """An emailed invitation to join a partnership with a role. Expires; works once.
    Only a hash of the token is stored, so a database leak does not leak live links."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.email} to {self.partnership}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
