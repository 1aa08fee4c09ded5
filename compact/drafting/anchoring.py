"""Finding a quoted passage again after its text has been edited, for comments on a passage.

A passage is remembered as its words (`quote`) and a little text either side (`prefix`,
`suffix`). After an edit we look for the words exactly, use the text around them to choose
between repeats, and otherwise accept a near match (a typo fixed inside the passage). When the
words themselves are gone we say so (None) rather than pin the comment to the wrong text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .models import CONTEXT_CHARS

MATCH_THRESHOLD = 0.3  # diff-match-patch's 0.0 (exact) … 1.0 (anything); 0.3 tolerates a few changed letters
MIN_SIMILARITY = 0.75  # share of the passage that must survive for a near match to count
LENGTH_TOLERANCE = 0.25  # a long passage found from its two ends may have grown or shrunk this much
_WHITESPACE = re.compile(r"\s+")
# What the page shows differently from the Markdown: the marker starting a list item, quote or
# heading, a link's address, emphasis and code marks (an underscore inside a word is shown) and a
# link's brackets, runs of whitespace. Line breaks are matched one at a time, so that the marker
# after one is still at the start of its line.
_UNSHOWN = re.compile(
    r"(?P<marker>(?:\A|\n)[ \t]*(?:[-*+>]|#{1,6}|\d{1,9}[.)])[ \t]+)|\]\([^()\s]*\)"
    r"|[*~`\[\]]|(?<!\w)_+|_+(?!\w)|\n|[^\S\n]+"
)


@dataclass(frozen=True, slots=True)
class Anchor:
    quote: str
    prefix: str = ""
    suffix: str = ""


def capture(text: str, start: int, end: int) -> Anchor:
    """The passage text[start:end] with up to CONTEXT_CHARS characters either side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"No passage selected between {start} and {end}")
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def quote_in(text: str, quote: str) -> Anchor | None:
    """The first place `quote` occurs in `text`, for a browser that sends only the selected words.
    Words selected on the page come from the rendered Markdown: their line breaks and spaces may
    be collapsed, and the marks the page does not show (**bold**, a link's address, a list's
    "- ") are missing, so the text is compared as the page shows it (_shown)."""
    wanted = _WHITESPACE.sub(" ", quote.strip())
    if not wanted:
        return None
    start = text.find(quote)
    if start != -1:
        return capture(text, start, start + len(quote))
    shown, offsets = _shown(text)
    index = shown.find(wanted)
    if index == -1:
        return None
    return capture(text, offsets[index], offsets[index + len(wanted) - 1] + 1)


def _shown(text: str) -> tuple[str, list[int]]:
    """`text` roughly as the page shows it (each run of whitespace and each list, quote or heading
    marker as one space, Markdown's marks left out), and where each of its characters came from
    in `text`. A space maps to where its run starts; the quote is stripped, so it never ends on one."""
    shown, offsets = [], []
    position, spaced = 0, False
    for match in _UNSHOWN.finditer(text):
        if match.start() > position:
            shown.append(text[position : match.start()])
            offsets.extend(range(position, match.start()))
            spaced = False
        if (match.lastgroup == "marker" or match.group().isspace()) and not spaced:
            shown.append(" ")
            offsets.append(match.start())
            spaced = True
        position = match.end()
    shown.append(text[position:])
    offsets.extend(range(position, len(text)))
    return "".join(shown), offsets


def locate(text: str, anchor: Anchor, hint: int | None = None) -> tuple[int, int] | None:
    """Where the passage is in `text` now, as (start, end), or None when its words are gone.
    `hint` is where it was last seen, to choose between equally good places."""
    quote = anchor.quote
    if not quote or not text:
        return None
    exact = _occurrences(text, quote)
    if exact:
        start = max(exact, key=lambda s: (_context_score(text, s, s + len(quote), anchor), -_distance(s, hint)))
        return start, start + len(quote)
    return _near_match(text, anchor, _expected_start(text, anchor, hint))


def _occurrences(text: str, quote: str) -> list[int]:
    starts, start = [], text.find(quote)
    while start != -1:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts


def _context_score(text: str, start: int, end: int, anchor: Anchor) -> int:
    """How many characters of the remembered prefix and suffix still sit next to the passage."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    return _common_suffix(before, anchor.prefix) + _common_prefix(after, anchor.suffix)


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _distance(start: int, hint: int | None) -> int:
    return 0 if hint is None else abs(start - hint)


def _expected_start(text: str, anchor: Anchor, hint: int | None) -> int:
    """Where to look first: the hint, else just after the remembered prefix, else just before the
    suffix, else the start."""
    if hint is not None:
        return max(0, min(hint, len(text)))
    if anchor.prefix and (found := text.find(anchor.prefix)) != -1:
        return found + len(anchor.prefix)
    if anchor.suffix and (found := text.find(anchor.suffix)) != -1:
        return max(0, found - len(anchor.quote))
    return 0


def _near_match(text: str, anchor: Anchor, loc: int) -> tuple[int, int] | None:
    """The passage with a few letters changed. diff-match-patch matches at most Match_MaxBits (32)
    characters well, so a longer passage is found from its first and last 32 characters."""
    dmp = _matcher(len(text))
    quote, bits = anchor.quote, dmp.Match_MaxBits
    if len(quote) <= bits:
        start = dmp.match_main(text, quote, loc)
        if start == -1:
            return None
        span = (start, min(len(text), start + len(quote)))
    else:
        start = dmp.match_main(text, quote[:bits], loc)
        if start == -1:
            return None
        tail = dmp.match_main(text, quote[-bits:], start + len(quote) - bits)
        span = (start, min(len(text), tail + bits))
        if tail < start or abs((span[1] - span[0]) - len(quote)) > LENGTH_TOLERANCE * len(quote):
            return None
    # The fitted span wins ties; the rough one is kept in case the fitting went astray.
    candidates = [(_similarity(dmp, quote, text[s:e]), (s, e)) for s, e in (_refine(dmp, text, quote, span), span)]
    score, best = max(candidates, key=lambda candidate: candidate[0])
    return best if score >= MIN_SIMILARITY else None


def _matcher(length: int) -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Match_Threshold = MATCH_THRESHOLD
    # How far from the expected place a match may be: the whole text, at a small cost to the
    # score, since after an edit the passage may have moved a long way.
    dmp.Match_Distance = max(1000, 4 * length)
    dmp.Diff_Timeout = 0.1
    return dmp


def _refine(dmp: diff_match_patch, text: str, quote: str, span: tuple[int, int]) -> tuple[int, int]:
    """The rough match fitted to the passage's first and last characters: diff the quote against
    the span plus a margin, and carry its two ends across (a fixed typo changes the length)."""
    margin = max(4, len(quote) // 8)
    window_start = max(0, span[0] - margin)
    ops = dmp.diff_main(quote, text[window_start : span[1] + margin], checklines=False)
    start = window_start + dmp.diff_xIndex(ops, 0)
    end = window_start + dmp.diff_xIndex(ops, len(quote) - 1) + 1
    return (start, end) if start < end else span


def _similarity(dmp: diff_match_patch, quote: str, found: str) -> float:
    """Share of characters the two have in common, in order (1.0 = the same). Unlike an edit
    distance this counts swapped letters ("reciept" → "receipt") as one slip, not two."""
    if not found:
        return 0.0
    ops = dmp.diff_main(quote, found, checklines=False)
    kept = sum(len(text) for op, text in ops if op == dmp.DIFF_EQUAL)
    return 2 * kept / (len(quote) + len(found))
