"""Comments on a block or on a passage of it: writing and replying, resolving, reporting and
hiding with a reason. A passage comment keeps its words and the text around them, so it can be
found again after edits (documents.reanchor_comments) or shown as on earlier text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compact.core.services import require_perm

from .. import anchoring
from ..models import AnchorField, Block, Comment, CommentReport
from ._common import FROZEN, clean_text, earlier_request, full_clean_into, record, save_once, speaking_for

QUOTE_GONE = (
    "We could not find the words you chose in the current text: someone may have changed it. "
    "Choose them again, or comment on the whole part instead."
)


def _anchor(block: Block, field: str, quote: str, errors: dict) -> dict:
    quote = (quote or "").strip()
    if not quote:
        return {}
    if field not in AnchorField.values:
        errors["quote"] = "Choose the text the words come from"
        return {}
    text = getattr(block, field) or ""
    anchor = anchoring.quote_in(text, quote)
    found = anchoring.locate(text, anchor) if anchor else None
    if found is None:
        errors["quote"] = QUOTE_GONE
        return {}
    return {
        "anchor_field": field, "quote": anchor.quote, "prefix": anchor.prefix, "suffix": anchor.suffix,
        "anchor_start": found[0], "anchor_end": found[1],
    }  # fmt: skip


@transaction.atomic
def comment_add(
    *, block: Block, actor, body: str, quote: str = "", anchor_field: str = "", parent: Comment | None = None,
    on_behalf: bool = False, request_key: str = "", round=None,
) -> Comment:  # fmt: skip
    """A comment on `block` (or on the words `quote` in its `anchor_field` text), or a reply in
    `parent`'s thread. The same `request_key` from the same person returns the first comment."""
    document = block.document
    require_perm(actor, "drafting.add_comment", document, FROZEN)
    request_key = str(request_key or "")[:64]
    if existing := earlier_request(Comment.objects.filter(author=actor), request_key):
        return existing
    if block.removed_at is not None:
        raise ValidationError("This part was removed from the document, so it cannot take new comments.")
    errors: dict = {}
    comment = Comment(document=document, block=block, author=actor, written_on=block.lock_version, round=round)
    comment.body = clean_text(body, "body", errors)
    if not comment.body:
        errors.setdefault("body", "Enter your comment")
    if parent is not None:
        if parent.block_id != block.pk or parent.hidden_at is not None:
            raise ValidationError("You can only reply to a visible comment on this part.")
        comment.parent_id = parent.parent_id or parent.pk  # replies join the thread's first comment
    else:
        for name, value in _anchor(block, anchor_field, quote, errors).items():
            setattr(comment, name, value)
    try:
        comment.on_behalf_of = speaking_for(document, actor, on_behalf)
    except ValidationError as error:
        errors.update(error.message_dict)
    comment.request_key = request_key
    full_clean_into(comment, errors, whole="body")
    comment, created = save_once(comment, Comment.objects.filter(author=actor), request_key)
    if not created:
        return comment
    record(
        document, actor, "drafting.comment_add", obj=comment, changes={"block": block.pk, "reply": parent is not None}
    )
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, actor, resolved: bool = True) -> Comment:
    """Editors mark a thread dealt with (or open it again)."""
    require_perm(actor, "drafting.moderate_comment", comment.document, "Only editors can resolve comments.")
    if comment.parent_id:
        raise ValidationError("Resolve the thread from its first comment.")
    if resolved and comment.hidden_at is not None:
        raise ValidationError("This comment is hidden, so there is nothing to resolve.")
    comment.resolved_at, comment.resolved_by = (timezone.now(), actor) if resolved else (None, None)
    comment.save(update_fields=["resolved_at", "resolved_by", "updated_at"])
    record(comment.document, actor, "drafting.comment_resolve" if resolved else "drafting.comment_reopen", obj=comment)
    return comment


@transaction.atomic
def comment_report(*, comment: Comment, actor, reason: str) -> CommentReport:
    """Ask the editors to look at a comment. Reporting twice keeps the first report."""
    require_perm(actor, "drafting.report_comment", comment.document)
    errors: dict = {}
    reason = clean_text(reason, "reason", errors)
    if not reason:
        errors["reason"] = "Say what is wrong with the comment"
    elif len(reason) > 500:
        errors["reason"] = f"Keep the reason to 500 characters (it has {len(reason):,})"
    if errors:
        raise ValidationError(errors)
    report, created = CommentReport.objects.get_or_create(comment=comment, reporter=actor, defaults={"reason": reason})
    if created:
        record(comment.document, actor, "drafting.comment_report", obj=comment)
    return report


@transaction.atomic
def comment_hide(*, comment: Comment, actor, reason: str) -> Comment:
    """Editors hide a comment with a reason everyone sees in its place; the text stays on record."""
    require_perm(actor, "drafting.moderate_comment", comment.document, "Only editors can hide comments.")
    errors: dict = {}
    reason = clean_text(reason, "reason", errors, one_line=True)
    if not reason:
        errors["reason"] = "Say why the comment is hidden: everyone will see the reason"
    elif len(reason) > 300:
        errors["reason"] = f"Keep the reason to 300 characters (it has {len(reason):,})"
    if errors:
        raise ValidationError(errors)
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = timezone.now(), actor, reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    comment.reports.filter(dealt_with_at=None).update(dealt_with_at=timezone.now())
    record(comment.document, actor, "drafting.comment_hide", obj=comment, changes={"reason": comment.hidden_reason})
    return comment
