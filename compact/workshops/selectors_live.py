"""Reads for the live wall: the workshop for a person or a join code, the wall's ideas grouped
by prompt, and the event stream after a given id (catch-up). Queries are bounded."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.db.models import Count
from django.http import Http404

from .models import Idea, Prompt, WallEvent, Workshop
from .selectors import prompts_of

MAX_WALL_IDEAS = 3000  # far more than a day's sticky notes (the themes board shows this many)
MAX_WALL_IDS = 20000  # ids the wall reads to count ideas and know which it leaves out
WALL_SHOWN = 100  # newest ideas per prompt on the wall: the page stays quick on a phone
CARD_FIELDS = ("pk", "prompt_id", "theme_id", "text", "author_name", "organisation_name", "anonymous", "table_label",
               "after_workshop", "edited_at", "hidden_reason")  # fmt: skip
MAX_CATCH_UP = 500  # events per catch-up request; the client asks again from the last id


def attribution(idea: Idea) -> str:
    """Who said it, as shown on the wall (never the name behind an anonymous idea)."""
    if idea.table_label:
        return idea.table_label
    if idea.anonymous:
        return "Anonymous"
    name = idea.author_name or "A participant"
    return f"{name}, {idea.organisation_name}" if idea.organisation_name else name


def idea_public(idea: Idea) -> dict:
    """What every wall client may see of a visible idea (text is escaped where it is shown)."""
    return {
        "id": idea.pk,
        "prompt": idea.prompt_id,
        "text": idea.text,
        "by": attribution(idea),
        "table": bool(idea.table_label),
        "after": idea.after_workshop,
        "edited": idea.edited_at is not None,
        "merged": getattr(idea, "merged_count", 0) or 0,
    }


def workshop_by_code(code: str) -> Workshop | None:
    if not code:
        return None
    return Workshop.objects.select_related("partnership", "process").filter(join_code=code).first()


def workshop_by_id(pk: int) -> Workshop | None:
    return Workshop.objects.select_related("partnership", "process").filter(pk=pk).first()


def wall(workshop: Workshop, *, include_hidden: bool = False, prompts=None, shown: int | None = None) -> list[dict]:
    """Each prompt (all, or those given) in order with its newest `shown` visible ideas (ids grow
    as ideas come in), oldest first; how many it has in all; and the ids of the older ones, so
    wall.js can tell a new idea from an edited one it does not show. Facilitators also get the
    newest hidden ones. Merged ideas are counted on the idea they went into. At most four
    queries whatever the number of ideas: the last one reads at most `shown` ideas a list."""
    shown = WALL_SHOWN if shown is None else shown
    ideas = Idea.objects.filter(workshop=workshop, merged_into__isnull=True)
    if prompts is not None:
        ideas = ideas.filter(prompt_id__in=[p.pk for p in prompts])
    prompts = prompts_of(workshop) if prompts is None else prompts
    newest: dict[tuple[int, bool], list[int]] = {}
    for hidden in (False, True) if include_hidden else (False,):
        for pk, prompt_id in ideas.filter(hidden=hidden).order_by("-pk").values_list("pk", "prompt_id")[:MAX_WALL_IDS]:
            newest.setdefault((prompt_id, hidden), []).append(pk)
    chosen = [pk for pks in newest.values() for pk in pks[:shown]]
    found = {card.pk: card for card in as_cards(card_values(Idea.objects.filter(pk__in=chosen)))} if chosen else {}
    groups = []
    for p in prompts:
        visible, hidden = newest.get((p.pk, False), []), newest.get((p.pk, True), [])
        groups.append({
            "prompt": p, "ideas": _oldest_first(visible[:shown], found), "count": len(visible),
            "older": visible[shown:], "hidden": _oldest_first(hidden[:shown], found), "hidden_count": len(hidden),
        })  # fmt: skip
    return groups


def card_values(ideas):
    """What a wall card shows of each idea (never the embedding), with how many ideas went into it."""
    return ideas.values(*CARD_FIELDS).annotate(merged_count=Count("merged"))


def as_cards(rows) -> list[SimpleNamespace]:
    """card_values() rows as records with who said each idea: plain records, because making
    model instances took a third of the time of a page showing hundreds of ideas."""
    found = [SimpleNamespace(**row) for row in rows]
    for card in found:
        card.by = attribution(card)
    return found


def _oldest_first(pks: list[int], ideas: dict) -> list[SimpleNamespace]:
    return [ideas[pk] for pk in reversed(pks) if pk in ideas]


def prompt_ideas(workshop: Workshop, prompt: Prompt, *, hidden: bool = False):
    """One prompt's visible (or hidden) ideas as card_values(), oldest first (as on the wall: by
    id), for its own paged page."""
    ideas = Idea.objects.filter(workshop=workshop, prompt=prompt, hidden=hidden, merged_into__isnull=True)
    return card_values(ideas).order_by("pk")


def idea_get(*, workshop: Workshop, pk) -> Idea:
    idea = Idea.objects.select_related("prompt").filter(workshop=workshop, pk=pk).first()
    if idea is None:
        raise Http404("No such idea")
    return idea


def merge_targets(idea: Idea, limit: int = 100) -> list[Idea]:
    """Visible ideas of the same prompt an idea can be merged into: those sharing the most words
    with it first, then the newest, so a duplicate is near the top of a prompt of any size."""
    ideas = list(
        Idea.objects.filter(prompt_id=idea.prompt_id, hidden=False, merged_into__isnull=True)
        .exclude(pk=idea.pk)
        .only("pk", "text", "workshop_id", "prompt_id", "hidden", "merged_into_id")
        .order_by("-created_at", "-pk")[:MAX_WALL_IDS]
    )
    words = _words(idea.text)
    ideas.sort(key=lambda other: -len(words & _words(other.text)))  # stable: the newest first among equals
    return ideas[:limit]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w{3,}", text.lower()))


def events_since(*, workshop_id: int, since: int, organiser: bool, limit: int = MAX_CATCH_UP) -> list[WallEvent]:
    """Every event after `since` this person may see, in order (at most `limit`)."""
    events = WallEvent.objects.filter(workshop_id=workshop_id, pk__gt=max(int(since or 0), 0))
    if not organiser:
        events = events.filter(facilitators_only=False)
    return list(events.order_by("pk")[:limit])


def event_get(*, workshop_id: int, pk: int) -> WallEvent | None:
    return WallEvent.objects.filter(workshop_id=workshop_id, pk=pk).first()


def last_event_id(workshop: Workshop) -> int:
    last = WallEvent.objects.filter(workshop=workshop).order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def my_ideas(workshop: Workshop, participant, limit: int = 50) -> list[Idea]:
    """The person's own latest ideas (their confirmation that the server has them)."""
    if participant is None:
        return []
    return list(
        Idea.objects.filter(workshop=workshop, participant=participant).select_related("prompt").order_by("-pk")[:limit]
    )


def participant_of_user(workshop: Workshop, user):
    """The signed-in person's row on this wall, or None before their first idea."""
    from .models import Participant

    return Participant.objects.filter(workshop=workshop, user=user).first()
