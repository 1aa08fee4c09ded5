"""Reads for the discussion of one block: its comment threads and its amendments, each in a
fixed number of queries whatever their number (replies, authors and organisations prefetched;
support counts and the reader's own reports and supports annotated)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404

from .diffing import inline_html, word_diff
from .models import Amendment, AmendmentSupport, Block, Comment, CommentReport, Document
from .selectors import is_id
from .services.amendments import AMENDABLE

FIELD_LABELS = {"title": "Heading", "statement": "The commitment", "body": "Text"}
STATUS_TAGS = {
    "open": "govuk-tag--blue", "accepted": "govuk-tag--green", "partly": "govuk-tag--yellow",
    "rejected": "govuk-tag--red", "withdrawn": "govuk-tag--grey",
}  # fmt: skip


def _with_reader(queryset, user):
    return queryset.select_related("author", "on_behalf_of").annotate(
        reported=Exists(CommentReport.objects.filter(comment=OuterRef("pk"), reporter=user.pk))
    )


def threads_for(block: Block, user) -> list[Comment]:
    """The block's threads, oldest first, each with its replies (oldest first) prefetched."""
    replies = _with_reader(Comment.objects.order_by("created_at", "pk"), user)
    return list(
        _with_reader(Comment.objects.filter(block=block, parent=None), user)
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def field_changes(block_kind: str, old, new) -> list[dict]:
    """For each amendable text that differs between `old` and `new` (dicts or objects), its label
    and the word diff from old to new."""
    rows = []
    for name in AMENDABLE[block_kind]:
        before = (old.get(name) if isinstance(old, dict) else getattr(old, name)) or ""
        after = (new.get(name) if isinstance(new, dict) else getattr(new, name)) or ""
        if before != after:
            rows.append({"name": name, "label": FIELD_LABELS[name], "diff": inline_html(word_diff(before, after))})
    return rows


def base_texts(amendment: Amendment) -> dict:
    return {name: getattr(amendment, f"base_{name}") for name in ("title", "statement", "body")}


def amendments_for(block: Block, user) -> list[Amendment]:
    """The block's amendments, oldest first, with `support_count`, `supported` (by `user`) and
    `changes` (the word diff of the proposed wording against the text it was written for)."""
    amendments = list(
        Amendment.objects.filter(block=block)
        .select_related("proposer", "on_behalf_of")
        .annotate(
            support_count=Count("supports"),
            supported=Exists(AmendmentSupport.objects.filter(amendment=OuterRef("pk"), supporter=user.pk)),
        )
        .order_by("created_at", "pk")
    )
    for amendment in amendments:
        for_rules(amendment, block)
        amendment.tag_class = STATUS_TAGS.get(amendment.status, "govuk-tag--grey")
        amendment.changes = field_changes(block.kind, base_texts(amendment), amendment)
    return amendments


def for_rules(amendment: Amendment, block: Block) -> Amendment:
    """Give the amendment the block and document (with its process) the permission rules read,
    so checking each amendment costs no query."""
    amendment.block, amendment.document = block, block.document
    return amendment


def comment_get(*, block: Block, pk) -> Comment:
    """A comment on `block` (404 for another block's, or a pk that is not a number)."""
    if not is_id(pk):
        raise Http404("No such comment")
    comment = Comment.objects.filter(block=block, pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    comment.block, comment.document = block, block.document
    return comment


def amendment_get(*, document: Document, block: Block, pk) -> Amendment:
    if not is_id(pk):
        raise Http404("No such amendment")
    amendment = Amendment.objects.filter(document=document, block=block, pk=pk).select_related("proposer").first()
    if amendment is None:
        raise Http404("No such amendment")
    return for_rules(amendment, block)
