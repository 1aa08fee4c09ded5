"""The document's order and numbering, worked out from its blocks in memory: the introduction
first, then free sections and key areas by position, each key area followed by its commitments.
Key areas are numbered 1, 2, 3…; commitments 2.1, 2.2… under key area 2."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Block, BlockKind


@dataclass
class Entry:
    block: Block
    number: str = ""
    children: list[Entry] = field(default_factory=list)
    folded: bool = False  # a long document's key area shown as its heading only
    count: int = 0  # its commitments, when folded

    @property
    def label(self) -> str:
        """How people refer to it: "Commitment 2.3", "Key area 2", or the section's heading."""
        block = self.block
        if block.kind == BlockKind.COMMITMENT:
            return f"Commitment {self.number}"
        if block.kind == BlockKind.KEY_AREA:
            return f"Key area {self.number}: {block.title}"
        return block.title or block.get_kind_display()


def build(blocks) -> list[Entry]:
    """Top-level entries in order, commitments nested under their key area. Removed blocks
    and commitments whose key area was removed are left out."""
    live = [b for b in blocks if b.removed_at is None]
    children: dict[int, list[Block]] = defaultdict(list)
    top: list[Block] = []
    for block in live:
        (children[block.parent_id] if block.parent_id else top).append(block)
    top.sort(key=lambda b: (b.kind != BlockKind.INTRODUCTION, b.position, b.pk))
    entries, key_area_number = [], 0
    for block in top:
        entry = Entry(block)
        if block.kind == BlockKind.KEY_AREA:
            key_area_number += 1
            entry.number = str(key_area_number)
            kids = sorted(children.get(block.pk, []), key=lambda b: (b.position, b.pk))
            entry.children = [Entry(kid, f"{key_area_number}.{n}") for n, kid in enumerate(kids, start=1)]
        entries.append(entry)
    return entries


def flatten(entries: list[Entry]) -> list[Entry]:
    """Every entry in reading order (each key area followed by its commitments)."""
    flat = []
    for entry in entries:
        flat.append(entry)
        flat.extend(entry.children)
    return flat


# Past this many commitments the document page shows one key area's commitments at a time (the
# others as headings with a link): 1,200 commitments were several megabytes as one page.
LONG_DOCUMENT = 150


def one_key_area(entries: list[Entry], wanted: str) -> tuple[list[Entry], str | None]:
    """For a long document, fold every key area but the one to show in full (`wanted`, a key
    area number from ?part=, else the first) and return it; a short one comes back whole, None."""
    if sum(len(e.children) for e in entries) <= LONG_DOCUMENT:
        return entries, None
    numbers = [e.number for e in entries if e.number]
    shown = wanted if wanted in numbers else (numbers[0] if numbers else None)
    for entry in entries:
        entry.count = len(entry.children)
        if entry.number and entry.number != shown:
            entry.children, entry.folded = [], True
    return entries, shown
