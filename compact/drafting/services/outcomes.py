"""'You said, we did': editors record what they did with a comment, an amendment or a
consultation answer, and why. The account is public to the partnership (and exported), so the
reason is required.

Only what stands on its own is accounted: a thread's first comment (replies are part of it), a
visible comment, an amendment that was not withdrawn, an answer with words (a mark on the scale
alone is counted in the summary instead). An open amendment's outcome comes from deciding it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compact.core.services import require_perm

from ..models import REASON_MAX, Amendment, AmendmentStatus, Answer, Comment, Outcome
from ._common import clean_text, record

RECORD_REFUSED = "Only convenors and facilitators record what was done with feedback."
DECIDE_FIRST = (
    "This amendment is still open: its outcome is recorded by deciding it. Accept it, take it partly or "
    "reject it on its decision page, giving the reason."
)
REFUSALS = {
    "reply": "Replies are part of their thread: record what you did on the thread's first comment.",
    "hidden": "This comment is hidden by the editors, so it is not part of the account.",
    "withdrawn": "Its proposer withdrew this amendment, so there is nothing to account for.",
    "scale_only": (
        "This answer is only a mark on the agreement scale: it is counted in the summary, not answered one by one."
    ),
    "open": DECIDE_FIRST,
}
NOTE_REQUIRED = "Say what you did and why: everyone reading the account will see it"
OUTCOME_REQUIRED = "Choose what you did with it"


def refusal(item) -> str | None:
    """Why `item` cannot take an outcome ("reply", "hidden", "withdrawn", "scale_only", "open"),
    or None when it can. Pages use it to send people to the right place."""
    if isinstance(item, Comment):
        return "reply" if item.parent_id else "hidden" if item.hidden_at else None
    if isinstance(item, Amendment):
        return {AmendmentStatus.WITHDRAWN: "withdrawn", AmendmentStatus.OPEN: "open"}.get(item.status)
    if isinstance(item, Answer):
        return None if item.text else "scale_only"
    raise TypeError(f"Cannot account for {type(item).__name__}")


def _locked(item):
    """The item again, locked, with the document (and its process) the permission reads."""
    if isinstance(item, Answer):
        answer = Answer.objects.select_for_update().select_related("question__round__document__process")
        answer = answer.get(pk=item.pk)
        return answer, answer.question.round.document
    locked = type(item).objects.select_for_update().select_related("document__process").get(pk=item.pk)
    return locked, locked.document


@transaction.atomic
def outcome_record(*, item, actor, outcome: str, note: str):
    """Record (or change) what the editors did with `item` and why. Returns the item saved."""
    item, document = _locked(item)
    require_perm(actor, "drafting.record_outcome", document, RECORD_REFUSED)
    if (reason := refusal(item)) is not None:
        raise ValidationError(REFUSALS[reason])
    errors: dict = {}
    if outcome not in Outcome.values:
        errors["outcome"] = OUTCOME_REQUIRED
    note = clean_text(note, "note", errors)
    if not note:
        errors.setdefault("note", NOTE_REQUIRED)
    elif len(note) > REASON_MAX:
        errors.setdefault("note", f"Keep it to {REASON_MAX:,} characters (it has {len(note):,})")
    if errors:
        raise ValidationError(errors)
    before = item.outcome
    item.outcome, item.outcome_note, item.outcome_by, item.outcome_at = outcome, note, actor, timezone.now()
    fields = ["outcome", "outcome_note", "outcome_by", "outcome_at"]
    item.save(update_fields=fields if isinstance(item, Answer) else [*fields, "updated_at"])
    record(document, actor, "drafting.outcome_record", obj=item, changes={"outcome": [before, outcome]})
    return item
