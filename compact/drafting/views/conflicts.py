"""The conflict page's content, shared by block editing and accepting amendments: the text as
it is now (saved by someone else), the text the person submitted, what differs between them
word by word, and a form holding the person's own words with the current lock_version, so
saving it is a deliberate merge and nothing typed is lost."""

from __future__ import annotations

from ..diffing import inline_html, word_diff
from ..forms.editing import BlockForm
from ..selectors_feedback import FIELD_LABELS as TEXT_LABELS
from ..services import EditConflict
from ..versioning import committers

FIELD_LABELS = {**TEXT_LABELS, "committed_by": "Who commits"}


def _shown(name: str, value) -> str:
    if name == "committed_by":
        return ", ".join(committers(value))
    return value or ""


def conflict_fields(block, submitted: dict) -> list[dict]:
    """For each field the person submitted that differs from the block now: both texts and the
    word diff from theirs (now) to the person's."""
    rows = []
    for name, label in FIELD_LABELS.items():
        mine = submitted.get(name)
        if mine is None:
            continue
        theirs, mine = _shown(name, getattr(block, name)), _shown(name, mine)
        if theirs.strip() == mine.strip():
            continue
        rows.append({"name": name, "label": label, "theirs": theirs, "mine": mine,
                     "diff": inline_html(word_diff(theirs, mine))})  # fmt: skip
    return rows


def conflict_context(conflict: EditConflict, form: BlockForm | None, partnership, **extra) -> dict:
    block, submitted = conflict.block, conflict.submitted
    initial = {name: value for name, value in submitted.items() if value is not None}
    initial["lock_version"] = block.lock_version
    initial["section_kind"] = block.section_kind
    initial["tags"] = list(block.tags.all())
    if form is not None and form.is_bound and hasattr(form, "cleaned_data") and "tags" in form.cleaned_data:
        initial["tags"] = form.cleaned_data["tags"]
    merge = BlockForm(kind=block.kind, partnership=partnership, initial=initial)
    merge.submit_label = "Save this text"
    return {
        "block": block, "rows": conflict_fields(block, submitted), "merge_form": merge,
        "saved_by": block.updated_by, "saved_at": block.updated_at, **extra,
    }  # fmt: skip
