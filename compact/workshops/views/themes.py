"""Theming pages for facilitators: the board (themes with their ideas, a "Move to theme" control
on every idea, add / rename / reorder / delete themes) and the review of suggested themes.

Everything works without JavaScript (POST, redirect). themes.js adds drag and drop, by pointer
and by keyboard, posting to the same move URL (JSON answer when asked for)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from compact.core.forms import post_data
from compact.core.validation import error_messages, error_text, save_if_valid
from compact.partnerships.navigation import render_in

from .. import selectors_themes
from ..forms.themes import RenameForm, ThemeForm
from ..services import suggestions as suggesting
from ..services import themes as services
from .common import wants_json, workshop_for
from .live import wall_url

NOT_NOW = "Only a convenor or facilitator can group ideas into themes, once the workshop has started."


def _facilitated(request, slug, process_slug, workshop_slug):
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    if not request.user.has_perm(services.FACILITATE, workshop):
        raise PermissionDenied(NOT_NOW)
    return partnership, workshop


def _url(name, workshop, *extra) -> str:
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug, *extra])


def _board(request, partnership, workshop, *, form=None, errors=(), idea_error=None, suggest=None, status=200):
    """The board. `errors` are (anchor, message) pairs for the error summary; `idea_error` is
    (idea id, message), shown beside that idea's move control; `suggest` is what was typed into
    the "Suggest themes" form and its errors, to show again."""
    board = selectors_themes.board(workshop)
    if idea_error is not None:
        for idea in [i for item in board["themes"] for i in item["ideas"]] + [
            i for group in board["loose"] for i in group["ideas"]
        ]:
            if idea.pk == idea_error[0]:
                idea.error = idea_error[1]
    form = form or ThemeForm(prompts=board["prompts"])
    response = render_in(
        request, "workshops/themes_board.html", partnership, "overview",
        ("Error: " if errors else "") + f"Themes: {workshop.title}",
        workshop=workshop, board=board, form=form, errors=list(errors), suggest=suggest or {"values": {}, "errors": {}},
        latest_run=selectors_themes.latest_run(workshop), wall_url=wall_url(workshop),
        base=_url("workshop_themes", workshop), move_base=f"{_url('workshop_themes', workshop)}ideas/",
        suggest_url=_url("workshop_theme_suggest", workshop),
    )  # fmt: skip
    response.status_code = status
    return response


@login_required
@require_http_methods(["GET", "POST"])
def themes(request, slug, process_slug, workshop_slug):
    """The board; a POST adds a theme."""
    partnership, workshop = _facilitated(request, slug, process_slug, workshop_slug)
    form = ThemeForm(post_data(request), prompts=workshop.prompts.all())
    theme = save_if_valid(
        request, form,
        lambda d: services.theme_create(workshop=workshop, actor=request.user, name=d["name"], prompt=d["prompt"]),
    )  # fmt: skip
    if theme:
        messages.success(request, f"The theme “{theme.name}” has been added.")
        return redirect(f"{_url('workshop_themes', workshop)}#theme-{theme.pk}")
    return _board(request, partnership, workshop, form=form, status=400 if form.errors else 200)


@login_required
@require_POST
def idea_theme(request, slug, process_slug, workshop_slug, idea_id):
    """Move one idea into a theme, or out of every theme (theme="")."""
    partnership, workshop = _facilitated(request, slug, process_slug, workshop_slug)
    idea = selectors_themes.idea_for_theming(workshop=workshop, pk=idea_id)
    raw = request.POST.get("theme", "")
    theme = selectors_themes.theme_for_move(workshop=workshop, pk=raw)
    try:
        if raw not in ("", None) and theme is None:
            raise ValidationError({"theme": "That theme has been deleted: choose another"})
        services.idea_move_to_theme(idea=idea, actor=request.user, theme=theme)
    except ValidationError as exc:
        message = error_text(exc)
        if wants_json(request):
            return JsonResponse({"ok": False, "errors": error_messages(exc)}, status=400)
        return _board(request, partnership, workshop, errors=[(f"move-{idea.pk}", message)],
                      idea_error=(idea.pk, message), status=400)  # fmt: skip
    done = f"The idea is now in “{theme.name}”." if theme else "The idea is no longer in a theme."
    if wants_json(request):
        return JsonResponse({"ok": True, "idea": idea.pk, "theme": getattr(theme, "pk", None), "message": done})
    messages.success(request, done)
    return redirect(f"{_url('workshop_themes', workshop)}#idea-{idea.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, slug, process_slug, workshop_slug, theme_id):
    """Rename a theme, or delete it (its ideas stay on the wall, not in a theme)."""
    partnership, workshop = _facilitated(request, slug, process_slug, workshop_slug)
    theme = selectors_themes.theme_get(workshop=workshop, pk=theme_id)
    board_url = _url("workshop_themes", workshop)
    action = request.POST.get("action") if request.method == "POST" else None
    failed = None
    if action == "delete":
        try:
            ideas = services.theme_delete(theme=theme, actor=request.user)
        except ValidationError as exc:
            failed = error_text(exc)
        else:
            done = f"The theme “{theme.name}” has been deleted."
            if len(ideas) == 1:
                done += " The idea in it stays on the wall, not in a theme."
            elif ideas:
                done += f" The {len(ideas)} ideas in it stay on the wall, not in a theme."
            messages.success(request, done)
            return redirect(f"{board_url}#theme-none")
    form = RenameForm(post_data(request) if action == "rename" else None, initial={"name": theme.name})
    if save_if_valid(request, form, lambda d: services.theme_rename(theme=theme, actor=request.user, name=d["name"])):
        messages.success(request, "The theme has been renamed.")
        return redirect(f"{board_url}#theme-{theme.pk}")
    response = render_in(
        request, "workshops/themes_edit.html", partnership, "overview", f"Change a theme: {theme.name}",
        workshop=workshop, theme=theme, form=form, errors=[("delete", failed)] if failed else [], board_url=board_url,
    )  # fmt: skip
    response.status_code = 400 if (failed or form.errors) else 200
    return response


@login_required
@require_POST
def theme_move(request, slug, process_slug, workshop_slug, theme_id):
    """Move a theme up or down the list (or to a place: to=<index>, from themes.js)."""
    _partnership, workshop = _facilitated(request, slug, process_slug, workshop_slug)
    theme = selectors_themes.theme_get(workshop=workshop, pk=theme_id)
    order = [t.pk for t in selectors_themes.themes_of(workshop)]
    direction = request.POST.get("direction")
    here = order.index(theme.pk)
    to = {"up": here - 1, "down": here + 1}.get(direction, request.POST.get("to", here))
    try:
        order = services.theme_move(theme=theme, actor=request.user, to=to)
    except ValidationError as exc:
        if wants_json(request):
            return JsonResponse({"ok": False, "errors": error_messages(exc)}, status=400)
        messages.error(request, error_text(exc))
    else:
        if wants_json(request):
            return JsonResponse({"ok": True, "order": order})
        messages.success(request, f"“{theme.name}” is now number {order.index(theme.pk) + 1} of {len(order)}.")
    return redirect(f"{_url('workshop_themes', workshop)}#theme-{theme.pk}")


# Suggestions -------------------------------------------------------------------------------------


SUGGEST_ANCHORS = {"prompt": "suggest-scope", "k": "suggest-k"}


@login_required
@require_POST
def suggest(request, slug, process_slug, workshop_slug):
    """A new run of suggestions for one prompt or the whole workshop (k: how many themes)."""
    partnership, workshop = _facilitated(request, slug, process_slug, workshop_slug)
    typed = {"prompt": request.POST.get("prompt", ""), "k": request.POST.get("k", "").strip()}
    prompts = workshop.prompts.all() if typed["prompt"] else []
    prompt = next((p for p in prompts if str(p.pk) == typed["prompt"]), None)
    try:
        if typed["prompt"] and prompt is None:
            raise ValidationError({"prompt": "Choose a question from this workshop"})
        run = suggesting.suggestion_run(workshop=workshop, actor=request.user, prompt=prompt, k=typed["k"] or None)
    except ValidationError as exc:
        found = {"k" if field == "k" else "prompt": text for field, text in error_messages(exc).items()}
        return _board(
            request, partnership, workshop, errors=[(SUGGEST_ANCHORS[f], text) for f, text in found.items()],
            suggest={"values": typed, "errors": found}, status=400,
        )  # fmt: skip
    return redirect(_url("workshop_theme_suggestions", workshop, run.pk))


def _decide(request, run, suggestion) -> str:
    """Carry out the facilitator's decision on one suggestion; the message to show."""
    action, actor = request.POST.get("action"), request.user
    if action == "accept":
        theme, left = suggesting.suggestion_accept(suggestion=suggestion, actor=actor, name=request.POST.get("name"))
        put = theme.ideas.count()
        message = f"“{theme.name}” is now a theme with {put} idea{'' if put == 1 else 's'}."
        if left:
            message += (f" {left} of its ideas {'was' if left == 1 else 'were'} already in a theme or no longer on "
                        f"the wall, and {'was' if left == 1 else 'were'} left where {'it was' if left == 1 else 'they were'}.")  # fmt: skip
        return message
    if action == "rename":
        suggesting.suggestion_rename(suggestion=suggestion, actor=actor, label=request.POST.get("name", ""))
        return "The suggestion has been renamed."
    if action == "merge":
        other = selectors_themes.suggestion_get(run=run, pk=request.POST.get("other"))
        if other is None:
            raise ValidationError({"other": "Choose a suggestion to merge it with"})
        suggesting.suggestion_merge(suggestion=suggestion, other=other, actor=actor)
        return "The suggestions have been merged."
    if action == "split":
        new = suggesting.suggestion_split(suggestion=suggestion, actor=actor, ideas=request.POST.getlist("ideas"),
                                          label=request.POST.get("split_label", ""))  # fmt: skip
        return f"The ideas you chose are now a new suggestion, “{new.label}”."
    if action == "discard":
        suggesting.suggestion_discard(suggestion=suggestion, actor=actor)
        return "The suggestion has been discarded."
    raise ValidationError({"suggestion": "Choose what to do with the suggestion"})


