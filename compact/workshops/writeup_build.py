"""The write-up's generated content as plain data, shared by the web page, the CSV and the DOCX.

- Attendance: how many people registered (confirmed places) and took part, and the
  organisations they came from, counted by kind and by borough. Access needs are never read.
- Ideas by theme, with their dots once results may be shown: hidden ideas are left out, ideas
  merged into another are counted on it, ideas without a theme are in "Other ideas", ideas sent
  after the session are marked.
- The facilitator's words (WriteUp.summary, facilitator_notes, theme_notes) as written: each
  output escapes or sanitises them (Markdown on the web page, plain text in the DOCX).

Bounded: a handful of queries whatever the size of the wall."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format

from .models import Idea, Participant, Registration, Theme, VoteTarget, Workshop, WriteUp
from .services import voting
from .usage import usages_for

OTHER_IDEAS = "Other ideas"
NOT_IN_DIRECTORY = "Not in the directory"
NO_BOROUGH = "Not given"
MAX_IDEAS = 5000


@dataclass(frozen=True)
class IdeaRow:
    id: int
    prompt: str
    theme: str
    text: str
    source: str  # organisation, "Anonymous" or the table's label
    votes: int | None  # None when dots are not shown (or themes were voted on)
    after_workshop: bool
    merged: int = 0
    used_in: tuple = ()  # usage.Usage items: where the drafting app used this idea


@dataclass
class ThemeGroup:
    id: int | None  # None for "Other ideas"
    name: str
    note: str
    votes: int | None  # when themes were voted on and results may be shown
    ideas: list[IdeaRow] = field(default_factory=list)
    used_in: tuple = ()


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    kind: str
    borough: str


@dataclass
class Attendance:
    registered: int
    took_part: int
    organisations: list[OrganisationRow]
    by_kind: list[tuple[str, int]]
    by_borough: list[tuple[str, int]]


@dataclass
class WriteUpContent:
    title: str
    partnership: str
    date: str
    summary: str
    facilitator_notes: str
    attendance: Attendance
    groups: list[ThemeGroup]
    show_votes: bool
    vote_target: str
    published: bool

    @property
    def ideas(self) -> list[IdeaRow]:
        return [idea for group in self.groups for idea in group.ideas]


def source(idea: Idea) -> str:
    """Where an idea came from, for the write-up: never the person behind an anonymous one."""
    if idea.table_label:
        return idea.table_label
    if idea.anonymous:
        return "Anonymous"
    return idea.organisation_name or "a participant (no organisation given)"


def write_up_of(workshop: Workshop) -> WriteUp:
    """The saved write-up, or an empty unsaved one (reading never writes)."""
    return WriteUp.objects.filter(workshop=workshop).first() or WriteUp(workshop=workshop)


def attendance(workshop: Workshop) -> Attendance:
    """Organisations from confirmed registrations and from the wall's participants. Reads only
    the columns it needs: never access needs. Two queries."""
    seen: dict[str, OrganisationRow] = {}

    def add(org_id, org_name, org_kind_label, free_name, borough):
        if org_id:
            key, row = f"id:{org_id}", OrganisationRow(org_name, org_kind_label, borough or NO_BOROUGH)
        elif free_name.strip():
            name = " ".join(free_name.split())
            key, row = f"name:{name.casefold()}", OrganisationRow(name, NOT_IN_DIRECTORY, borough or NO_BOROUGH)
        else:
            return
        if key not in seen or (seen[key].borough == NO_BOROUGH and borough):
            seen[key] = row

    registrations = list(
        Registration.objects.filter(workshop=workshop, status=Registration.Status.CONFIRMED)
        .select_related("organisation", "borough")
        .only("pk", "user_id", "organisation__name", "organisation__kind", "organisation_name", "borough__name")
    )
    for r in registrations:
        org = r.organisation
        add(org and org.pk, org and org.name, org and org.get_kind_display(), r.organisation_name,
            r.borough.name if r.borough_id else "")  # fmt: skip
    participants = list(
        Participant.objects.filter(workshop=workshop)
        .select_related("organisation", "registration__borough")
        .only(
            "pk",
            "user_id",
            "organisation__name",
            "organisation__kind",
            "organisation_name",
            "registration__borough__name",
        )  # fmt: skip
    )
    for p in participants:
        org = p.organisation
        borough = p.registration.borough.name if p.registration_id and p.registration.borough_id else ""
        add(org and org.pk, org and org.name, org and org.get_kind_display(), p.organisation_name, borough)
    people = {("user", r.user_id) if r.user_id else ("registration", r.pk) for r in registrations}
    organisations = sorted(seen.values(), key=lambda o: (o.name.casefold(), o.name))
    kinds = Counter(o.kind for o in organisations)
    boroughs = Counter(o.borough for o in organisations)
    return Attendance(
        registered=len(people),
        took_part=len(participants),
        organisations=organisations,
        by_kind=sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        by_borough=sorted(boroughs.items(), key=lambda kv: (kv[0] == NO_BOROUGH, -kv[1], kv[0])),
    )


def build(workshop: Workshop, *, show_votes: bool, write_up: WriteUp | None = None) -> WriteUpContent:
    """Everything the write-up shows. `show_votes`: the caller checked `workshops.view_results`."""
    write_up = write_up or write_up_of(workshop)
    themes = list(Theme.objects.filter(workshop=workshop).order_by("position", "pk"))
    ideas = list(
        Idea.objects.filter(workshop=workshop, hidden=False, merged_into__isnull=True)
        .select_related("prompt")
        .annotate(merged_count=Count("merged"))
        .order_by("prompt__position", "created_at", "pk")[:MAX_IDEAS]
    )
    counts = voting.tally(workshop) if show_votes else {}
    on_ideas = workshop.vote_target == VoteTarget.IDEAS
    notes = write_up.theme_notes if isinstance(write_up.theme_notes, dict) else {}
    groups = {
        t.pk: ThemeGroup(t.pk, t.name, str(notes.get(str(t.pk), "") or ""),
                         counts.get(t.pk, 0) if show_votes and not on_ideas else None)
        for t in themes
    }  # fmt: skip
    used = usages_for(idea_ids=[i.pk for i in ideas], theme_ids=list(groups))
    for pk, group in groups.items():
        group.used_in = tuple(used.get(("theme", pk), ()))
    other = ThemeGroup(None, OTHER_IDEAS, "", None)
    for idea in ideas:
        group = groups.get(idea.theme_id, other)
        group.ideas.append(
            IdeaRow(
                id=idea.pk, prompt=idea.prompt.text, theme=group.name if group is not other else "",
                text=idea.text, source=source(idea),
                votes=counts.get(idea.pk, 0) if show_votes and on_ideas else None,
                after_workshop=idea.after_workshop, merged=idea.merged_count,
                used_in=tuple(used.get(("idea", idea.pk), ())),
            )
        )  # fmt: skip
    ordered = list(groups.values()) + ([other] if other.ideas else [])
    if show_votes and on_ideas:
        for group in ordered:
            group.ideas.sort(key=lambda i: -(i.votes or 0))  # stable: wall order among equals
    elif show_votes:
        ordered = sorted(groups.values(), key=lambda g: -(g.votes or 0)) + ([other] if other.ideas else [])
    return WriteUpContent(
        title=workshop.title,
        partnership=workshop.partnership.name,
        date=date_format(timezone.localtime(workshop.starts_at), "j F Y") if workshop.starts_at else "",
        summary=write_up.summary,
        facilitator_notes=write_up.facilitator_notes,
        attendance=attendance(workshop),
        groups=ordered,
        show_votes=show_votes,
        vote_target=workshop.vote_target,
        published=write_up.published_at is not None,
    )
