"""Reads for traceability: what shaped each commitment ("where this came from"), the picker that
finds ideas, themes, case studies, decisions and comments to link, which workshop themes no
commitment has taken up (coverage), and, for the workshops and case studies pages, where an
idea, theme or case study went (registered from apps.py).

Every read answers in a fixed number of queries whatever the number of commitments, links or
ids: links come with their targets in one query, and commitment numbers are worked out from one
query of the documents' blocks (outline.build)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator

from compact.casestudies.evidence import Support
from compact.casestudies.models import CaseStudy, Status, Version
from compact.casestudies.selectors import reading_versions
from compact.decisions.models import Outcome as DecisionOutcome
from compact.workshops.models import Idea, Theme
from compact.workshops.usage import Usage

from . import outline
from .models import SOURCE_FIELDS, Block, Comment, Document, SourceLink
from .selectors import is_id
from .services.sources import KIND_NAMES

KIND_ORDER = ["theme", "idea", "case_study", "decision", "comment"]
KIND_LABELS = {kind: name.capitalize() for kind, name in KIND_NAMES.items()}  # "Case study"
KIND_HEADINGS = {
    "theme": "Workshop themes", "idea": "Workshop ideas", "case_study": "Case studies",
    "decision": "Leadership group decisions", "comment": "Comments on the draft",
}  # fmt: skip
PICK_LIMIT = 20
SHORT = 80  # characters of a long label shown on the document page and in "where this went"

# One row per link, read with values(): the document page may show 100 commitments with several
# links each, and model instances for every joined row cost more than the query.
_LINK_VALUES = (
    "pk", "block_id", "note", "idea_id", "theme_id", "case_study_id", "decision_id", "comment_id",
    "idea__text", "idea__hidden", "idea__workshop__title", "idea__workshop__slug", "idea__workshop__process__slug",
    "theme__name", "theme__workshop__title", "theme__workshop__slug", "theme__workshop__process__slug",
    "case_study__title", "case_study__anonymised_title", "case_study__status", "case_study__published_version",
    "case_study__created_by_id",
    "decision__passed", "decision__created_at", "decision__proposal_id", "decision__proposal__title",
    "comment__body", "comment__hidden_at", "comment__block_id", "comment__created_at",
)  # fmt: skip


@dataclass(frozen=True)
class Source:
    """One link as a reader sees it. `url` is empty when the reader may not open the source."""

    pk: int
    kind: str
    label: str
    url: str
    context: str
    note: str

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= SHORT else Truncator(self.label).chars(SHORT)


def _day(value) -> str:
    return date_format(value, "j F Y")


def _one_line(text: str) -> str:
    return " ".join((text or "").split())


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
SEARCH_MAX = 200


def search_text(q) -> str:
    """The picker's search as the page shows it back: one line, at most SEARCH_MAX characters,
    control characters dropped (PostgreSQL refuses a NUL in a query, and nobody types one)."""
    return _one_line(_CONTROL.sub(" ", str(q or "")))[:SEARCH_MAX]


def _workshop_url(slug: str, process_slug: str, workshop_slug: str) -> str:
    """The workshop's write-up, which lists every theme and idea with where it was used."""
    return reverse("workshop_write_up", args=[slug, process_slug, workshop_slug]) + "#ideas"


class _Urls:
    """Each address reversed once per read, however many links point at it."""

    def __init__(self, document: Document):
        self.slug, self.found = document.partnership.slug, {}
        self.blocks = reverse("document_detail", args=[self.slug, document.pk]) + "blocks/"

    def get(self, name: str, *args) -> str:
        key = (name, *args)
        if key not in self.found:
            self.found[key] = (
                _workshop_url(self.slug, *args) if name == "write-up" else reverse(name, args=[self.slug, *args])
            )
        return self.found[key]


def _kind(row: dict) -> str:
    return next(name for name in SOURCE_FIELDS if row[f"{name}_id"] is not None)


