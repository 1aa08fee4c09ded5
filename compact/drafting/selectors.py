"""Reads for drafting pages. `document_get_for_user` answers 404 alike for missing documents and
for people outside the partnership. The document page costs a fixed number of queries whatever
the number of blocks (tags prefetched; comment and amendment counts grouped in one query each)."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404

from compact.partnerships.selectors import role_in

from . import outline
from .models import Amendment, AmendmentStatus, Block, Comment, Document, FrameworkTag, Version


def document_get_for_user(*, pk, user) -> Document:
    document = Document.objects.select_related("process__partnership", "partnership").filter(pk=pk).first()
    if document is None or role_in(user, document.partnership_id) is None:
        raise Http404("No such document")
    return document


def documents_for_process(process):
    return Document.objects.filter(process=process).order_by("created_at")


def is_id(value) -> bool:
    """Whether `value` (from a URL, a query string or a form) can be a row id: ASCII digits only.
    str.isdigit alone lets "²" through, which int() then refuses."""
    text = str(value)
    return text.isascii() and text.isdigit()


def block_get(*, document: Document, pk) -> Block:
    """A block of this document; 404 for anything else, including an id that is not a number
    (the "under" of an altered add-a-commitment link)."""
    if not is_id(pk):
        raise Http404("No such part of the document")
    block = Block.objects.filter(document=document, pk=int(pk)).select_related("parent", "key_area").first()
    if block is None:
        raise Http404("No such part of the document")
    block.document = document
    return block


def _counts(model, document: Document, live: Q) -> Counter:
    rows = model.objects.filter(live, document=document).values("block").annotate(n=Count("pk")).order_by()
    return Counter({row["block"]: row["n"] for row in rows})


def document_outline(document: Document) -> list[outline.Entry]:
    """The document's entries in order, each block with `open_comments` and `open_amendments`
    counts set, in three queries. Tags are not loaded: see with_tags."""
    blocks = list(Block.objects.filter(document=document, removed_at=None).select_related("key_area"))
    comments = _counts(Comment, document, Q(hidden_at=None, resolved_at=None, parent=None))
    amendments = _counts(Amendment, document, Q(status=AmendmentStatus.OPEN))
    for block in blocks:
        block.document = document
        block.open_comments = comments[block.pk]
        block.open_amendments = amendments[block.pk]
    return outline.build(blocks)


def with_tags(entries: list[outline.Entry]) -> None:
    """Load the tags of the blocks shown, in one query: a long document shows one key area's
    commitments, and loading every commitment's tags was a third of the page's time."""
    blocks = [e.block for entry in entries for e in (entry, *entry.children)]
    prefetch_related_objects(blocks, Prefetch("tags", FrameworkTag.objects.order_by("framework", "name")))


def entry_for(document: Document, block: Block) -> outline.Entry | None:
    """The block's entry (with its number) in the current outline, or None once removed. Its
    number needs only the top-level blocks and the block's siblings, and its label no texts but
    the heading: a long document's other commitments are not read."""
    blocks = Block.objects.filter(Q(parent=None) | Q(parent=block.parent_id), document=document, removed_at=None).only(
        "kind", "parent", "position", "title", "removed_at"
    )
    for entry in outline.flatten(outline.build(blocks)):
        if entry.block.pk == block.pk:
            return entry
    return None


def versions_for(document: Document):
    return Version.objects.filter(document=document).defer("snapshot").select_related("created_by")


def version_get(*, document: Document, number) -> Version:
    version = Version.objects.filter(document=document, number=number).first()
    if version is None:
        raise Http404("No such version")
    return version
