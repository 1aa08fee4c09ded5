"""Setting up consultation rounds: the round itself (a frozen version, dates and audience) and
its questions. Invitations and responses are in invitations.py and responses.py.

Questions can change until the first response arrives; after that, changing them would mean
earlier respondents answered a different questionnaire."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from compact.core.services import require_perm
from compact.core.tokens import new_token

from ..models import Block, BlockKind, Document, Question, QuestionKind, Round, Version
from ._common import RUN_REFUSED, clean_text, full_clean_into, record
from .invitations import schedule_reminder

ANSWERED = "People have already responded, so the questions can no longer change."
WHOLE_DOCUMENT_QUESTION = "Is there anything else you would like to tell us about this draft?"
MAX_QUESTIONS = 100


def standard_questions(block: Block) -> list[tuple[str, str]]:
    """The two questions most rounds ask about a key area: how far people agree, and what they would change."""
    return [
        (QuestionKind.AGREE, f"How far do you agree with the commitments under “{block.title}”?"),
        (QuestionKind.TEXT, f"What would you change or add under “{block.title}”?"),
    ]


def _check(document: Document, round: Round, chosen: list, errors: dict) -> None:
    if round.version is None or round.version.document_id != document.pk:
        errors.setdefault("version", "Choose a saved version of this document")
    if round.opens_at and round.closes_at and round.closes_at <= round.opens_at:
        errors["closes_at"] = "The closing date must be after the opening date"
    if not (round.for_members or round.for_public or chosen):
        errors.setdefault("for_members", "Choose who can respond: members, named organisations or the public")


def _organisations(document: Document, organisations, errors: dict) -> list:
    chosen = list(organisations or [])
    allowed = set(document.partnership.member_links.values_list("organisation_id", flat=True))
    if any(o.pk not in allowed for o in chosen):
        errors["organisations"] = "Choose organisations in this partnership"
    return chosen


def _apply(round: Round, document: Document, fields: dict, errors: dict) -> list:
    """Put the form's fields on `round` and check them with the model's own checks; returns the
    named organisations. Raises ValidationError with every problem found."""
    round.title = clean_text(fields["title"], "title", errors, one_line=True)
    round.introduction = clean_text(fields.get("introduction", ""), "introduction", errors)
    if not round.title:
        errors["title"] = 'Enter a title, for example "Consultation on draft 2"'
    round.version = fields["version"]
    round.opens_at, round.closes_at = fields["opens_at"], fields["closes_at"]
    round.for_members, round.for_public = bool(fields.get("for_members")), bool(fields.get("for_public"))
    chosen = _organisations(document, fields.get("organisations"), errors)
    _check(document, round, chosen, errors)
    full_clean_into(round, errors, whole="closes_at")
    return chosen


@transaction.atomic
def round_create(
    *, document: Document, actor, version: Version | None, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
    introduction: str = "", for_members: bool = True, for_public: bool = False, organisations=(),
    standard: bool = True,
) -> Round:  # fmt: skip
    """A round on `version`, with the standard questions for each key area unless `standard` is False."""
    require_perm(actor, "drafting.run_consultation", document, RUN_REFUSED)
    round = Round(document=document, created_by=actor, public_key=new_token())
    fields = dict(
        title=title,
        introduction=introduction,
        version=version,
        opens_at=opens_at,
        closes_at=closes_at,
        for_members=for_members,
        for_public=for_public,
        organisations=organisations,
    )
    chosen = _apply(round, document, fields, {})
    round.save()
    round.organisations.set(chosen)
    if standard:
        _add_standard(round)
    record(document, actor, "drafting.round_create", obj=round, changes={"version": version.number})
    schedule_reminder(round)
    return round


@transaction.atomic
def round_update(
    *, round: Round, actor, version: Version | None, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
    introduction: str = "", for_members: bool = True, for_public: bool = False, organisations=(),
) -> Round:  # fmt: skip
    """Change a round. Once people have responded, the version they read stays as it was."""
    round = Round.objects.select_for_update().select_related("document__partnership", "version").get(pk=round.pk)
    document = round.document
    require_perm(actor, "drafting.run_consultation", document, RUN_REFUSED)
    errors: dict = {}
    if version is not None and version.pk != round.version_id and round.responses.exists():
        errors["version"] = "People have already responded to this version, so it can no longer change"
    dates_before = (round.opens_at, round.closes_at)
    fields = dict(
        title=title,
        introduction=introduction,
        version=version,
        opens_at=opens_at,
        closes_at=closes_at,
        for_members=for_members,
        for_public=for_public,
        organisations=organisations,
    )
    chosen = _apply(round, document, fields, errors)
    dates_moved = dates_before != (round.opens_at, round.closes_at)
    if dates_moved:
        round.reminded_at = None  # new dates earn their own reminder
    round.save()
    round.organisations.set(chosen)
    record(document, actor, "drafting.round_update", obj=round, changes={"closes_at": closes_at.isoformat()})
    if dates_moved:
        schedule_reminder(round)
    return round


def _next_position(round: Round) -> int:
    return (round.questions.aggregate(top=Max("position"))["top"] or 0) + 1


def _add_standard(round: Round) -> None:
    key_areas = Block.objects.filter(document=round.document_id, kind=BlockKind.KEY_AREA, removed_at=None)
    position = _next_position(round)
    questions = []
    for block in key_areas.order_by("position"):
        for kind, text in standard_questions(block):
            questions.append(Question(round=round, block=block, kind=kind, text=text[:500], position=position))
            position += 1
    questions.append(Question(round=round, kind=QuestionKind.TEXT, text=WHOLE_DOCUMENT_QUESTION, position=position))
    Question.objects.bulk_create(questions)


def _lock_for_questions(round: Round, actor) -> Round:
    round = Round.objects.select_for_update().select_related("document__partnership").get(pk=round.pk)
    require_perm(actor, "drafting.run_consultation", round.document, RUN_REFUSED)
    if round.responses.exists():
        raise ValidationError(ANSWERED)
    return round


@transaction.atomic
def question_add(*, round: Round, actor, kind: str, text: str, block: Block | None = None) -> Question:
    round = _lock_for_questions(round, actor)
    errors: dict = {}
    question = Question(round=round, kind=kind, block=block)
    question.text = clean_text(text, "text", errors, one_line=True)
    if not question.text:
        errors["text"] = "Enter the question"
    if kind not in QuestionKind.values:
        errors["kind"] = "Choose the kind of answer: a scale or free text"
    if block is not None and (block.document_id != round.document_id or block.kind != BlockKind.KEY_AREA):
        errors["block"] = "Choose a key area of this document, or the whole document"
    if round.questions.count() >= MAX_QUESTIONS:
        errors["text"] = f"A round can ask at most {MAX_QUESTIONS} questions"
    question.position = _next_position(round)
    full_clean_into(question, errors, whole="text")
    question.save()
    record(round.document, actor, "drafting.question_add", obj=question, changes={"round": round.pk})
    return question


@transaction.atomic
def question_remove(*, question: Question, actor) -> None:
    round = _lock_for_questions(question.round, actor)
    record(round.document, actor, "drafting.question_remove", obj=round, changes={"question": question.pk})
    question.delete()
