"""Word-level differences between two texts, and between two snapshots of a document.

Diffs are made at word granularity so a change reads as "30" → "14", not as scattered letters,
and are drawn with <del>/<ins> plus visually hidden words ("deleted: … end of deletion") so
screen-reader users hear what changed and where each change stops, as sighted users see it.

Ops follow diff-match-patch: (-1, text) deleted, (0, text) unchanged, (1, text) inserted."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

DELETE, EQUAL, INSERT = -1, 0, 1
DIFF_TIMEOUT = 1.0  # seconds; past this diff-match-patch returns a coarser but still correct diff

Op = tuple[int, str]

# Words and single punctuation marks, each with the spaces after it, and line breaks on their own:
# "30 days." differs from "14 days." only in "30 ". Keeping the space with its word halves the
# tokens, and diffing time grows with tokens times changes. `_tidy_spaces` moves a changed
# word's trailing space back out of the change for display.
_TOKEN = re.compile(r"\w+[ \t]*|[^\w\s][ \t]*|\s+")
_WORD = re.compile(r"\w+")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# Token codes skip the surrogate range: lone surrogates are valid in a str but trip up anything
# that encodes it.
_SURROGATES = range(0xD800, 0xE000)
_MAX_CODE = 0x10FFFF
# A changed stretch counts as rewritten when under a fifth of its word pairs survive, checked only
# where a full diff starts to cost (about 15 by 15 words or more).
_REWRITE_MAX_SHARED = 0.2
_REWRITE_MIN_WORK = 15 * 15


# --- Text diffs ---------------------------------------------------------------------------


def word_diff(old: str, new: str) -> list[Op]:
    """The changes that turn `old` into `new`, in whole words."""
    if old == new:
        return [(EQUAL, old)] if old else []
    dmp = _dmp()
    tokens: list[str] = [""]  # code 0 is never used, as in diff-match-patch's own line mode
    codes: dict[str, str] = {}
    try:
        old_chars, new_chars = _encode(old, tokens, codes), _encode(new, tokens, codes)
    except _OutOfCodes:  # over a million different words: fall back to letters
        ops = dmp.diff_main(old, new, checklines=False)
        dmp.diff_cleanupSemantic(ops)
        return _merge(ops)
    ops = _rewritten(dmp, old_chars, new_chars) or dmp.diff_main(old_chars, new_chars, checklines=False)
    # Cleaned up while still one character per token, so the cleanup can't split a word: on
    # plain text it factors out shared letters ("agree" → "agreement" would become "agree" + "ment").
    dmp.diff_cleanupSemantic(ops)
    return _tidy_spaces(_merge((op, "".join(tokens[ord(c)] for c in chars)) for op, chars in ops))


def _tidy_spaces(ops: list[Op]) -> list[Op]:
    """Move the spaces a replacement ends with (when both its old and new words end with them) to
    the unchanged text after it: "<del>30</del><ins>14</ins> days", not "<del>30 </del><ins>14 </ins>days"."""
    tidy: list[Op] = []
    i = 0
    while i < len(ops):
        if ops[i][0] == EQUAL:
            tidy.append(ops[i])
            i += 1
            continue
        j = i
        while j < len(ops) and ops[j][0] != EQUAL:
            j += 1
        run = ops[i:j]
        # Only a replacement (both deleted and inserted text) can give its space to the text after:
        # both old and new still read the same.
        replaced = {op for op, _ in run} == {DELETE, INSERT}
        space = _common_trailing_space([text for _, text in run]) if replaced else ""
        if space:
            run = [(op, text[: -len(space)]) for op, text in run]
            tidy.extend(op for op in run if op[1])
            if j < len(ops):
                ops[j] = (EQUAL, space + ops[j][1])
            else:
                tidy.append((EQUAL, space))
        else:
            tidy.extend(run)
        i = j
    return _merge(tidy)


def _common_trailing_space(texts: list[str]) -> str:
    """The spaces every text ends with, when each ends in a word or mark before them (so a
    run of whitespace is never split)."""
    spaces = [text[len(text.rstrip(" \t")) :] for text in texts]
    if not spaces[0] or any(space != spaces[0] for space in spaces):
        return ""
    if any(not text[: -len(spaces[0])] or text[: -len(spaces[0])][-1].isspace() for text in texts):
        return ""
    return spaces[0]


def _rewritten(dmp: diff_match_patch, old: str, new: str) -> list[Op] | None:
    """A rewrite as one deletion and one insertion (between any unchanged start and end), or None
    if the texts are alike. Diffing a rewrite token by token is the slow case (time grows with
    length times changes) and shows the same thing once cleaned up: the old words out, the new in.
    Texts are alike when they share word pairs; `old` and `new` are encoded, one char per token."""
    head = dmp.diff_commonPrefix(old, new)
    tail = dmp.diff_commonSuffix(old[head:], new[head:])
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    if len(old_middle) * len(new_middle) < _REWRITE_MIN_WORK:
        return None
    old_pairs, new_pairs = _pairs(old_middle), _pairs(new_middle)
    if len(old_pairs & new_pairs) >= _REWRITE_MAX_SHARED * min(len(old_pairs), len(new_pairs)):
        return None
    ops = [(EQUAL, old[:head]), (DELETE, old_middle), (INSERT, new_middle), (EQUAL, old[len(old) - tail :])]
    return [(op, chars) for op, chars in ops if chars]


def _pairs(chars: str) -> set[str]:
    """Word pairs (two tokens, each a word with its space)."""
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


class _OutOfCodes(Exception):
    pass


def _encode(text: str, tokens: list[str], codes: dict[str, str]) -> str:
    """`text` as one character per token, adding new tokens to the shared table (the
    diff-match-patch "lines to chars" trick, per word)."""
    chars = []
    for token in _TOKEN.findall(text):
        code = codes.get(token)
        if code is None:
            code = codes[token] = _add(token, tokens)
        chars.append(code)
    return "".join(chars)


def _add(token: str, tokens: list[str]) -> str:
    index = len(tokens)
    if index in _SURROGATES:  # pad over the range so ord(code) still indexes `tokens`
        tokens.extend([""] * (_SURROGATES.stop - index))
        index = len(tokens)
    if index > _MAX_CODE:
        raise _OutOfCodes
    tokens.append(token)
    return chr(index)


def _merge(ops: Iterable[Op]) -> list[Op]:
    """Join neighbouring ops of the same kind and drop empty ones."""
    merged: list[Op] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _dmp() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = DIFF_TIMEOUT
    return dmp


def has_changes(ops: Sequence[Op]) -> bool:
    return any(op != EQUAL for op, _ in ops)


def change_counts(ops: Sequence[Op]) -> tuple[int, int]:
    """(words inserted, words deleted)."""
    inserted = sum(len(_WORD.findall(text)) for op, text in ops if op == INSERT)
    deleted = sum(len(_WORD.findall(text)) for op, text in ops if op == DELETE)
    return inserted, deleted


# --- HTML ---------------------------------------------------------------------------------


def inline_html(ops: Sequence[Op]) -> SafeString:
    """Old and new text in one run: deletions struck through, insertions underlined."""
    return _join(_op_html(op, text) for op, text in ops)


def side_by_side_html(ops: Sequence[Op]) -> tuple[SafeString, SafeString]:
    """(old text with its deletions marked, new text with its insertions marked)."""
    old = _join(_op_html(op, text) for op, text in ops if op != INSERT)
    new = _join(_op_html(op, text) for op, text in ops if op != DELETE)
    return old, new


def _op_html(op: int, text: str) -> SafeString:
    if op == DELETE:
        return format_html(
            '<del class="compact-diff__del"><span class="govuk-visually-hidden">deleted: </span>{}'
            '<span class="govuk-visually-hidden"> end of deletion</span></del>',
            _text_html(text),
        )
    if op == INSERT:
        return format_html(
            '<ins class="compact-diff__ins"><span class="govuk-visually-hidden">inserted: </span>{}'
            '<span class="govuk-visually-hidden"> end of insertion</span></ins>',
            _text_html(text),
        )
    return _text_html(text)


def _text_html(text: str) -> SafeString:
    """`text` escaped, with its line breaks kept."""
    return _join(_NEWLINE.split(text), separator="<br>")


def _join(parts: Iterable[str], separator: str = "") -> SafeString:
    # Safe because every part goes through conditional_escape (our own fragments are already
    # SafeStrings, so they pass unchanged) and the separator is a constant.
    return mark_safe(separator.join(conditional_escape(part) for part in parts))  # noqa: S308


# --- Document snapshots -------------------------------------------------------------------

# Compared fields, in the order they are shown, with their labels.
FIELDS = {
    "title": "Heading",
    "statement": "Statement",
    "body": "Text",
    "committed_by": "Who commits",
    "tags": "Tags",
}
_LIST_FIELDS = {"committed_by", "tags"}

ADDED, REMOVED, CHANGED, UNCHANGED, MOVED = "added", "removed", "changed", "unchanged", "moved"


@dataclass(frozen=True, slots=True)
class FieldDiff:
    name: str
    label: str
    ops: list[Op]


@dataclass(frozen=True, slots=True)
class BlockDiff:
    """One block across two snapshots. `number_old` is None for an added block, `number_new`
    for a removed one."""

    id: int
    kind: str
    number_old: str | None
    number_new: str | None
    status: str
    fields: list[FieldDiff] = field(default_factory=list)


def diff_snapshots(old: dict, new: dict) -> list[BlockDiff]:
    """Every block of either snapshot, in the new snapshot's order; a removed block comes right
    after the block that preceded it in the old snapshot, so it is shown where it used to be."""
    old_blocks = {block["id"]: block for block in old.get("blocks", [])}
    new_blocks = {block["id"]: block for block in new.get("blocks", [])}
    reordered = _reordered(old_blocks, new_blocks)
    diffs = [
        _block_diff(old_blocks.get(block_id), block, block_id in reordered) for block_id, block in new_blocks.items()
    ]
    return _place_removed(diffs, old_blocks, new_blocks)


def _block_diff(old: dict | None, new: dict, reordered: bool) -> BlockDiff:
    if old is None:
        return BlockDiff(new["id"], new.get("kind", ""), None, new.get("number", ""), ADDED, _field_diffs({}, new))
    fields = _field_diffs(old, new)
    moved = reordered or _renumbered(old, new)
    status = CHANGED if fields else MOVED if moved else UNCHANGED
    return BlockDiff(new["id"], new.get("kind", ""), old.get("number", ""), new.get("number", ""), status, fields)


def _removed_diff(old: dict) -> BlockDiff:
    return BlockDiff(old["id"], old.get("kind", ""), old.get("number", ""), None, REMOVED, _field_diffs(old, {}))


def _field_diffs(old: dict, new: dict) -> list[FieldDiff]:
    diffs = []
    for name, label in FIELDS.items():
        before, after = _field_text(old, name), _field_text(new, name)
        if before != after:  # word_diff is only paid for where something changed
            diffs.append(FieldDiff(name, label, word_diff(before, after)))
    return diffs


def _field_text(block: dict, name: str) -> str:
    value = block.get(name) or ("" if name not in _LIST_FIELDS else [])
    return ", ".join(str(item) for item in value) if name in _LIST_FIELDS else str(value)


def _renumbered(old: dict, new: dict) -> bool:
    return old.get("number", "") != new.get("number", "") or old.get("parent") != new.get("parent")


def _reordered(old_blocks: dict[int, dict], new_blocks: dict[int, dict]) -> set[int]:
    """Blocks whose order among the others changed though their number and parent did not (a
    section moved above another keeps its empty number). Renumbered blocks already count as
    moved, so they are left out; of the rest, those in the longest run still in order stayed put."""
    position = {block_id: index for index, block_id in enumerate(new_blocks)}
    kept = [i for i, block in old_blocks.items() if i in new_blocks and not _renumbered(block, new_blocks[i])]
    return set(kept) - set(_longest_increasing(kept, position))


def _longest_increasing(ids: list[int], position: dict[int, int]) -> list[int]:
    """Patience sorting: the longest subsequence of `ids` whose positions increase, O(n log n)."""
    tails: list[int] = []  # tails[k]: smallest position ending an increasing run of length k + 1
    tail_index: list[int] = []  # index in `ids` of that tail
    previous = [-1] * len(ids)
    for index, block_id in enumerate(ids):
        k = bisect_left(tails, position[block_id])
        if k == len(tails):
            tails.append(position[block_id])
            tail_index.append(index)
        else:
            tails[k] = position[block_id]
            tail_index[k] = index
        previous[index] = tail_index[k - 1] if k else -1
    run, index = [], tail_index[-1] if tail_index else -1
    while index != -1:
        run.append(ids[index])
        index = previous[index]
    return run[::-1]


def _place_removed(diffs: list[BlockDiff], old_blocks: dict[int, dict], new_blocks: dict[int, dict]) -> list[BlockDiff]:
    """Insert removed blocks after the nearest earlier block (in the old snapshot) that survives."""
    after: dict[int | None, list[BlockDiff]] = {}
    anchor: int | None = None
    for block_id, block in old_blocks.items():
        if block_id in new_blocks:
            anchor = block_id
        else:
            after.setdefault(anchor, []).append(_removed_diff(block))
    placed = list(after.get(None, []))
    for diff in diffs:
        placed.append(diff)
        placed.extend(after.get(diff.id, []))
    return placed


def summary(diffs: Sequence[BlockDiff]) -> dict[str, int]:
    """How many blocks were added, removed, changed and moved."""
    counts = dict.fromkeys((ADDED, REMOVED, CHANGED, MOVED), 0)
    for diff in diffs:
        if diff.status in counts:
            counts[diff.status] += 1
    return counts
