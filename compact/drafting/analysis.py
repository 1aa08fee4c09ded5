"""What a consultation round heard: the agree-scale answers per question (counts for a chart
and a table), the free-text answers and comments on each key area grouped by theme (the same
compact.theming the workshops use), and response rates by organisation kind and borough, so the
people running it can see who has not been heard yet.

Grouping by theme is worked out on demand and cached until the texts change: without the
language model it is word overlap, and the page says so."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q

from compact import theming
from compact.organisations.models import OrganisationKind
from compact.partnerships.models import Membership
from compact.workshops.selectors_registration import borough_choices

from . import outline
from .models import AGREE_SCALE, Answer, Block, BlockKind, Comment, QuestionKind, Round

MIN_TO_GROUP = 4  # fewer texts than this are listed, not grouped
CACHE_SECONDS = 24 * 3600
INDIVIDUALS = "Individuals, or not known"
KIND_LABELS = dict(OrganisationKind.choices)
SCALE_LABELS = dict(AGREE_SCALE)


@dataclass
class ScaleRow:
    value: int
    label: str
    count: int
    percent: int
    offset: int = 0  # where its bar starts in the stacked chart, in percent


@dataclass
class QuestionResult:
    question: object
    answered: int
    scale: list[ScaleRow] = field(default_factory=list)
    agree_percent: int = 0


@dataclass
class Said:
    text: str
    source: str  # "Answer" or "Comment on commitment 2.1"


@dataclass
class ThemeGroup:
    label: str
    size: int
    examples: list[Said]


@dataclass
class KeyAreaResult:
    block: object
    questions: list[QuestionResult]
    said: list[Said]
    themes: list[ThemeGroup]


@dataclass
class RateRow:
    label: str
    responses: int
    invited: int
    responded: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.responded / self.invited) if self.invited else None


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _scale(question, answers: list[Answer]) -> QuestionResult:
    counts = Counter(a.scale for a in answers if a.scale)
    total = sum(counts.values())
    rows, offset = [], 0
    for value, label in AGREE_SCALE:
        row = ScaleRow(value, label, counts.get(value, 0), _percent(counts.get(value, 0), total), offset)
        offset += row.percent
        rows.append(row)
    return QuestionResult(question, total, rows, _percent(counts.get(5, 0) + counts.get(4, 0), total))


def _themes(texts: list[Said]) -> list[ThemeGroup]:
    if len(texts) < MIN_TO_GROUP:
        return []
    digest = hashlib.sha256("\x1f".join(s.text for s in texts).encode()).hexdigest()
    key = f"compact:drafting:themes:{theming.model_name()}:{digest}"
    groups = cache.get(key)
    if groups is None:
        groups = [(t.label, list(t.members)) for t in theming.suggest_themes([s.text for s in texts])]
        cache.set(key, groups, CACHE_SECONDS)
    return [ThemeGroup(label, len(members), [texts[i] for i in members]) for label, members in groups]


def _comments_by_key_area(round: Round, numbers: dict[int, str]) -> dict[int, list[Said]]:
    """Comments made on each key area or its commitments while the round was open."""
    found: dict[int, list[Said]] = defaultdict(list)
    comments = Comment.objects.filter(
        document_id=round.document_id, hidden_at=None, created_at__gte=round.opens_at, created_at__lt=round.closes_at
    ).select_related("block")
    for comment in comments.order_by("created_at", "pk"):
        block = comment.block
        key_area = block.pk if block.kind == BlockKind.KEY_AREA else block.parent_id
        if key_area is None:
            continue
        what = "commitment" if block.kind == BlockKind.COMMITMENT else "key area"
        found[key_area].append(Said(comment.body, f"Comment on {what} {numbers.get(block.pk, '')}".strip()))
    return found


def _numbers(round: Round) -> dict[int, str]:
    """{block id: its number in the document today} ("2.3"), to say what a comment was on."""
    blocks = Block.objects.filter(document_id=round.document_id, removed_at=None).only(
        "pk", "kind", "parent_id", "position"
    )
    return {entry.block.pk: entry.number for entry in outline.flatten(outline.build(blocks))}


def key_area_results(round: Round) -> tuple[list[KeyAreaResult], KeyAreaResult | None]:
    """Each key area's questions and what was said about it, then the whole-document questions."""
    numbers = _numbers(round)
    questions = list(round.questions.select_related("block"))
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(response__round=round).only("question_id", "scale", "text"):
        answers[answer.question_id].append(answer)
    comments = _comments_by_key_area(round, numbers)
    key_areas = Block.objects.filter(document_id=round.document_id, kind=BlockKind.KEY_AREA, removed_at=None)
    results, whole = [], None
    for block in [*key_areas.order_by("position"), None]:
        asked = [q for q in questions if q.block_id == (block.pk if block else None)]
        if block is None and not asked:
            break
        said = [Said(a.text, "Answer") for q in asked for a in answers[q.pk] if a.text]
        if block is not None:
            said += comments.get(block.pk, [])
        result = KeyAreaResult(
            block,
            [_scale(q, answers[q.pk]) if q.kind == QuestionKind.AGREE else
             QuestionResult(q, sum(1 for a in answers[q.pk] if a.text)) for q in asked],
            said, _themes(said),
        )  # fmt: skip
        if block is None:
            whole = result
        else:
            results.append(result)
    return results, whole


