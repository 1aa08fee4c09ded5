"""Snapshots: the whole document as plain data, frozen into a Version when an editor cuts one.

A snapshot is {"title": str, "blocks": [block, ...]} with blocks in reading order. Each block:
  id, kind, parent (key area block id or None), number ("2.3"), section_kind, key_area (id),
  title, statement, body, committed_by (display names), tags (display names), lock_version,
  credits (["Name (Organisation)", ...] for amendments taken into it).
Diffs (diffing.diff_snapshots) and the version pages read only this, never today's blocks."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from . import outline
from .models import COMMITTER_CHOICES, Amendment, AmendmentStatus, Block, Document, FrameworkTag

COMMITTER_LABELS = dict(COMMITTER_CHOICES)
TAKEN = (AmendmentStatus.ACCEPTED, AmendmentStatus.PARTLY)


def committers(values) -> list[str]:
    return [COMMITTER_LABELS.get(value, value) for value in values or ()]


def person_name(user) -> str:
    """A name to credit in public: never an email address."""
    if user is None:
        return "A former member"
    return user.full_name or "A member of the partnership"


def credits_for(document: Document) -> dict[int, list[str]]:
    """{block id: ["Proposer (Organisation)", ...]} for amendments taken into each block."""
    found: dict[int, list[str]] = defaultdict(list)
    taken = (
        Amendment.objects.filter(document=document, status__in=TAKEN)
        .select_related("proposer", "on_behalf_of")
        .order_by("decided_at", "pk")
    )
    for amendment in taken:
        name = person_name(amendment.proposer)
        if amendment.on_behalf_of_id:
            name = f"{name} ({amendment.on_behalf_of.name})"
        if name not in found[amendment.block_id]:
            found[amendment.block_id].append(name)
    return dict(found)


def document_blocks(document: Document):
    return Block.objects.filter(document=document, removed_at=None).prefetch_related(
        Prefetch("tags", FrameworkTag.objects.order_by("framework", "name"))
    )


def block_data(entry: outline.Entry, credits: dict[int, list[str]]) -> dict:
    block = entry.block
    return {
        "id": block.pk,
        "kind": block.kind,
        "parent": block.parent_id,
        "number": entry.number,
        "section_kind": block.section_kind,
        "key_area": block.key_area_id,
        "title": block.title,
        "statement": block.statement,
        "body": block.body,
        "committed_by": committers(block.committed_by),
        "tags": [tag.name for tag in block.tags.all()],
        "lock_version": block.lock_version,
        "credits": credits.get(block.pk, []),
    }


def snapshot(document: Document) -> dict:
    entries = outline.flatten(outline.build(document_blocks(document)))
    credits = credits_for(document)
    return {"title": document.title, "blocks": [block_data(entry, credits) for entry in entries]}