def _source(row: dict, urls: _Urls, reading: dict) -> Source:
    kind, pk, note = _kind(row), row["pk"], row["note"]
    if kind in ("idea", "theme"):
        workshop = (row[f"{kind}__workshop__process__slug"], row[f"{kind}__workshop__slug"])
        url, context = urls.get("write-up", *workshop), f"{KIND_LABELS[kind]} from {row[f'{kind}__workshop__title']}"
        if kind == "theme":
            return Source(pk, kind, row["theme__name"], url, context, note)
        if row["idea__hidden"]:
            return Source(pk, kind, "An idea hidden by a facilitator", "", context, note)
        return Source(pk, kind, _one_line(row["idea__text"]), url, context, note)
    if kind == "case_study":
        version = reading.get(row["case_study_id"])
        if version is None:
            return Source(pk, kind, "A case study that is not published yet", "", "Case study", note)
        title = row["case_study__title"]
        if version != Version.NAMED:
            title = row["case_study__anonymised_title"] or "An anonymised case study"
        return Source(pk, kind, title, urls.get("casestudy_detail", row["case_study_id"]), "Case study", note)
    if kind == "decision":
        url = urls.get("proposal_detail", row["decision__proposal_id"])
        context = (
            f"Decision: {'agreed' if row['decision__passed'] else 'not agreed'}, {_day(row['decision__created_at'])}"
        )
        return Source(pk, kind, row["decision__proposal__title"], url, context, note)
    url = f"{urls.blocks}{row['comment__block_id']}/discussion/#comment-{row['comment_id']}"
    hidden = row["comment__hidden_at"] is not None
    label = "A comment hidden by the editors" if hidden else Truncator(_one_line(row["comment__body"])).chars(200)
    return Source(pk, kind, label, url, f"Comment, {_day(row['comment__created_at'])}", note)


def sources_by_block(document: Document, block_ids, user) -> dict[int, list[Source]]:
    """{block id: its sources, in the order they were linked}, in one query (two when case
    studies are linked and the reader is not an editor: which versions they may read)."""
    rows = list(
        SourceLink.objects.filter(block_id__in=list(block_ids)).order_by("added_at", "pk").values(*_LINK_VALUES)
    )
    # What reading_versions reads of each linked case study, once per case study.
    case_studies = {}
    for row in rows:
        if row["case_study_id"] and row["case_study_id"] not in case_studies:
            case_studies[row["case_study_id"]] = SimpleNamespace(
                pk=row["case_study_id"], status=row["case_study__status"],
                published_version=row["case_study__published_version"], created_by_id=row["case_study__created_by_id"],
            )  # fmt: skip
    reading = reading_versions(user, document.partnership, case_studies.values()) if case_studies else {}
    urls = _Urls(document)
    found: dict[int, list[Source]] = defaultdict(list)
    for row in rows:
        found[row["block_id"]].append(_source(row, urls, reading))
    return dict(found)


def attach_sources(document: Document, entries: list[outline.Entry], user) -> None:
    """Give each commitment shown on the document page its `source_list`, in one or two
    queries however many commitments the page shows."""
    shown = [child.block for entry in entries for child in entry.children]
    found = sources_by_block(document, [block.pk for block in shown], user) if shown else {}
    for block in shown:
        block.source_list = found.get(block.pk, [])


def grouped(sources: list[Source]) -> list[tuple[str, list[Source]]]:
    """(heading, sources) for each kind that has any, themes first."""
    by_kind: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        by_kind[source.kind].append(source)
    return [(KIND_HEADINGS[kind], by_kind[kind]) for kind in KIND_ORDER if by_kind[kind]]


def link_get(*, block: Block, pk) -> SourceLink:
    """A link of this block (404 for another block's, or a pk that is not a number)."""
    link = SourceLink.objects.filter(block=block, pk=pk).first() if is_id(pk) else None
    if link is None:
        raise Http404("No such link")
    link.block = block
    return link


# The picker -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    pk: int
    label: str
    context: str


