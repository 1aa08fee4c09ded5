"""What people say about the text: passage and block comments (threaded, moderated), amendments
(new wording with a reason, supported by others, decided by editors), and the account editors
give of each ("You said, we did")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from compact.core.models import TimeStampedModel
from compact.organisations.models import Organisation

from .document import BODY_MAX, STATEMENT_MAX, TITLE_MAX, Block, Document, Version

COMMENT_MAX = 5000
REASON_MAX = 3000
QUOTE_MAX = 1000
CONTEXT_CHARS = 32  # kept either side of a quoted passage, to find it again after edits


class Outcome(models.TextChoices):
    """What became of a comment, amendment or response, for "You said, we did"."""

    CHANGED = "changed", "We changed the text"
    PARTLY = "partly", "We partly changed the text"
    NOT_CHANGED = "not_changed", "We did not change the text"
    ALREADY = "already", "The text already covers this"
    NOTED = "noted", "Noted for the action plan"


class Accounted(models.Model):
    """The editors' account of what they did with this feedback and why."""

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(max_length=REASON_MAX, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class AnchorField(models.TextChoices):
    TITLE = "title", "Heading"
    STATEMENT = "statement", "Statement"
    BODY = "body", "Text"


class Comment(TimeStampedModel, Accounted):
    """A comment on a block, or on a passage of one of its texts (`quote`). The passage is found
    again after edits from the quote and the words around it; `anchor_start`/`anchor_end` hold
    where it is in the current text, or `anchor_lost` says the words are gone ("on earlier
    text"). Replies point at their thread's first comment (`parent`)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX, validators=[MaxLengthValidator(COMMENT_MAX)])
    anchor_field = models.CharField(max_length=10, choices=AnchorField.choices, blank=True)
    quote = models.TextField(max_length=QUOTE_MAX, blank=True)
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    anchor_start = models.PositiveIntegerField(null=True, blank=True)
    anchor_end = models.PositiveIntegerField(null=True, blank=True)
    anchor_lost = models.BooleanField(default=False)
    written_on = models.PositiveIntegerField(help_text="The block's lock_version when the comment was written")
    round = models.ForeignKey(
        "drafting.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["document", "block"], name="drafting_comment_block")]
        constraints = [
            models.CheckConstraint(condition=Q(quote="") | ~Q(anchor_field=""), name="comment_quote_names_its_field"),
            models.UniqueConstraint(
                fields=["author", "request_key"], condition=~Q(request_key=""), name="unique_comment_request"
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk}"

    @property
    def on_passage(self) -> bool:
        return bool(self.quote)


class CommentReport(models.Model):
    """Someone asking the editors to look at a comment. One report per person per comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    dealt_with_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_person")]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class AmendmentStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    PARTLY = "partly", "Partly taken"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Amendment(TimeStampedModel, Accounted):
    """New wording for one block, with the proposer's reason. `base_*` keep the text it was
    written against (at `base_lock_version`), so editors see what it changes and a block edited
    since goes through the conflict page instead of losing the later edit."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="amendments")
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="amendments")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=TITLE_MAX, blank=True)
    statement = models.TextField(max_length=STATEMENT_MAX, blank=True, validators=[MaxLengthValidator(STATEMENT_MAX)])
    body = models.TextField(max_length=BODY_MAX, blank=True, validators=[MaxLengthValidator(BODY_MAX)])
    reason = models.TextField(max_length=REASON_MAX, validators=[MaxLengthValidator(REASON_MAX)])
    base_lock_version = models.PositiveIntegerField()
    base_title = models.CharField(max_length=TITLE_MAX, blank=True)
    base_statement = models.TextField(max_length=STATEMENT_MAX, blank=True)
    base_body = models.TextField(max_length=BODY_MAX, blank=True)
    status = models.CharField(max_length=12, choices=AmendmentStatus.choices, default=AmendmentStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=REASON_MAX, blank=True)
    included_in = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="amendments",
        help_text="The first version cut after it was taken into the text",
    )  # fmt: skip
    round = models.ForeignKey(
        "drafting.Round", null=True, blank=True, on_delete=models.SET_NULL, related_name="amendments"
    )
    request_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["document", "block"], name="drafting_amendment_block")]
        constraints = [
            models.UniqueConstraint(
                fields=["proposer", "request_key"], condition=~Q(request_key=""), name="unique_amendment_request"
            ),
        ]

    def __str__(self):
        return f"Amendment {self.pk} to {self.block}"

    @property
    def partnership_id(self) -> int:
        """For the partnership role checks (rules), which read `partnership_id`."""
        return self.document.partnership_id


class AmendmentSupport(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on_behalf_of = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["amendment", "supporter"], name="one_support_per_person")]

    def __str__(self):
        return f"Support for amendment {self.amendment_id}"
