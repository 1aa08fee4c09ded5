"""Themes: facilitators group the wall's ideas by hand (create, rename, reorder, delete a theme;
move an idea into or out of one) and ask for suggestions (compact.theming clusters the visible
ideas of a prompt or of the whole workshop). Suggestions never overwrite manual work: accepting
one themes only ideas that have no theme yet. Every change is audited and sent to the wall."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from compact import theming
from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.core.validators import no_control_characters

from ..models import Idea, Prompt, SuggestedTheme, SuggestionRun, Theme, Workshop
from .events import wall_event

FACILITATE = "workshops.facilitate"
REFUSED = "Only a convenor or facilitator can group ideas into themes, once the workshop has started."
MAX_NAME = Theme._meta.get_field("name").max_length
MAX_LABEL = SuggestedTheme._meta.get_field("label").max_length
MAX_THEMES = 100  # per workshop: more is no longer a summary
MIN_IDEAS = 3  # fewer ideas than this have nothing to group
MAX_SUGGESTED = 30  # compact.theming's own ceiling on k
WORD_OVERLAP_NOTE = "Suggestions use word overlap only because the language model is not installed"


def theme_public(theme: Theme) -> dict:
    return {"id": theme.pk, "name": theme.name, "prompt": theme.prompt_id, "position": theme.position,
            "suggested": theme.suggested}  # fmt: skip


def _audit(actor, action: str, obj, workshop: Workshop, changes: dict | None = None) -> None:
    audit_record(actor=actor, action=action, obj=obj, partnership_id=workshop.partnership_id, changes=changes)


def _clean_name(name, *, field: str = "name", max_length: int = MAX_NAME) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({field: "Enter a name for the theme"})
    try:
        no_control_characters(name)  # PostgreSQL refuses NUL; nobody means to type the others
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if len(name) > max_length:
        raise ValidationError({field: f"The name must be {max_length} characters or fewer"})
    return name


def _check_unique(workshop: Workshop, name: str, prompt_id, *, exclude=None, field: str = "name") -> None:
    same = Theme.objects.filter(workshop=workshop, prompt_id=prompt_id, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({field: f"There is already a theme called “{name}” here"})


def _new_theme(*, workshop: Workshop, actor, name: str, prompt: Prompt | None, suggested: bool, field="name") -> Theme:
    if prompt is not None and prompt.workshop_id != workshop.pk:
        raise ValidationError({"prompt": "Choose a question from this workshop"})
    if Theme.objects.filter(workshop=workshop).count() >= MAX_THEMES:
        raise ValidationError({field: f"A workshop can have at most {MAX_THEMES} themes"})
    _check_unique(workshop, name, getattr(prompt, "pk", None), field=field)
    last = Theme.objects.filter(workshop=workshop).aggregate(m=Max("position"))["m"]
    return Theme.objects.create(
        workshop=workshop, prompt=prompt, name=name, position=0 if last is None else last + 1, suggested=suggested,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip


# Manual theming ---------------------------------------------------------------------------------


@transaction.atomic
def theme_create(*, workshop: Workshop, actor, name: str, prompt: Prompt | None = None) -> Theme:
    """A new, empty theme at the end of the list: for one prompt, or workshop-wide (prompt None)."""
    require_perm(actor, FACILITATE, workshop, REFUSED)
    theme = _new_theme(workshop=workshop, actor=actor, name=_clean_name(name), prompt=prompt, suggested=False)
    _audit(actor, "workshop.create_theme", theme, workshop, {"name": theme.name, "prompt": theme.prompt_id})
    wall_event(workshop, "theme", theme_public(theme))
    return theme


@transaction.atomic
def theme_rename(*, theme: Theme, actor, name: str) -> Theme:
    workshop = theme.workshop
    require_perm(actor, FACILITATE, workshop, REFUSED)
    name = _clean_name(name)
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if name == theme.name:
        return theme
    _check_unique(workshop, name, theme.prompt_id, exclude=theme)
    before, theme.name = theme.name, name
    theme.save(update_fields=["name", "updated_at"])
    _audit(actor, "workshop.rename_theme", theme, workshop, {"name": [before, name]})
    wall_event(workshop, "theme", theme_public(theme))
    return theme


@transaction.atomic
def theme_move(*, theme: Theme, actor, to: int) -> list[int]:
    """Put the theme at place `to` (0 is first) among the workshop's themes; returns the new order."""
    workshop = theme.workshop
    require_perm(actor, FACILITATE, workshop, REFUSED)
    themes = list(Theme.objects.select_for_update().filter(workshop=workshop).order_by("position", "pk"))
    current = next((t for t in themes if t.pk == theme.pk), None)
    if current is None:
        raise ValidationError({"theme": "That theme has been deleted"})
    try:
        to = int(to)
    except (TypeError, ValueError):
        raise ValidationError({"to": "Choose where to move the theme"}) from None
    before = [t.pk for t in themes]
    themes.remove(current)
    themes.insert(max(0, min(to, len(themes))), current)
    changed = [t for i, t in enumerate(themes) if t.position != i]
    for i, t in enumerate(themes):
        t.position = i
    order = [t.pk for t in themes]
    if changed:
        Theme.objects.bulk_update(changed, ["position"])
    if order != before:
        _audit(actor, "workshop.move_theme", current, workshop, {"order": [before, order]})
        wall_event(workshop, "themes_order", {"ids": order})
    return order


