"""Creating a document and editing it block by block.

Every change to a block raises its `lock_version`. `block_update` takes the lock_version the
editor started from: if the block has moved on since, it raises EditConflict instead of saving,
so the conflict page can show both texts and let the editor merge them. Passage comments on the
block are found again in the new text after each edit (anchoring.locate)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from compact.core.services import require_perm
from compact.processes.models import KeyArea

from .. import anchoring
from ..models import COMMITTER_CHOICES, Block, BlockKind, Comment, Document, FrameworkTag, SectionKind
from ._common import (
    FROZEN,
    EditConflict,
    clean_text,
    earlier_request,
    full_clean_into,
    lock_block,
    lock_document,
    record,
    save_once,
)

UNSET = object()
COMMITTER_VALUES = {value for value, _ in COMMITTER_CHOICES}
TEXT_FIELDS = ("title", "statement", "body")
INTRODUCTION_STAYS = "The introduction cannot be removed; leave it empty if the document needs none."


@transaction.atomic
def document_create(*, process, actor, title: str, request_key: str = "", with_key_areas: bool = True) -> Document:
    """A new document for the process: an empty introduction, then one block per key area the
    process already has. The same `request_key` returns the document already made."""
    require_perm(actor, "drafting.add_document", process, FROZEN)
    request_key = str(request_key or "")[:64]
    if existing := earlier_request(Document.objects.filter(process=process), request_key):
        return existing
    errors: dict = {}
    document = Document(process=process, partnership_id=process.partnership_id, created_by=actor)
    document.title = clean_text(title, "title", errors, one_line=True)
    document.request_key = request_key
    full_clean_into(document, errors, whole="title")
    document, created = save_once(document, Document.objects.filter(process=process), request_key)
    if not created:
        return document
    Block.objects.create(document=document, kind=BlockKind.INTRODUCTION, position=0, updated_by=actor)
    if with_key_areas:
        Block.objects.bulk_create(
            Block(document=document, kind=BlockKind.KEY_AREA, key_area=area, title=area.title, body=area.description,
                  position=n, updated_by=actor)
            for n, area in enumerate(KeyArea.objects.filter(process=process).order_by("position"), start=1)
        )  # fmt: skip
    record(document, actor, "drafting.document_create", changes={"title": document.title})
    return document


def _require_edit(document: Document, actor) -> None:
    require_perm(actor, "drafting.change_document", document, FROZEN)


def _next_position(document: Document, parent: Block | None) -> int:
    top = Block.objects.filter(document=document, parent=parent).aggregate(top=Max("position"))["top"]
    return 1 if top is None else top + 1


def _set_fields(block: Block, fields: dict, errors: dict) -> list[str]:
    """Apply the given texts and choices (None: leave as is); return the names that changed."""
    changed = []
    for name in TEXT_FIELDS:
        value = fields.get(name)
        if value is None:
            continue
        cleaned = clean_text(value, name, errors, one_line=name == "title")
        if cleaned != getattr(block, name):
            setattr(block, name, cleaned)
            changed.append(name)
    committed_by = fields.get("committed_by")
    if committed_by is not None:
        chosen = [value for value, _ in COMMITTER_CHOICES if value in set(committed_by)]
        if set(committed_by) - COMMITTER_VALUES:
            errors["committed_by"] = "Choose who commits from the list"
        elif chosen != list(block.committed_by or []):
            block.committed_by = chosen
            changed.append("committed_by")
    return changed


def _check_block(block: Block, errors: dict) -> None:
    if block.kind == BlockKind.COMMITMENT and not block.statement:
        errors.setdefault("statement", 'Enter the commitment, for example "We will …"')
    if block.kind in (BlockKind.KEY_AREA, BlockKind.SECTION) and not block.title:
        errors.setdefault("title", "Enter a heading")
    if block.kind == BlockKind.SECTION and block.section_kind not in SectionKind.values:
        errors.setdefault("section_kind", "Choose what kind of section this is")


def _tags_for(document: Document, tags, errors: dict) -> list[FrameworkTag] | None:
    if tags is None:
        return None
    tags = list(tags)
    if any(tag.partnership_id != document.partnership_id for tag in tags):
        errors["tags"] = "Choose tags from this partnership's list"
    return tags


@transaction.atomic
def block_add(
    *, document: Document, actor, kind: str, parent: Block | None = None, section_kind: str = "",
    key_area: KeyArea | None = None, title: str | None = "", statement: str | None = "", body: str | None = "",
    committed_by: list[str] | None = None, tags=None, after: Block | None = None,
) -> Block:  # fmt: skip
    """Add a section, key area or commitment (a commitment goes under `parent`, a key area
    block), at the end or straight after `after`. Texts left out (None) stay empty."""
    document = lock_document(document)
    _require_edit(document, actor)
    errors: dict = {}
    if kind not in (BlockKind.SECTION, BlockKind.KEY_AREA, BlockKind.COMMITMENT):
        raise ValidationError({"kind": "Choose a section, key area or commitment"})
    if kind == BlockKind.COMMITMENT:
        if parent is None or parent.document_id != document.pk or parent.kind != BlockKind.KEY_AREA:
            raise ValidationError({"parent": "Choose the key area this commitment belongs to"})
        if parent.removed_at:
            raise ValidationError(
                {"parent": "This key area was removed from the document, so it takes no new commitments."}
            )
    else:
        parent = None
    if key_area is not None and key_area.process_id != document.process_id:
        errors["key_area"] = "Choose a key area from this process"
    block = Block(document=document, kind=kind, parent=parent, section_kind=section_kind if kind == "section" else "",
                  key_area=key_area if kind == BlockKind.KEY_AREA else None, updated_by=actor)  # fmt: skip
    _set_fields(block, dict(title=title, statement=statement, body=body, committed_by=committed_by or []), errors)
    chosen_tags = _tags_for(document, tags, errors)
    _check_block(block, errors)
    block.position = _place_after(document, parent, after)
    full_clean_into(block, errors, whole="title", exclude=["position"])
    block.save()
    if chosen_tags:
        block.tags.set(chosen_tags)
    record(document, actor, "drafting.block_add", obj=block, changes={"kind": kind})
    return block


def _place_after(document: Document, parent: Block | None, after: Block | None) -> int:
    """The position for a new block: the end, or straight after `after` (later blocks move down)."""
    if after is None or after.parent_id != (parent.pk if parent else None):
        return _next_position(document, parent)
    Block.objects.filter(document=document, parent=parent, position__gt=after.position).update(
        position=F("position") + 1
    )
    return after.position + 1


@transaction.atomic
def block_update(
    *, block: Block, actor, lock_version: int, title: str | None = None, statement: str | None = None,
    body: str | None = None, committed_by: list[str] | None = None, tags=None, key_area=UNSET,
    action: str = "drafting.block_update",
) -> Block:  # fmt: skip
    """Save new text for a block started from `lock_version`. Raises EditConflict when someone
    else saved the block since; ValidationError for bad input (nothing is saved)."""
    block = lock_block(block)
    document = block.document
    _require_edit(document, actor)
    submitted = dict(title=title, statement=statement, body=body, committed_by=committed_by, lock_version=lock_version)
    if block.removed_at is not None:
        raise ValidationError("This part of the document was removed while you were editing it.")
    if int(lock_version) != block.lock_version:
        raise EditConflict(block, submitted)
    errors: dict = {}
    changed = _set_fields(block, submitted, errors)
    chosen_tags = _tags_for(document, tags, errors)
    if key_area is not UNSET and block.kind == BlockKind.KEY_AREA:
        if key_area is not None and key_area.process_id != document.process_id:
            errors["key_area"] = "Choose a key area from this process"
        elif key_area != block.key_area:
            block.key_area = key_area
            changed.append("key_area")
    _check_block(block, errors)
    full_clean_into(block, errors, whole="title")
    if chosen_tags is not None and {t.pk for t in chosen_tags} != set(block.tags.values_list("pk", flat=True)):
        changed.append("tags")
    if not changed:
        return block
    block.lock_version += 1
    block.updated_by = actor
    block.save()
    if chosen_tags is not None:
        block.tags.set(chosen_tags)
    reanchor_comments(block)
    record(document, actor, action, obj=block, changes={"fields": changed, "lock_version": block.lock_version})
    return block


def reanchor_comments(block: Block) -> None:
    """Find each passage comment's words again in the block's new text; mark those whose words
    are gone as on earlier text (they keep their quote)."""
    moved = []
    for comment in Comment.objects.filter(block=block).exclude(quote=""):
        text = getattr(block, comment.anchor_field, "") or ""
        found = anchoring.locate(
            text, anchoring.Anchor(comment.quote, comment.prefix, comment.suffix), hint=comment.anchor_start
        )
        start, end, lost = (found[0], found[1], False) if found else (None, None, True)
        if (start, end, lost) != (comment.anchor_start, comment.anchor_end, comment.anchor_lost):
            comment.anchor_start, comment.anchor_end, comment.anchor_lost = start, end, lost
            moved.append(comment)
    Comment.objects.bulk_update(moved, ["anchor_start", "anchor_end", "anchor_lost"])


@transaction.atomic
def block_move(*, block: Block, actor, direction: str) -> Block:
    """Swap a block with its neighbour above ("up") or below ("down") among its siblings."""
    block = lock_block(block)
    _require_edit(block.document, actor)
    if block.removed_at is not None:
        raise ValidationError("This part was removed from the document, so it cannot move.")
    if direction not in ("up", "down") or block.kind == BlockKind.INTRODUCTION:
        raise ValidationError("This part cannot move that way.")
    siblings = Block.objects.filter(document=block.document, parent=block.parent, removed_at=None).exclude(
        kind=BlockKind.INTRODUCTION
    )
    if direction == "up":
        neighbour = siblings.filter(position__lt=block.position).order_by("-position").first()
    else:
        neighbour = siblings.filter(position__gt=block.position).order_by("position").first()
    if neighbour is None:
        raise ValidationError(f"This is already the {'first' if direction == 'up' else 'last'} in its list.")
    mine, theirs = block.position, neighbour.position
    Block.objects.filter(pk=block.pk).update(position=theirs, lock_version=block.lock_version + 1)
    Block.objects.filter(pk=neighbour.pk).update(position=mine, lock_version=neighbour.lock_version + 1)
    block.refresh_from_db()
    record(block.document, actor, "drafting.block_move", obj=block, changes={"direction": direction})
    return block


@transaction.atomic
def block_remove(*, block: Block, actor, lock_version: int) -> Block:
    """Take a block (and a key area's commitments) out of the text. The rows stay, so comments
    and amendments on them keep their record; earlier versions still show them."""
    block = lock_block(block)
    _require_edit(block.document, actor)
    if block.kind == BlockKind.INTRODUCTION:
        raise PermissionDenied(INTRODUCTION_STAYS)
    if block.removed_at is not None:
        return block
    if int(lock_version) != block.lock_version:
        raise EditConflict(block, {"lock_version": lock_version, "remove": True})
    now = timezone.now()
    Block.objects.filter(parent=block, removed_at=None).update(removed_at=now)
    block.removed_at = now
    block.lock_version += 1
    block.updated_by = actor
    block.save(update_fields=["removed_at", "lock_version", "updated_by", "updated_at"])
    record(block.document, actor, "drafting.block_remove", obj=block, changes={"kind": block.kind})
    return block
