"""'You said, we did': what the account is made of (items, each with who said it, what they
said and what the editors did; parts of the document holding them; agreement-scale tallies),
read from the database by selectors_accounting.account_for, and the whole account written out
as a spreadsheet (CSV, one row per comment, amendment or answer) and as an accessible Word
document (DOCX), in the order of the document.

CSV: every cell goes through `safe_cell`, so nothing a person typed runs as a formula. DOCX:
real headings (the document, its parts, their commitments, then each item), the title and
language in the core properties, the agreement-scale counts as tables whose header rows
repeat. Everything people typed goes into runs as plain text: Word never interprets it."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from compact.core.csv import safe_cell
from compact.core.docx import DOCX_TYPE, Writer, plain, set_language, table, to_bytes

from .models import Document, Outcome

WHOLE, REMOVED = "whole", "removed"
WHOLE_LABEL = "About the whole document"
REMOVED_LABEL = "Parts since removed from the document"
INDIVIDUAL = "An individual"
AWAITING = "Awaiting a response"
KIND_LABELS = {"comment": "Comment", "amendment": "Amendment", "answer": "Consultation answer"}
OUTCOME_TAGS = {
    Outcome.CHANGED: "govuk-tag--green", Outcome.PARTLY: "govuk-tag--yellow", Outcome.NOT_CHANGED: "govuk-tag--red",
    Outcome.ALREADY: "govuk-tag--blue", Outcome.NOTED: "govuk-tag--purple",
}  # fmt: skip


@dataclass
class Item:
    """One thing said, and what the editors did with it."""

    kind: str  # comment, amendment or answer
    pk: int
    organisation: str  # the organisation it was said for, or "" for an individual
    said: str
    outcome: str
    note: str
    context: str = ""  # the words a comment quotes, or the question an answer answers
    wording: list[tuple[str, str]] = field(default_factory=list)  # an amendment's proposed texts

    @property
    def who(self) -> str:
        return self.organisation or INDIVIDUAL

    @property
    def ref(self) -> str:
        """ "comment-12": for ids and links (a string, so templates need not format a number)."""
        return f"{self.kind}-{self.pk}"

    @property
    def path(self) -> str:
        """Its outcome page, under the account's address."""
        return f"{self.kind}/{self.pk}/"

    @property
    def heading(self) -> str:
        return f"{KIND_LABELS[self.kind]} from {self.organisation or 'an individual'}"

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label if self.outcome else AWAITING

    @property
    def outcome_tag(self) -> str:
        return OUTCOME_TAGS.get(self.outcome, "govuk-tag--grey")


@dataclass
class Tally:
    """How people marked the agreement scale for one question."""

    question: str
    round: str
    counts: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.counts)


@dataclass(eq=False)
class Part:
    """A part of the document with what was said about it. `key` is what ?part= names to open
    it in a long document (a key area's number, WHOLE or REMOVED; "" for parts always shown)."""

    anchor: str
    label: str
    key: str = ""
    number: str = ""  # "2" for key area 2, "2.3" for its third commitment
    level: int = 2
    parent: Part | None = field(default=None, repr=False)
    items: list[Item] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)
    total: int = 0  # items on it (and its children), whether loaded or not
    awaiting: int = 0
    folded: bool = False

    @property
    def item_tag(self) -> str:
        """The heading element of its items: one level below its own heading."""
        return f"h{self.level + 1}"

    @property
    def top(self) -> Part:
        return self.parent or self

    def add_child(self, child: Part) -> Part:
        child.parent = self
        self.children.append(child)
        return child

    @property
    def shown_children(self) -> list[Part]:
        return [child for child in self.children if child.items or child.tallies]

    @property
    def with_children(self) -> list[Part]:
        """This part, then the commitments (or removed parts) under it with something to show."""
        return [self, *self.shown_children]

    @property
    def empty(self) -> bool:
        return not (self.items or self.tallies or self.shown_children)


