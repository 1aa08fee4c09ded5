"""Consultation rounds: a version opened to an audience between two times, with optional
questions per key area, email invitations, and responses (possibly on behalf of an organisation).

Responses record the respondent's organisation kind and borough as they were when answering,
so response rates stay true after the directory changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from compact.core.models import TimeStampedModel
from compact.geography.models import Area
from compact.organisations.models import Organisation

from .document import TITLE_MAX, Block, Document, Version
from .feedback import COMMENT_MAX, Accounted

AGREE_SCALE = [
    (5, "Strongly agree"),
    (4, "Agree"),
    (3, "Neither agree nor disagree"),
    (2, "Disagree"),
    (1, "Strongly disagree"),
]


class Round(TimeStampedModel):
    """One consultation round on a frozen version. The audience is any mix of the partnership's
    members, named organisations (their contacts are invited by email) and the public (anyone
    with `public_key` in the link)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="rounds")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(max_length=TITLE_MAX)
    introduction = models.TextField(max_length=5000, blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    for_members = models.BooleanField(default=True)
    for_public = models.BooleanField(default=False)
    public_key = models.CharField(max_length=43, unique=True)
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening")
        ]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    AGREE = "agree", "How far do you agree? (a scale)"
    TEXT = "text", "Free text"


class Question(models.Model):
    """A question about a key area (`block`), or about the whole document when it has none."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="questions")
    block = models.ForeignKey(Block, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="unique_question_position")]

    def __str__(self):
        return self.text


class Invitation(TimeStampedModel):
    """An emailed invitation to respond. Its link carries the invitation's id signed with the
    site's secret (consultation.invitation_token), so nothing secret is stored and a reminder
    repeats the same link. An organisation's invitation lets its holder answer on its behalf."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "email"]
        constraints = [models.UniqueConstraint(fields=["round", "email"], name="one_invitation_per_email")]

    def __str__(self):
        return f"Invitation for {self.email}"


class Response(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    on_behalf_of = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="An organisation outside the directory that the response speaks for"
    )
    organisation_kind = models.CharField(max_length=30, blank=True)
    borough = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    request_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["round", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "request_key"], condition=~Q(request_key=""), name="unique_response_request"
            ),
            models.UniqueConstraint(
                fields=["round", "respondent"], condition=Q(respondent__isnull=False), name="one_response_per_person"
            ),
            models.UniqueConstraint(
                fields=["invitation"], condition=Q(invitation__isnull=False), name="one_response_per_invitation"
            ),
        ]

    def __str__(self):
        return f"Response {self.pk} to {self.round}"

    @property
    def speaks_for(self) -> str:
        """The organisation this response is made on behalf of, or ""."""
        return self.on_behalf_of.name if self.on_behalf_of_id else self.organisation_name


class Answer(Accounted):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True, choices=AGREE_SCALE)
    text = models.TextField(max_length=COMMENT_MAX, blank=True)

    class Meta:
        ordering = ["question__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5), name="scale_1_to_5"
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question}"
