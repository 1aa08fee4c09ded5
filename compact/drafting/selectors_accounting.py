"""The "You said, we did" account, in the order of the document: for each part (the introduction,
sections, key areas and their commitments, as outline.py numbers them) its comments (first
comments of threads, not hidden), amendments (not withdrawn) and consultation answers with
words, then answers about the whole document, then anything on parts since removed.

Who said it is an organisation's name when someone wrote on its behalf, otherwise "An
individual": the account is published, so it names no person and shows no email address.

The cost does not grow with the feedback: one query for the blocks, one grouped count each for
comments, amendments and answers, one for the agreement-scale tallies, and one each for the
items shown. A long document's page loads the items of one part at a time (as its document page
shows one key area); the exports load them all."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.http import Http404

from . import outline
from .accounting import REMOVED, REMOVED_LABEL, WHOLE, WHOLE_LABEL, Account, Item, Part, Tally
from .models import AGREE_SCALE, Amendment, AmendmentStatus, Answer, Block, BlockKind, Comment, Document, Outcome
from .selectors import is_id
from .selectors_feedback import FIELD_LABELS
from .services.amendments import AMENDABLE

SCALE_LABELS = dict(AGREE_SCALE)


# Items --------------------------------------------------------------------------------------


def _organisation(obj) -> str:
    return obj.on_behalf_of.name if obj.on_behalf_of_id else ""


def comment_item(comment: Comment) -> Item:
    context = ""
    if comment.quote:
        context = f"{'On earlier words' if comment.anchor_lost else 'On the words'}: “{comment.quote}”"
    return Item(
        "comment", comment.pk, _organisation(comment), comment.body, comment.outcome, comment.outcome_note, context
    )


def amendment_item(amendment: Amendment, block_kind: str) -> Item:
    wording = [
        (FIELD_LABELS[name], getattr(amendment, name))
        for name in AMENDABLE[block_kind]
        if getattr(amendment, name) != getattr(amendment, f"base_{name}")
    ]
    return Item(
        "amendment", amendment.pk, _organisation(amendment), amendment.reason, amendment.outcome,
        amendment.outcome_note, wording=wording,
    )  # fmt: skip


def answer_item(answer: Answer) -> Item:
    context = f"Answering “{answer.question.text}”"
    if answer.scale:
        context += f": {SCALE_LABELS[answer.scale]}"
    return Item("answer", answer.pk, answer.response.speaks_for, answer.text, answer.outcome, answer.outcome_note, context)  # fmt: skip


def _comments(document: Document):
    return Comment.objects.filter(document=document, parent=None, hidden_at=None)


def _amendments(document: Document):
    return Amendment.objects.filter(document=document).exclude(status=AmendmentStatus.WITHDRAWN)


def _answers(document: Document):
    return Answer.objects.filter(question__round__document=document).exclude(text="")


ITEM_FIELDS = ("outcome", "outcome_note", "on_behalf_of__name")
TEXTS = ("title", "statement", "body")


def _load_items(document: Document, blocks: dict[int, Block], where: Q | None, answers_where: Q | None, awaiting_only):
    """{block id or None (the whole document): [Item, ...]} in the order they were said."""
    found: dict[int | None, list[Item]] = defaultdict(list)
    awaiting = Q(outcome="") if awaiting_only else Q()
    comments = _comments(document).filter(awaiting, where or Q()).select_related("on_behalf_of")
    for comment in comments.only("block", "body", "quote", "anchor_lost", *ITEM_FIELDS).order_by("created_at", "pk"):
        found[comment.block_id].append(comment_item(comment))
    amendments = _amendments(document).filter(awaiting, where or Q()).select_related("on_behalf_of")
    amendments = amendments.only("block", "reason", *TEXTS, *(f"base_{n}" for n in TEXTS), *ITEM_FIELDS)
    for amendment in amendments.order_by("created_at", "pk"):
        found[amendment.block_id].append(amendment_item(amendment, blocks[amendment.block_id].kind))
    answers = _answers(document).filter(awaiting, answers_where or Q())
    answers = answers.select_related("question", "response__on_behalf_of").only(
        "text",
        "scale",
        "outcome",
        "outcome_note",
        "question__text",
        "question__block",
        "response__on_behalf_of__name",
        "response__organisation_name",
    )
    for answer in answers.order_by("response__submitted_at", "response_id", "question__position"):
        found[answer.question.block_id].append(answer_item(answer))
    return found


def _counts(document: Document) -> dict[int | None, Counter]:
    """{block id or None: Counter(outcome: n)} over every accounted item, in three grouped queries."""
    counts: dict[int | None, Counter] = defaultdict(Counter)
    for queryset, block in ((_comments(document), "block"), (_amendments(document), "block"),
                            (_answers(document), "question__block")):  # fmt: skip
        for row in queryset.values(block, "outcome").annotate(n=Count("pk")).order_by():
            counts[row[block]][row["outcome"]] += row["n"]
    return counts


def _tallies(document: Document) -> dict[int | None, list[Tally]]:
    """{block id or None: [Tally, ...]}: the agreement-scale marks per question, in one query."""
    rows = (
        Answer.objects.filter(question__round__document=document, scale__isnull=False)
        .values("question", "question__block", "question__text", "question__round__title", "scale")
        .annotate(n=Count("pk"))
        .order_by("question__round__opens_at", "question__position", "question")
    )
    by_question: dict[int, dict] = {}
    for row in rows:
        question = by_question.setdefault(
            row["question"], {"block": row["question__block"], "text": row["question__text"],
                              "round": row["question__round__title"], "n": Counter()},
        )  # fmt: skip
        question["n"][row["scale"]] += row["n"]
    tallies: dict[int | None, list[Tally]] = defaultdict(list)
    for question in by_question.values():
        counts = [(label, question["n"][value]) for value, label in AGREE_SCALE]
        tallies[question["block"]].append(Tally(question["text"], question["round"], counts))
    return tallies


# The account --------------------------------------------------------------------------------


def removed_label(block: Block) -> str:
    words = block.title or block.statement
    words = f"{words[:77]}…" if len(words) > 80 else words
    return f"{block.get_kind_display()} (removed){': ' + words if words else ''}"


def _blocks(document: Document) -> dict[int, Block]:
    blocks = Block.objects.filter(document=document).only(
        "kind", "parent", "position", "title", "statement", "removed_at"
    )
    return {block.pk: block for block in blocks}


def _reading_order(block: Block, blocks: dict[int, Block]) -> tuple:
    """Where a removed block stood: the introduction first, then by (key area's) position."""
    top = blocks.get(block.parent_id, block)
    return (top.kind != BlockKind.INTRODUCTION, top.position, top.pk, block is not top, block.position, block.pk)


def _skeleton(blocks: dict[int, Block]) -> tuple[list[Part], dict[int | None, Part]]:
    """The parts in document order, with no items yet, and each block's part (None: the whole
    document). Commitments are children of their key area; removed blocks of REMOVED."""
    parts, of_block = [], {}
    for entry in outline.build(blocks.values()):
        part = of_block[entry.block.pk] = Part(
            f"part-{entry.block.pk}", entry.label, key=entry.number, number=entry.number
        )
        for child in entry.children:
            of_block[child.block.pk] = part.add_child(
                Part(f"part-{child.block.pk}", child.label, key=entry.number, number=child.number, level=3)
            )
        parts.append(part)
    removed = Part(REMOVED, REMOVED_LABEL, key=REMOVED)
    gone = [block for pk, block in blocks.items() if pk not in of_block]
    for block in sorted(gone, key=lambda b: _reading_order(b, blocks)):
        of_block[block.pk] = removed.add_child(Part(f"part-{block.pk}", removed_label(block), key=REMOVED, level=3))
    of_block[None] = Part(WHOLE, WHOLE_LABEL, key=WHOLE)
    return [*parts, of_block[None], removed], of_block


def _open_part(parts: list[Part], wanted: str | None) -> str | None:
    """The part a long document's page opens: `wanted` if it names one, else the first key
    area. None (everything) for the exports and for a document short enough to show whole."""
    commitments = sum(len(p.children) for p in parts if p.key not in (WHOLE, REMOVED))
    if wanted is None or commitments <= outline.LONG_DOCUMENT:
        return None
    choices = [p.key for p in parts if p.key]
    return wanted if wanted in choices else choices[0]


def account_for(document: Document, *, wanted: str | None = None, awaiting_only: bool = False) -> Account:
    """The account of `document`. With `wanted` (the page's ?part=), a long document loads the
    items of one part only (see _open_part); without it (the exports), everything.
    `awaiting_only` leaves out what already has an outcome."""
    blocks = _blocks(document)
    parts, of_block = _skeleton(blocks)
    everything: Counter = Counter()
    for block_pk, counter in _counts(document).items():
        part = of_block.get(block_pk, of_block[None])
        for counted in {part, part.top}:
            counted.total += counter.total()
            counted.awaiting += counter[""]
        everything += counter
    tallies = _tallies(document)
    with_tallies = {of_block.get(pk, of_block[None]).top for pk in tallies}
    parts = [p for p in parts if p.key not in (WHOLE, REMOVED) or p.total or p in with_tallies]
    shown = _open_part(parts, wanted)
    where = answers_where = None
    if shown is not None:
        ids = [pk for pk, part in of_block.items() if pk is not None and part.key in ("", shown)]
        where, answers_where = Q(block_id__in=ids), Q(question__block_id__in=ids)
        if shown == WHOLE:
            answers_where |= Q(question__block=None)
        for part in parts:
            part.folded = part.key not in ("", shown)
    for block_pk, found in _load_items(document, blocks, where, answers_where, awaiting_only).items():
        of_block.get(block_pk, of_block[None]).items.extend(found)
    if not awaiting_only:
        for block_pk, found in tallies.items():
            part = of_block.get(block_pk, of_block[None])
            if not part.top.folded:
                part.tallies = found
    return Account(
        parts=parts, total=everything.total(), awaiting=everything[""],
        by_outcome=[(label, everything[value]) for value, label in Outcome.choices],
        scale_marks=sum(t.total for found in tallies.values() for t in found), shown=shown, awaiting_only=awaiting_only,
    )  # fmt: skip


# One item, for the page that records its outcome ----------------------------------------------

KINDS = {"comment": Comment, "amendment": Amendment, "answer": Answer}


def accountable_get(*, document: Document, kind: str, pk):
    """The comment, amendment or consultation answer `pk` of this document (404 for anything
    else, including a kind or a pk that is not one)."""
    model = KINDS.get(kind)
    if model is None or not is_id(pk):
        raise Http404("No such comment, amendment or answer")
    if model is Answer:
        found = Answer.objects.filter(question__round__document=document, pk=pk).select_related(
            "question__round", "response__on_behalf_of"
        )
    else:
        found = model.objects.filter(document=document, pk=pk).select_related("on_behalf_of", "block")
    item = found.first()
    if item is None:
        raise Http404("No such comment, amendment or answer")
    return item


def describe(obj) -> Item:
    """The account's entry for one comment, amendment or answer (as accountable_get gives them)."""
    if isinstance(obj, Comment):
        return comment_item(obj)
    if isinstance(obj, Amendment):
        return amendment_item(obj, obj.block.kind)
    return answer_item(obj)


def place_of(document: Document, obj) -> Part:
    """The part of the account `obj` belongs to (its label, anchor and ?part= key)."""
    block_pk = obj.question.block_id if isinstance(obj, Answer) else obj.block_id
    _parts, of_block = _skeleton(_blocks(document))
    return of_block.get(block_pk, of_block[None])
