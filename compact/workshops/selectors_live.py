"""Reads for the live wall: the workshop for a person or a join code, the wall's ideas grouped
by prompt, and the event stream after a given id (catch-up). Queries are bounded."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from .models import Idea, Prompt, WallEvent, Workshop

MAX_WALL_IDEAS = 3000  # far more than a day's sticky notes; the page stays one screenful per prompt
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


def prompts_of(workshop: Workshop) -> list[Prompt]:
    return list(workshop.prompts.all())


def wall(workshop: Workshop, *, include_hidden: bool = False) -> list[dict]:
    """Prompts in order, each with its visible ideas (oldest first) and, for facilitators, its
    hidden ones. Merged ideas are counted on the idea they went into. Two queries."""
    prompts = prompts_of(workshop)
    ideas = (
        Idea.objects.filter(workshop=workshop, merged_into__isnull=True)
        .filter(Q() if include_hidden else Q(hidden=False))
        .annotate(merged_count=Count("merged"))
        .order_by("created_at", "pk")[:MAX_WALL_IDEAS]
    )
    by_prompt: dict[int, list[Idea]] = {p.pk: [] for p in prompts}
    hidden: dict[int, list[Idea]] = {p.pk: [] for p in prompts}
    for idea in ideas:
        idea.by = attribution(idea)
        (hidden if idea.hidden else by_prompt).setdefault(idea.prompt_id, []).append(idea)
    return [{"prompt": p, "ideas": by_prompt[p.pk], "hidden": hidden[p.pk]} for p in prompts]


def idea_get(*, workshop: Workshop, pk) -> Idea:
    idea = Idea.objects.select_related("prompt").filter(workshop=workshop, pk=pk).first()
    if idea is None:
        raise Http404("No such idea")
    return idea


def merge_targets(idea: Idea, limit: int = 200) -> list[Idea]:
    """Visible ideas of the same prompt an idea can be merged into."""
    return list(
        Idea.objects.filter(prompt_id=idea.prompt_id, hidden=False, merged_into__isnull=True)
        .exclude(pk=idea.pk)
        .order_by("created_at", "pk")[:limit]
    )


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