@dataclass
class Account:
    parts: list[Part]
    total: int
    awaiting: int
    by_outcome: list[tuple[str, int]]
    scale_marks: int
    shown: str | None = None  # the part open in a long document; None when everything is shown
    awaiting_only: bool = False


# Exports ------------------------------------------------------------------------------------

CSV_HEADER = [
    "number", "part", "kind", "from", "on", "what was said", "proposed wording", "what we did", "why",
]  # fmt: skip
NOTHING_SAID = "Nobody has commented on this part, proposed an amendment or answered a question about it."


def summary_line(account: Account) -> str:
    return (
        f"Comments, amendments and consultation answers in this account: {account.total:,}. "
        f"Awaiting a response: {account.awaiting:,}."
    )


def title_of(document: Document) -> str:
    return f"You said, we did: {document.title}"


def _attachment(response: HttpResponse, document: Document, ext: str) -> HttpResponse:
    stem = f"you-said-we-did-{slugify(document.title)[:60]}".rstrip("-")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{ext}"'
    return response


def in_order(parts: list[Part]):
    """(part, its items) for every part and commitment, in the order of the document."""
    for part in parts:
        yield part, part.items
        for child in part.children:
            yield child, child.items


# CSV ------------------------------------------------------------------------------------------


def _wording(item: Item) -> str:
    return "\n\n".join(f"{label}: {text}" for label, text in item.wording)


def csv_rows(account: Account):
    yield CSV_HEADER
    for part, items in in_order(account.parts):
        for item in items:
            values = [
                part.number, part.label, item.kind, item.who, item.context, item.said, _wording(item),
                item.outcome_label, item.note,
            ]  # fmt: skip
            yield [safe_cell(value) for value in values]


def csv_response(document: Document, account: Account) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so Excel reads UTF-8 (names with accents, non-Latin scripts)
    csv.writer(response).writerows(csv_rows(account))
    return _attachment(response, document, "csv")


# DOCX -----------------------------------------------------------------------------------------


def _item(body: Writer, item: Item, level: int) -> None:
    body.heading(item.heading, level)
    if item.context:
        body.text(item.context, "Quote")
    body.text(item.said)
    for label, text in item.wording:
        body.paragraph((f"Proposed wording ({label.lower()}):", True))
        body.text(text, "Quote")
    body.paragraph(("What we did: ", True), (item.outcome_label, False))
    if item.note:
        body.text(item.note)


def _part(body: Writer, part: Part) -> None:
    body.heading(part.label, part.level)
    for tally in part.tallies:
        caption = f"{tally.question} ({tally.round})"
        body.paragraph((caption, True))
        table(body.document, ["Answer", "People"], [[label, str(n)] for label, n in tally.counts], caption)
    for item in part.items:
        _item(body, item, part.level + 1)


def docx_bytes(document: Document, account: Account) -> bytes:
    from docx import Document as Word

    word = Word()
    title = plain(title_of(document))
    word.core_properties.title = title[:250]
    word.core_properties.author = plain(document.partnership.name)[:250]
    word.core_properties.comments = ""
    set_language(word)
    body = Writer(word)  # python-docx's add_paragraph slows as a document grows
    body.heading(title, 1)
    body.text(
        f"{document.partnership.name}, {date_format(timezone.localdate(), 'j F Y')}. What people said about the "
        "document, in its order, and what the editors did with it and why."
    )
    body.text(summary_line(account))
    for label, n in account.by_outcome:
        body.paragraph((f"{label}: {n:,}", False), style="List Bullet")
    for part in account.parts:
        _part(body, part)
        if not part.total and not part.tallies:
            body.text(NOTHING_SAID)
        for child in part.shown_children:
            _part(body, child)
    return to_bytes(word)


def docx_response(document: Document, account: Account) -> HttpResponse:
    return _attachment(HttpResponse(docx_bytes(document, account), content_type=DOCX_TYPE), document, "docx")
