"""Themes by hand: facilitators create, rename, reorder and delete themes and move ideas into or
out of them. Suggested themes (suggestions.py) become themes through `new_theme` here, with the
same name checks. Every change is audited and sent to the wall."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.core.validators import no_control_characters

from ..models import Idea, Prompt, Theme, Workshop
from .events import wall_event

FACILITATE = "workshops.facilitate"
REFUSED = "Only a convenor or facilitator can group ideas into themes, once the workshop has started."
MAX_NAME = Theme._meta.get_field("name").max_length
MAX_THEMES = 100  # per workshop: more is no longer a summary


def theme_public(theme: Theme) -> dict:
    return {"id": theme.pk, "name": theme.name, "prompt": theme.prompt_id, "position": theme.position,
            "suggested": theme.suggested}  # fmt: skip


def audit(actor, action: str, obj, workshop: Workshop, changes: dict | None = None) -> None:
    audit_record(actor=actor, action=action, obj=obj, partnership_id=workshop.partnership_id, changes=changes)


def clean_name(name, *, field: str = "name", max_length: int = MAX_NAME) -> str:
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


def new_theme(*, workshop: Workshop, actor, name: str, prompt: Prompt | None, suggested: bool, field="name") -> Theme:
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
    theme = new_theme(workshop=workshop, actor=actor, name=clean_name(name), prompt=prompt, suggested=False)
    audit(actor, "workshop.create_theme", theme, workshop, {"name": theme.name, "prompt": theme.prompt_id})
    wall_event(workshop, "theme", theme_public(theme))
    return theme


@transaction.atomic
def theme_rename(*, theme: Theme, actor, name: str) -> Theme:
    workshop = theme.workshop
    require_perm(actor, FACILITATE, workshop, REFUSED)
    name = clean_name(name)
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if name == theme.name:
        return theme
    _check_unique(workshop, name, theme.prompt_id, exclude=theme)
    before, theme.name = theme.name, name
    theme.save(update_fields=["name", "updated_at"])
    audit(actor, "workshop.rename_theme", theme, workshop, {"name": [before, name]})
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
        audit(actor, "workshop.move_theme", current, workshop, {"order": [before, order]})
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
    audit(actor, "workshop.delete_theme", theme, workshop, {"name": theme.name, "ideas": ideas})
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
    audit(actor, "workshop.theme_idea", idea, workshop, {"theme": [before, new]})
    wall_event(workshop, "idea_theme", {"ids": [idea.pk], "theme": new})
    return idea