@dataclass
class Candidates:
    kind: str
    items: list[Candidate]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _targets(document: Document, kind: str, *, visible: bool = True):
    """What this document may link, of one kind: the partnership's workshop themes and ideas,
    case studies (not withdrawn) and decisions, and this document's comments. `visible`: not
    hidden ideas and comments (the picker); without it, the service says why a hidden one cannot
    be linked."""
    partnership_id = document.partnership_id
    if kind == "theme":
        return Theme.objects.filter(workshop__process__partnership_id=partnership_id).select_related("workshop")
    if kind == "idea":
        ideas = Idea.objects.filter(workshop__process__partnership_id=partnership_id)
        return (ideas.filter(hidden=False) if visible else ideas).select_related("workshop", "theme")
    if kind == "case_study":
        return CaseStudy.objects.filter(partnership_id=partnership_id).exclude(status=Status.WITHDRAWN)
    if kind == "decision":
        return DecisionOutcome.objects.filter(proposal__partnership_id=partnership_id).select_related("proposal")
    if kind == "comment":
        comments = Comment.objects.filter(document=document)
        return comments.filter(hidden_at=None) if visible else comments
    raise Http404("No such kind of source")


SEARCHED = {
    "theme": ("name",), "idea": ("text",), "case_study": ("title", "anonymised_title"),
    "decision": ("proposal__title", "decision"), "comment": ("body",),
}  # fmt: skip
ORDER = {
    "theme": ("-workshop__starts_at", "position", "pk"), "idea": ("-workshop__starts_at", "created_at", "pk"),
    "case_study": ("-updated_at", "-pk"), "decision": ("-created_at", "-pk"), "comment": ("-created_at", "-pk"),
}  # fmt: skip


def _candidate(kind: str, target) -> Candidate:
    if kind == "theme":
        return Candidate(target.pk, target.name, f"From {target.workshop.title}")
    if kind == "idea":
        theme = f", theme “{target.theme.name}”" if target.theme_id else ""
        return Candidate(target.pk, _one_line(target.text), f"From {target.workshop.title}{theme}")
    if kind == "case_study":
        return Candidate(target.pk, target.title, target.get_status_display())
    if kind == "decision":
        return Candidate(target.pk, target.proposal.title, "Agreed" if target.passed else "Not agreed")
    return Candidate(target.pk, Truncator(_one_line(target.body)).chars(200), f"Comment, {_day(target.created_at)}")


def source_target_get(*, document: Document, kind: str, pk):
    """The thing to link, if this document may link it; None for anything else."""
    if kind not in SEARCHED or not is_id(pk):
        return None
    queryset = _targets(document, kind, visible=False)
    if kind in ("idea", "theme"):
        queryset = queryset.select_related("workshop__process")
    return queryset.filter(pk=pk).first()


def source_candidates(*, document: Document, block: Block, kind: str, q: str = "", limit: int = PICK_LIMIT):
    """Up to `limit` things of `kind` not yet linked to `block` whose words contain every word of
    `q` (most recent first), and how many match in all. Two queries."""
    linked = SourceLink.objects.filter(block=block, **{f"{kind}__isnull": False}).values(f"{kind}_id")
    queryset = _targets(document, kind).exclude(pk__in=linked)
    for word in search_text(q).split()[:8]:
        match = Q()
        for name in SEARCHED[kind]:
            match |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(match)
    total = queryset.count()
    items = [_candidate(kind, target) for target in queryset.order_by(*ORDER[kind])[:limit]] if total else []
    return Candidates(kind, items, total)


# Where commitments are, and where ideas, themes and case studies went --------------------------


@dataclass(frozen=True)
class Place:
    """A live commitment as other pages name it: "Commitment 2.3: We will …", and its address
    on the document page (with ?part= for a long document, which shows one key area at a time)."""

    document_title: str
    number: str
    label: str
    url: str

    @property
    def order(self) -> tuple:
        return (self.document_title, *(int(n) for n in self.number.split(".")))


_PLACE_VALUES = ("pk", "document_id", "kind", "parent_id", "position", "removed_at", "statement",
                 "document__title", "document__partnership__slug")  # fmt: skip