@transaction.atomic
def theme_delete(*, theme: Theme, actor) -> list[int]:
    """Delete a theme. Its ideas stay on the wall, not in any theme. Returns their ids."""
    workshop = theme.workshop
    require_perm(actor, FACILITATE, workshop, REFUSED)
    theme = Theme.objects.select_for_update().filter(pk=theme.pk).first()
    if theme is None:
        return []
    if theme.dot_votes.exists():
        raise ValidationError({"theme": "People have put dots on this theme, so it cannot be deleted"})
    ideas = list(Idea.objects.filter(theme=theme).order_by("pk").values_list("pk", flat=True))
    Idea.objects.filter(pk__in=ideas).update(theme=None, themed_by_suggestion=False)
    _audit(actor, "workshop.delete_theme", theme, workshop, {"name": theme.name, "ideas": ideas})
    pk = theme.pk
    theme.delete()
    wall_event(workshop, "theme_removed", {"id": pk, "ideas": ideas})
    return ideas


@transaction.atomic
def idea_move_to_theme(*, idea: Idea, actor, theme: Theme | None) -> Idea:
    """Put an idea in a theme (its prompt's or a workshop-wide one), or take it out (theme None).
    A placement by hand is never undone by a suggestion."""
    workshop = idea.workshop
    require_perm(actor, FACILITATE, workshop, REFUSED)
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.merged_into_id is not None or idea.hidden:
        raise ValidationError({"idea": "This idea is not on the wall (it was hidden or merged)"})
    if theme is not None:
        if theme.workshop_id != idea.workshop_id:
            raise ValidationError({"theme": "Choose a theme from this workshop"})
        if theme.prompt_id is not None and theme.prompt_id != idea.prompt_id:
            raise ValidationError({"theme": "Choose a theme for this idea's question or for the whole workshop"})
        if not Theme.objects.filter(pk=theme.pk).exists():
            raise ValidationError({"theme": "That theme has been deleted"})
    new = getattr(theme, "pk", None)
    if idea.theme_id == new and not idea.themed_by_suggestion:
        return idea
    before = idea.theme_id
    idea.theme_id, idea.themed_by_suggestion = new, False
    idea.save(update_fields=["theme", "themed_by_suggestion"])
    _audit(actor, "workshop.theme_idea", idea, workshop, {"theme": [before, new]})
    wall_event(workshop, "idea_theme", {"ids": [idea.pk], "theme": new})
    return idea


# Suggestions ------------------------------------------------------------------------------------


def visible_ideas(workshop: Workshop, prompt: Prompt | None = None):
    ideas = Idea.objects.filter(workshop=workshop, hidden=False, merged_into__isnull=True)
    return ideas.filter(prompt=prompt) if prompt is not None else ideas


def _vectors(ideas: list[Idea]):
    """Stored vectors for every idea, embedding the missing ones now (and storing them); None
    when that cannot be done: the whole run then uses word overlap."""
    model = theming.model_name()
    missing = [i for i in ideas if not i.embedding or i.embedding_model != model]
    if missing:
        if not theming.embedding_backend().is_semantic:
            return None
        try:
            fresh = theming.embed([i.text for i in missing])
        except theming.EmbeddingUnavailable:
            return None
        for idea, vector in zip(missing, fresh, strict=True):
            idea.embedding, idea.embedding_model = theming.pack_vector(vector), model
        Idea.objects.bulk_update(missing, ["embedding", "embedding_model"], batch_size=500)
    return theming.unpack_vectors([i.embedding for i in ideas])


