"""Reads for theming: the board (themes with their ideas, the ideas not in a theme yet, and the
themes each idea may move to), a suggestion run with its suggestions, and the wall grouped by
theme. Every read is a fixed number of queries, whatever the number of ideas."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from .models import Idea, Prompt, SuggestedTheme, SuggestionRun, Theme, Workshop
from .selectors_live import MAX_WALL_IDEAS, attribution

IDEA_FIELDS = ("pk", "prompt_id", "theme_id", "themed_by_suggestion", "text", "author_name", "organisation_name",
               "anonymous", "table_label", "after_workshop", "created_at", "hidden", "merged_into_id")  # fmt: skip


def themes_of(workshop: Workshop) -> list[Theme]:
    return list(Theme.objects.filter(workshop=workshop).order_by("position", "pk"))


def theme_get(*, workshop: Workshop, pk) -> Theme:
    theme = (
        Theme.objects.filter(workshop=workshop, pk=pk)
        .select_related("prompt", "workshop__partnership")
        .annotate(idea_count=Count("ideas", filter=Q(ideas__hidden=False, ideas__merged_into__isnull=True)))
        .first()
    )
    if theme is None:
        raise Http404("No such theme")
    return theme


def theme_for_move(*, workshop: Workshop, pk) -> Theme | None:
    """The theme an idea is being moved to (None for "not in a theme"); None also when it is gone."""
    if pk in (None, ""):
        return None
    try:
        return Theme.objects.filter(workshop=workshop, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def idea_for_theming(*, workshop: Workshop, pk) -> Idea:
    idea = Idea.objects.filter(workshop=workshop, pk=pk).select_related("workshop__partnership").defer("embedding")
    idea = idea.first()
    if idea is None:
        raise Http404("No such idea")
    return idea


def choices_for(prompts: list[Prompt], themes: list[Theme]) -> dict[int, list[Theme]]:
    """For each prompt, the themes its ideas may go into: its own, and the workshop-wide ones."""
    return {p.pk: [t for t in themes if t.prompt_id in (None, p.pk)] for p in prompts}


def board(workshop: Workshop) -> dict:
    """Themes in order, each with its visible ideas; the rest grouped by prompt. Three queries."""
    prompts = list(workshop.prompts.all())
    themes = themes_of(workshop)
    by_pk = {p.pk: p for p in prompts}
    choices = choices_for(prompts, themes)
    ideas = (
        Idea.objects.filter(workshop=workshop, hidden=False, merged_into__isnull=True)
        .only(*IDEA_FIELDS)
        .order_by("created_at", "pk")[:MAX_WALL_IDEAS]
    )
    in_theme: dict[int, list[Idea]] = {t.pk: [] for t in themes}
    loose: dict[int, list[Idea]] = {p.pk: [] for p in prompts}
    for idea in ideas:
        idea.by = attribution(idea)
        idea.prompt_text = by_pk[idea.prompt_id].text if idea.prompt_id in by_pk else ""
        idea.choices = choices.get(idea.prompt_id, [])
        target = in_theme[idea.theme_id] if idea.theme_id in in_theme else loose.setdefault(idea.prompt_id, [])
        target.append(idea)
    return {
        "prompts": prompts,
        "themes": [{"theme": t, "ideas": in_theme[t.pk], "prompt": by_pk.get(t.prompt_id)} for t in themes],
        "loose": [{"prompt": p, "ideas": loose[p.pk]} for p in prompts],
        "loose_count": sum(len(v) for v in loose.values()),
    }


def group_wall_by_theme(groups: list[dict], themes: list[Theme]) -> list[dict]:
    """Add each prompt's ideas grouped by theme to the live wall's groups (selectors_live.wall):
    group["themes"] lists the themes holding some of its ideas, group["unthemed"] the rest."""
    for group in groups:
        ideas = group["ideas"]
        if not themes:
            group["themes"], group["unthemed"] = [], ideas
            continue
        known = {t.pk for t in themes}
        held: dict[int, list[Idea]] = {}
        unthemed = []
        for idea in ideas:
            (held.setdefault(idea.theme_id, []) if idea.theme_id in known else unthemed).append(idea)
        group["themes"] = [{"theme": t, "ideas": held[t.pk]} for t in themes if t.pk in held]
        group["unthemed"] = unthemed
    return groups


def latest_run(workshop: Workshop) -> SuggestionRun | None:
    return SuggestionRun.objects.filter(workshop=workshop).select_related("prompt").order_by("-pk").first()


def run_get(*, workshop: Workshop, pk) -> SuggestionRun:
    run = SuggestionRun.objects.filter(workshop=workshop, pk=pk).select_related("prompt").first()
    if run is None:
        raise Http404("No such set of suggestions")
    return run


def suggestion_get(*, run: SuggestionRun, pk) -> SuggestedTheme | None:
    try:
        return SuggestedTheme.objects.filter(run=run, pk=int(pk)).select_related("run__workshop").first()
    except (TypeError, ValueError):
        return None


def run_review(run: SuggestionRun) -> dict:
    """The run's suggestions with their ideas (and the theme each idea is in now). Two queries."""
    ideas = Idea.objects.select_related("theme").only(*IDEA_FIELDS, "theme__name").order_by("created_at", "pk")
    suggestions = list(
        run.suggestions.select_related("theme")
        .order_by("pk")
        .prefetch_related(Prefetch("ideas", queryset=ideas, to_attr="members"))
    )
    pending, decided = [], []
    for s in suggestions:
        for idea in s.members:
            idea.by = attribution(idea)
            idea.gone = idea.hidden or idea.merged_into_id is not None
        if s.status == SuggestedTheme.Status.PENDING:
            s.placed = [i for i in s.members if i.theme_id is not None and not i.gone]
            s.free = [i for i in s.members if i.theme_id is None and not i.gone]
            s.others = [o for o in suggestions if o.pk != s.pk and o.status == SuggestedTheme.Status.PENDING]
            pending.append(s)
        else:
            s.put_in = sum(1 for i in s.members if s.theme_id is not None and i.theme_id == s.theme_id)
            decided.append(s)
    return {"pending": pending, "decided": decided}
