"""Suggested themes: compact.theming groups the visible ideas of a prompt (or of the whole
workshop) into suggestions, which the facilitator accepts, renames, merges, splits or discards.
Suggestions never overwrite manual work: accepting one themes only ideas that have no theme yet."""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from compact import theming
from compact.core.services import require_perm

from ..models import Idea, Prompt, SuggestedTheme, SuggestionRun, Theme, Workshop
from .events import wall_event
from .themes import FACILITATE, REFUSED, audit, clean_name, new_theme, theme_public

MAX_LABEL = SuggestedTheme._meta.get_field("label").max_length
MIN_IDEAS = 3  # fewer ideas than this have nothing to group
MAX_SUGGESTED = 30  # compact.theming's own ceiling on k
WORD_OVERLAP_NOTE = "Suggestions use word overlap only because the language model is not installed"
LANGUAGE_MODEL_NOTE = "Suggestions use a language model that groups ideas with similar meaning"


def method_note(run: SuggestionRun) -> str:
    """How a run's suggestions were made: facilitators should know what to trust them for."""
    return LANGUAGE_MODEL_NOTE if run.semantic else WORD_OVERLAP_NOTE


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
    audit(actor, "workshop.suggest_themes", workshop, workshop,
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
    name = clean_name(suggestion.label if name is None or not str(name).strip() else name)
    theme = new_theme(workshop=workshop, actor=actor, name=name, prompt=run.prompt, suggested=True)
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
    audit(actor, "workshop.accept_suggestion", theme, workshop,
           {"suggestion": suggestion.pk, "run": run.pk, "name": theme.name, "ideas": free, "left": left})  # fmt: skip
    wall_event(workshop, "theme", theme_public(theme))
    if free:
        wall_event(workshop, "idea_theme", {"ids": free, "theme": theme.pk})
    return theme, left


@transaction.atomic
def suggestion_rename(*, suggestion: SuggestedTheme, actor, label: str) -> SuggestedTheme:
    suggestion = _pending(suggestion, actor)
    label = clean_name(label, field="label", max_length=MAX_LABEL)
    before, suggestion.label = suggestion.label, label
    suggestion.save(update_fields=["label"])
    audit(actor, "workshop.rename_suggestion", suggestion, suggestion.run.workshop, {"label": [before, label]})
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
    audit(actor, "workshop.merge_suggestions", suggestion, suggestion.run.workshop,
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
        label = clean_name(label, field="label", max_length=MAX_LABEL)
    else:
        label = _label(theming.label_from_terms(terms[1]) or members[min(chosen)].text)
    new = SuggestedTheme.objects.create(run_id=suggestion.run_id, label=label, terms=_terms(terms[1]))
    suggestion.ideas.remove(*chosen)
    new.ideas.add(*chosen)
    suggestion.terms = _terms(terms[0])
    suggestion.save(update_fields=["terms"])
    audit(actor, "workshop.split_suggestion", suggestion, suggestion.run.workshop,
           {"into": new.pk, "label": label, "ideas": sorted(chosen)})  # fmt: skip
    return new


@transaction.atomic
def suggestion_discard(*, suggestion: SuggestedTheme, actor) -> SuggestedTheme:
    suggestion = _pending(suggestion, actor)
    suggestion.status = SuggestedTheme.Status.DISCARDED
    suggestion.save(update_fields=["status"])
    audit(actor, "workshop.discard_suggestion", suggestion, suggestion.run.workshop, {"label": suggestion.label})
    return suggestion