def _invitation_kinds(round: Round) -> list[tuple[str, set[int], bool]]:
    """(organisation kind, borough ids, responded) for each invitation. The kind is the invited
    organisation's, or the invitee's membership organisation's; boroughs are those it serves."""
    invitations = list(
        round.invitations.select_related("organisation")
        .annotate(answered=Count("responses"))
        .prefetch_related("organisation__places_served")
    )
    member_orgs = {
        m.user_id: m.organisation
        for m in Membership.objects.filter(partnership_id=round.document.partnership_id, organisation__isnull=False)
        .select_related("organisation").prefetch_related("organisation__places_served")
    }  # fmt: skip
    responded_users = set(round.responses.exclude(respondent=None).values_list("respondent_id", flat=True))
    rows = []
    for invitation in invitations:
        organisation = invitation.organisation or member_orgs.get(invitation.user_id)
        kind = organisation.kind if organisation else ""
        boroughs = {a.pk for a in organisation.places_served.all()} if organisation else set()
        responded = bool(invitation.answered) or invitation.user_id in responded_users
        rows.append((kind, boroughs, responded))
    return rows


def response_rates(round: Round) -> tuple[list[RateRow], list[RateRow]]:
    """Rows by organisation kind and by borough: every response counts in `responses`; invited
    and responded count invitations, so a low rate shows who has not been heard yet."""
    invited = _invitation_kinds(round)
    responses = list(round.responses.values("organisation_kind", "borough_id"))
    kinds = {k: RateRow(label, 0, 0, 0) for k, label in OrganisationKind.choices}
    kinds[""] = RateRow(INDIVIDUALS, 0, 0, 0)
    for row in responses:
        kinds.get(row["organisation_kind"], kinds[""]).responses += 1
    for kind, _boroughs, responded in invited:
        target = kinds.get(kind, kinds[""])
        target.invited += 1
        target.responded += responded
    boroughs = {b.pk: RateRow(b.name, 0, 0, 0) for b in borough_choices(round.document.partnership)}
    unknown = RateRow("Not given", 0, 0, 0)
    for row in responses:
        boroughs.get(row["borough_id"], unknown).responses += 1
    for _kind, served, responded in invited:
        for pk in served & boroughs.keys():
            boroughs[pk].invited += 1
            boroughs[pk].responded += responded
    kind_rows = [r for r in kinds.values() if r.responses or r.invited]
    borough_rows = list(boroughs.values()) + ([unknown] if unknown.responses else [])
    return kind_rows, borough_rows


def not_heard(round: Round) -> list[str]:
    """Organisations invited (named, or their contacts invited) that have not responded."""
    heard = set(round.responses.exclude(on_behalf_of=None).values_list("on_behalf_of_id", flat=True))
    invited = round.invitations.exclude(organisation=None).filter(~Q(organisation_id__in=heard))
    names = set(invited.values_list("organisation__name", flat=True))
    names |= set(round.organisations.exclude(pk__in=heard).values_list("name", flat=True))
    return sorted(names)


def counts(round: Round) -> dict:
    responses = round.responses.all()
    return {
        "responses": responses.count(),
        "by_invitation": responses.exclude(invitation=None).count(),
        "by_members": responses.filter(invitation=None).exclude(respondent=None).count(),
        "by_public": responses.filter(invitation=None, respondent=None).count(),
        "for_organisations": responses.exclude(on_behalf_of=None, organisation_name="").count(),
    }