def commitment_places(document_ids) -> dict[int, Place]:
    """{block id: Place} for every live commitment of the documents, in one query. Blocks are read
    as plain rows (what outline.build needs), since a document may have 1,200 of them."""
    blocks: dict[int, list[SimpleNamespace]] = defaultdict(list)
    for row in Block.objects.filter(document_id__in=set(document_ids), removed_at=None).values(*_PLACE_VALUES):
        blocks[row["document_id"]].append(SimpleNamespace(**row))
    places = {}
    for document_id, found in blocks.items():
        title, slug = found[0].document__title, found[0].document__partnership__slug
        entries = outline.build(found)
        long = sum(len(entry.children) for entry in entries) > outline.LONG_DOCUMENT
        base = reverse("document_detail", args=[slug, document_id])
        for entry in entries:
            part = f"?part={entry.number}" if long else ""
            for child in entry.children:
                statement = Truncator(_one_line(child.block.statement)).chars(SHORT)
                places[child.block.pk] = Place(
                    title, child.number, f"{child.label}: {statement}", f"{base}{part}#block-{child.block.pk}"
                )
    return places


_ROW_FIELDS = ("idea_id", "theme_id", "case_study_id", "idea__theme_id")


def _linked_places(links) -> list[tuple[dict, Place]]:
    """Each link row (a dict with `block_id` and `block__document_id`) with its commitment's
    place, in document order; links to commitments no longer in the text are left out."""
    rows = list(links.filter(block__removed_at=None).values("block_id", "block__document_id", *_ROW_FIELDS))
    places = commitment_places({row["block__document_id"] for row in rows}) if rows else {}
    found = [(row, places[row["block_id"]]) for row in rows if row["block_id"] in places]
    return sorted(found, key=lambda pair: pair[1].order)


def commitment_usages(idea_ids, theme_ids) -> list[Usage]:
    """For workshops.usage: the commitments each idea and theme was linked to. Two queries."""
    links = SourceLink.objects.filter(Q(idea_id__in=set(idea_ids)) | Q(theme_id__in=set(theme_ids)))
    return [
        Usage("idea", row["idea_id"], place.label, place.url)
        if row["idea_id"]
        else Usage("theme", row["theme_id"], place.label, place.url)
        for row, place in _linked_places(links)
    ]


def commitment_supports(case_study_ids) -> list[Support]:
    """For casestudies.evidence: the commitments each case study was linked to. Two queries."""
    links = SourceLink.objects.filter(case_study_id__in=set(case_study_ids))
    return [
        Support(row["case_study_id"], "commitment", f"{place.label} ({place.document_title})", place.url)
        for row, place in _linked_places(links)
    ]


# Coverage -------------------------------------------------------------------------------------


HOWS = ("directly", "through an idea")


@dataclass
class ThemeCoverage:
    theme: Theme
    url: str
    idea_count: int
    went: list[tuple[Place, str]] = field(default_factory=list)  # (commitment, how: "directly and through an idea")


@dataclass
class Coverage:
    taken: list[ThemeCoverage]
    untaken: list[ThemeCoverage]

    @property
    def total(self) -> int:
        return len(self.taken) + len(self.untaken)


def coverage(document: Document) -> Coverage:
    """The workshop themes of the document's process, split into those a live commitment of this
    document took up (linked to the theme, or to one of its ideas) and those none did. Three
    queries."""
    themes = list(
        Theme.objects.filter(workshop__process_id=document.process_id)
        .select_related("workshop__process")
        .annotate(idea_count=Count("ideas", filter=Q(ideas__hidden=False)))
        .order_by("workshop__starts_at", "workshop_id", "position", "pk")
    )
    ids = [theme.pk for theme in themes]
    links = SourceLink.objects.filter(block__document=document).filter(Q(theme_id__in=ids) | Q(idea__theme_id__in=ids))
    went: dict[int, dict[Place, list[str]]] = defaultdict(dict)  # in document order (_linked_places)
    for row, place in _linked_places(links) if ids else []:
        theme_id, how = (row["theme_id"], HOWS[0]) if row["theme_id"] else (row["idea__theme_id"], HOWS[1])
        hows = went[theme_id].setdefault(place, [])
        if how not in hows:
            hows.append(how)
    slug = document.partnership.slug
    rows = [
        ThemeCoverage(t, _workshop_url(slug, t.workshop.process.slug, t.workshop.slug), t.idea_count, [
            (place, " and ".join(sorted(hows, key=HOWS.index))) for place, hows in went.get(t.pk, {}).items()
        ])
        for t in themes
    ]  # fmt: skip
    return Coverage(taken=[r for r in rows if r.went], untaken=[r for r in rows if not r.went])