# The input each service field belongs to on a suggestion's forms, and the id prefix of that input.
ANCHORS = {"name": "name", "split_label": "split-label", "other": "other", "ideas": "ideas", "suggestion": "suggestion"}


def _input_for(action: str, field: str) -> str:
    if field == "label":  # a suggestion's name: the split form's new name, or the name box
        return "split_label" if action == "split" else "name"
    return field if field in ANCHORS else "suggestion"


def _typed(post: QueryDict, suggestion) -> dict:
    """The values of a suggestion's forms: what the facilitator typed or chose in the one that
    failed (an empty name stays empty), otherwise the suggestion's own."""
    return {
        "name": post.get("name", suggestion.label), "split_label": post.get("split_label", ""),
        "ideas": set(post.getlist("ideas")), "other": post.get("other", ""),
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request, slug, process_slug, workshop_slug, run_id):
    """Review one run: accept, rename, merge, split or discard each suggestion."""
    partnership, workshop = _facilitated(request, slug, process_slug, workshop_slug)
    run = selectors_themes.run_get(workshop=workshop, pk=run_id)
    here = _url("workshop_theme_suggestions", workshop, run.pk)
    errors, failed_pk, field_errors = [], None, {}
    if request.method == "POST":
        suggestion = selectors_themes.suggestion_get(run=run, pk=request.POST.get("suggestion"))
        try:
            if suggestion is None:
                raise ValidationError({"suggestion": "That suggestion is no longer here: it was merged into another"})
            message = _decide(request, run, suggestion)
        except ValidationError as exc:
            failed_pk = getattr(suggestion, "pk", None)
            action = request.POST.get("action", "")
            for field, text in error_messages(exc).items():
                key = _input_for(action, field)
                field_errors[key] = f"{field_errors[key]} {text}" if key in field_errors else text
            errors = [(f"{ANCHORS[k]}-{failed_pk}" if failed_pk else "suggestions", t) for k, t in field_errors.items()]
        else:
            messages.success(request, message)
            return redirect(f"{here}#suggestions")
    review = selectors_themes.run_review(run)
    for s in review["pending"]:
        failed = s.pk == failed_pk
        s.errors = field_errors if failed else {}
        s.typed = _typed(request.POST if failed else QueryDict(), s)
    response = render_in(
        request, "workshops/themes_suggestions.html", partnership, "overview",
        ("Error: " if errors else "") + f"Suggested themes: {workshop.title}",
        workshop=workshop, run=run, review=review, errors=errors, board_url=_url("workshop_themes", workshop),
        suggest_url=_url("workshop_theme_suggest", workshop), fewer=run.k - 1 if run.k > 1 else None,
        more=run.k + 1 if run.k < suggesting.MAX_SUGGESTED else None,
        method_note=suggesting.method_note(run),
    )  # fmt: skip
    response.status_code = 400 if errors else 200
    return response