def _suggest(texts: list[str], vectors, k: int | None) -> list[theming.Theme]:
    if vectors is not None:
        return theming.suggest_themes(texts, vectors, k=k)
    # Word overlap, even where the model is installed but could not embed: give the library the
    # fallback's vectors and its narrower range of k (as suggest_themes does without a model).
    k_max = None if k is not None else max(2, math.isqrt(len(texts)))
    return theming.suggest_themes(texts, theming.lsa_vectors(texts), k=k, k_max=k_max)


def _terms(pairs) -> list[list]:
    return [[str(t), round(float(w), 4)] for t, w in pairs]


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


@transaction.atomic
def suggestion_run(*, workshop: Workshop, actor, prompt: Prompt | None = None, k: int | None = None) -> SuggestionRun:
    """Group the visible ideas of `prompt` (or of the whole workshop) into suggested themes.
    `k` asks for that many ("more themes" / "fewer themes"); otherwise the library chooses."""
    require_perm(actor, FACILITATE, workshop, REFUSED)
    if prompt is not None and prompt.workshop_id != workshop.pk:
        raise ValidationError({"prompt": "Choose a question from this workshop"})
    ideas = list(
        visible_ideas(workshop, prompt).only("pk", "text", "embedding", "embedding_model").order_by("created_at", "pk")
    )
    if len(ideas) < MIN_IDEAS:
        raise ValidationError({"prompt": f"There must be at least {MIN_IDEAS} ideas on the wall to suggest themes"})
    if k is not None:
        try:
            k = int(k)
        except (TypeError, ValueError):
            raise ValidationError({"k": "Enter a number of themes"}) from None
        if not 1 <= k <= min(MAX_SUGGESTED, len(ideas)):
            raise ValidationError({"k": f"Ask for between 1 and {min(MAX_SUGGESTED, len(ideas))} themes"})
    vectors = _vectors(ideas)
    found = _suggest([i.text for i in ideas], vectors, k)
    run = SuggestionRun.objects.create(
        workshop=workshop, prompt=prompt, k=len(found), semantic=vectors is not None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    suggestions = SuggestedTheme.objects.bulk_create(
        [SuggestedTheme(run=run, label=_label(t.label), terms=_terms(t.terms)) for t in found]
    )
    through = SuggestedTheme.ideas.through
    through.objects.bulk_create(
        [
            through(suggestedtheme_id=s.pk, idea_id=ideas[m].pk)
            for s, t in zip(suggestions, found, strict=True)
            for m in t.members
        ]
    )
    _audit(actor, "workshop.suggest_themes", workshop, workshop,
           {"run": run.pk, "prompt": getattr(prompt, "pk", None), "k": run.k, "asked": k, "semantic": run.semantic,
            "ideas": len(ideas)})  # fmt: skip
    return run


def _pending(suggestion: SuggestedTheme, actor) -> SuggestedTheme:
    """The suggestion, locked and still waiting for a decision (checked for the actor's rights)."""
    workshop = suggestion.run.workshop
    require_perm(actor, FACILITATE, workshop, REFUSED)
    locked = SuggestedTheme.objects.select_for_update().select_related("run__workshop").filter(pk=suggestion.pk).first()
    if locked is None:
        raise ValidationError({"suggestion": "That suggestion has been merged into another one"})
    if locked.status != SuggestedTheme.Status.PENDING:
        raise ValidationError({"suggestion": f"That suggestion has already been {locked.get_status_display().lower()}"})
    return locked


@transaction.atomic
def suggestion_accept(*, suggestion: SuggestedTheme, actor, name: str | None = None) -> tuple[Theme, int]:
    """Make the suggestion a theme (suggested=True) and put in it only its ideas that have no
    theme yet. Returns the theme and how many of its ideas were left where they were."""
    suggestion = _pending(suggestion, actor)
    run, workshop = suggestion.run, suggestion.run.workshop
    name = _clean_name(suggestion.label if name is None or not str(name).strip() else name)
    theme = _new_theme(workshop=workshop, actor=actor, name=name, prompt=run.prompt, suggested=True)
    ids = list(suggestion.ideas.order_by("pk").values_list("pk", flat=True))
    free = list(
        Idea.objects.select_for_update()
        .filter(pk__in=ids, theme__isnull=True, hidden=False, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Idea.objects.filter(pk__in=free).update(theme=theme, themed_by_suggestion=True)
    suggestion.status, suggestion.theme = SuggestedTheme.Status.ACCEPTED, theme
    suggestion.save(update_fields=["status", "theme"])
    left = len(ids) - len(free)
    _audit(actor, "workshop.accept_suggestion", theme, workshop,
           {"suggestion": suggestion.pk, "run": run.pk, "name": theme.name, "ideas": free, "left": left})  # fmt: skip
    wall_event(workshop, "theme", theme_public(theme))
    if free:
        wall_event(workshop, "idea_theme", {"ids": free, "theme": theme.pk})
    return theme, left


@transaction.atomic
def suggestion_rename(*, suggestion: SuggestedTheme, actor, label: str) -> SuggestedTheme:
    suggestion = _pending(suggestion, actor)
    label = _clean_name(label, field="label", max_length=MAX_LABEL)
    before, suggestion.label = suggestion.label, label
    suggestion.save(update_fields=["label"])
    _audit(actor, "workshop.rename_suggestion", suggestion, suggestion.run.workshop, {"label": [before, label]})
    return suggestion


@transaction.atomic
def suggestion_merge(*, suggestion: SuggestedTheme, other: SuggestedTheme, actor) -> SuggestedTheme:
    """Put `other`'s ideas into `suggestion` and remove `other` (both from the same run)."""
    if other.pk == suggestion.pk:
        raise ValidationError({"other": "Choose a different suggestion to merge with"})
    first, second = sorted([suggestion, other], key=lambda s: s.pk)  # lock in id order
    locked = {s.pk: s for s in (_pending(first, actor), _pending(second, actor))}
    suggestion, other = locked[suggestion.pk], locked[other.pk]
    if other.run_id != suggestion.run_id:
        raise ValidationError({"other": "Choose a suggestion from the same set"})
    moved = list(other.ideas.values_list("pk", flat=True))
    suggestion.ideas.add(*moved)
    weights: dict[str, float] = {}
    for term, weight in [*suggestion.terms, *other.terms]:
        weights[term] = max(weights.get(term, 0.0), float(weight))
    suggestion.terms = [[t, w] for t, w in sorted(weights.items(), key=lambda p: (-p[1], p[0]))[:10]]
    suggestion.save(update_fields=["terms"])
    _audit(actor, "workshop.merge_suggestions", suggestion, suggestion.run.workshop,
           {"merged": other.pk, "merged_label": other.label, "ideas": sorted(moved)})  # fmt: skip
    other.delete()
    return suggestion


@transaction.atomic
def suggestion_split(*, suggestion: SuggestedTheme, actor, ideas: Iterable, label: str = "") -> SuggestedTheme:
    """Move the chosen ideas of a suggestion into a new suggestion of the same run."""
    suggestion = _pending(suggestion, actor)
    members = {i.pk: i for i in suggestion.ideas.only("pk", "text")}
    try:
        chosen = {int(getattr(i, "pk", i)) for i in ideas}
    except (TypeError, ValueError):
        raise ValidationError({"ideas": "Choose ideas from this suggestion"}) from None
    if not chosen:
        raise ValidationError({"ideas": "Choose the ideas to move into a new suggestion"})
    if not chosen <= members.keys():
        raise ValidationError({"ideas": "Choose ideas from this suggestion"})
    if chosen == members.keys():
        raise ValidationError({"ideas": "Leave at least one idea in this suggestion"})
    order = sorted(members)
    terms = theming.top_terms([members[pk].text for pk in order], [int(pk in chosen) for pk in order], 2)
    label = " ".join(str(label or "").split())
    if label:
        label = _clean_name(label, field="label", max_length=MAX_LABEL)
    else:
        label = _label(theming.label_from_terms(terms[1]) or members[min(chosen)].text)
    new = SuggestedTheme.objects.create(run_id=suggestion.run_id, label=label, terms=_terms(terms[1]))
    suggestion.ideas.remove(*chosen)
    new.ideas.add(*chosen)
    suggestion.terms = _terms(terms[0])
    suggestion.save(update_fields=["terms"])
    _audit(actor, "workshop.split_suggestion", suggestion, suggestion.run.workshop,
           {"into": new.pk, "label": label, "ideas": sorted(chosen)})  # fmt: skip
    return new


@transaction.atomic
def suggestion_discard(*, suggestion: SuggestedTheme, actor) -> SuggestedTheme:
    suggestion = _pending(suggestion, actor)
    suggestion.status = SuggestedTheme.Status.DISCARDED
    suggestion.save(update_fields=["status"])
    _audit(actor, "workshop.discard_suggestion", suggestion, suggestion.run.workshop, {"label": suggestion.label})
    return suggestion
