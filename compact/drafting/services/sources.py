"""Traceability: linking a commitment to what shaped it (a workshop idea or theme, a case study,
a leadership group decision, or a comment on this document) and taking a link away.

Only things from the document's own partnership can be linked, so a commitment never points
at another partnership's workshop or evidence. The audit entry keeps the kind and the ids,
never the note's words."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compact.casestudies.models import CaseStudy
from compact.core.services import require_perm
from compact.decisions.models import Outcome as DecisionOutcome
from compact.workshops.models import Idea, Theme

from ..models import SOURCE_FIELDS, Block, BlockKind, Comment, SourceLink
from ..selectors import entry_for
from ._common import clean_text, record

NOTE_MAX = SourceLink._meta.get_field("note").max_length
REFUSED = "Only editors can link sources, while the document is being drafted or consulted on."
KIND_NAMES = {
    "idea": "idea", "theme": "theme", "case_study": "case study", "decision": "decision", "comment": "comment",
}  # fmt: skip
CHOOSE_KIND = "Choose what to link: an idea, theme, case study, decision or comment"
MODELS = {"idea": Idea, "theme": Theme, "case_study": CaseStudy, "decision": DecisionOutcome, "comment": Comment}


def _partnership_of(kind: str, target) -> int | None:
    """The partnership a source belongs to (a comment answers with its document instead)."""
    if kind in ("idea", "theme"):
        return target.workshop.process.partnership_id
    if kind == "case_study":
        return target.partnership_id
    return target.proposal.partnership_id


def _check_target(block: Block, kind: str, target) -> None:
    name = KIND_NAMES[kind]
    if not isinstance(target, MODELS[kind]):
        raise ValidationError({"target": f"Choose the {name} to link"})
    if kind == "comment":
        if target.document_id != block.document_id:
            raise ValidationError({"target": "This comment is on another document: choose a comment on this one."})
        if target.hidden_at is not None:
            raise ValidationError({"target": "This comment was hidden by the editors, so it cannot be linked."})
        return
    if _partnership_of(kind, target) != block.document.partnership_id:
        raise ValidationError({"target": f"This {name} belongs to another partnership: choose one from this one."})
    if kind == "idea" and target.hidden:
        raise ValidationError({"target": "This idea was hidden by a facilitator, so it cannot be linked."})


@transaction.atomic
def source_link_add(block: Block, actor, *, kind: str, target, note: str = "") -> SourceLink:
    """Link `target` (an object of `kind`, one of SOURCE_FIELDS) to the commitment `block`, with
    an optional note on how it was used. Nothing is saved when anything is wrong."""
    document = block.document
    require_perm(actor, "drafting.link_sources", document, REFUSED)
    if block.kind != BlockKind.COMMITMENT:
        raise ValidationError("Only commitments can be linked to what shaped them.")
    if block.removed_at is not None:
        raise ValidationError("This commitment was removed from the document, so it cannot take new links.")
    if kind not in SOURCE_FIELDS:
        raise ValidationError({"kind": CHOOSE_KIND})
    if target is None:
        raise ValidationError({"target": f"Choose the {KIND_NAMES[kind]} to link"})
    _check_target(block, kind, target)
    errors: dict = {}
    note = clean_text(note, "note", errors, one_line=True)
    if len(note) > NOTE_MAX:
        errors.setdefault("note", f"Keep the note to {NOTE_MAX} characters (it has {len(note):,})")
    if errors:
        raise ValidationError(errors)
    entry = entry_for(document, block)  # "commitment 2.3", in the document's current numbering
    duplicate = f"This {KIND_NAMES[kind]} is already linked to {entry.label.lower() if entry else 'this commitment'}"
    if SourceLink.objects.filter(block=block, **{kind: target}).exists():
        raise ValidationError({"target": duplicate})
    link = SourceLink(block=block, note=note, added_by=actor, **{kind: target})
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:  # the same link saved by a double click a moment ago
        raise ValidationError({"target": duplicate}) from None
    record(
        document, actor, "drafting.source_link_add", obj=link,
        changes={"block": block.pk, "kind": kind, "target": target.pk, "note": bool(note)},
    )  # fmt: skip
    return link


@transaction.atomic
def source_link_remove(link: SourceLink, actor) -> None:
    """Take the link away; the idea, theme or evidence itself is untouched. The links of a
    commitment removed from the text stay as the record of what shaped it."""
    document = link.block.document
    require_perm(actor, "drafting.link_sources", document, REFUSED)
    if link.block.removed_at is not None:
        raise ValidationError(
            "This commitment was removed from the document, so what it was linked to stays on record."
        )
    kind = link.kind
    record(
        document, actor, "drafting.source_link_remove", obj=link,
        changes={"block": link.block_id, "kind": kind, "target": getattr(link, f"{kind}_id")},
    )  # fmt: skip
    link.delete()
