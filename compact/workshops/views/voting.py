"""Dot voting pages: the ballot (members on their wall's address, guests by the workshop's code
and their cookie), the facilitators' page (open, close, reveal, the running tally) and the
results once revealed. Every page works without JavaScript: one form with a number per idea
or theme, saved all at once; for organisers, tally.js keeps the tally live from the wall's stream."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from compact.core.validation import error_messages, error_text
from compact.partnerships.navigation import REFUSED, render_in
from compact.partnerships.rules import is_participant

from .. import selectors_live
from ..live.guest import key_from_request
from ..models import VoteTarget, Workshop
from ..rules import voting_now
from ..services import voting
from ..services.participants import participant_for_key
from ..services.planning import normalise_code
from .common import events_url, workshop_for

FACILITATE = "workshops.facilitate"
ACTIONS = {
    "open": (voting.voting_open, "Voting is open."),
    "close": (voting.voting_close, "Voting is closed."),
    "reveal": (voting.results_reveal, "The results are now shown to everyone."),
}


def _args(workshop: Workshop) -> list[str]:
    return [workshop.partnership.slug, workshop.process.slug, workshop.slug]


def _label(item, on_ideas: bool) -> str:
    return item.text if on_ideas else item.name


def _group(item) -> str:
    """The question an idea or theme belongs to ("" for a theme across the whole workshop)."""
    return item.prompt.text if item.prompt_id else ""


def _rows(workshop: Workshop, items: list, mine: dict[int, int], posted=None, errors=None) -> list[dict]:
    """The ballot's lines: each idea (with who said it and its question) or theme, with the
    voter's own dots (or what they just posted) and any error."""
    on_ideas = workshop.vote_target == VoteTarget.IDEAS
    rows = []
    for item in items:
        name = voting.field_name(item.pk)
        rows.append({
            "pk": item.pk, "name": name, "label": _label(item, on_ideas),
            "by": selectors_live.attribution(item) if on_ideas else "", "group": _group(item),
            "value": (posted or {}).get(name, mine.get(item.pk, 0)), "error": (errors or {}).get(name),
        })  # fmt: skip
    return rows


def _results(workshop: Workshop, items: list | None = None) -> list[dict]:
    """The tally: each idea or theme with everyone's dots, most first (ties keep the ballot's
    order, which `order` records so tally.js can sort the same way)."""
    on_ideas = workshop.vote_target == VoteTarget.IDEAS
    counts = voting.tally(workshop)
    rows = [
        {"pk": item.pk, "order": i, "label": _label(item, on_ideas), "group": _group(item),
         "dots": counts.get(item.pk, 0)}
        for i, item in enumerate(voting.items(workshop) if items is None else items)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: -r["dots"])


def _live_tally(workshop: Workshop) -> dict:
    """What tally.js needs to follow the wall's stream (organisers get its "tally" events). Read
    before the tally, so a vote saved in between is sent again rather than missed."""
    target = "theme" if workshop.vote_target == VoteTarget.THEMES else "idea"
    return {"tally_stream": f"{events_url(workshop)}?since={selectors_live.last_event_id(workshop)}",
            "tally_target": target}  # fmt: skip


def _posted(request) -> dict[str, str]:
    return {k: v for k, v in request.POST.items() if k.startswith("dots_")}


def _ballot(request, workshop: Workshop, participant, *, can_vote: bool, show_results: bool) -> tuple[dict, bool]:
    """Handle the ballot: (context, saved). A ValidationError from the service goes beside its
    field; nothing is saved then."""
    errors: dict[str, str] = {}
    posted = None
    if request.method == "POST":
        if not can_vote and voting_now(workshop):
            raise PermissionDenied(REFUSED)
        try:
            actor = request.user if participant is None or participant.user_id else None
            voting.dots_save(workshop=workshop, dots=_posted(request), actor=actor, participant=participant)
            return {}, True
        except ValidationError as exc:
            errors = error_messages(exc)
            posted = _posted(request)
    mine = voting.my_dots(workshop, participant)
    items = voting.items(workshop)
    rows = _rows(workshop, items, mine, posted, errors)
    known = {row["name"] for row in rows}
    # The budget error belongs to the whole form: its link goes to the first box to change.
    fallback = f"#{rows[0]['name']}" if voting_now(workshop) and rows else "#voting-closed"
    summary = [{"href": f"#{key}" if key in known else fallback, "text": text} for key, text in errors.items()]
    results = _results(workshop, items) if show_results else None
    context = {
        "workshop": workshop, "rows": rows, "errors": errors, "error_summary": summary,
        "budget": workshop.dots_per_participant, "left": workshop.dots_per_participant - sum(mine.values()),
        "open": voting_now(workshop), "can_vote": can_vote, "on_ideas": workshop.vote_target == VoteTarget.IDEAS,
        "hidden_mine": [{"idea": i, "dots": mine.get(i.pk, 0), "name": voting.field_name(i.pk)}
                        for i in voting.hidden_with_my_dots(workshop, mine)],
        "results": results,
    }  # fmt: skip
    return context, False


def _saved(request, workshop, participant, url):
    left = voting.dots_left(workshop, participant)
    messages.success(request, f"Your dots have been saved. You have {left} dot{'s' if left != 1 else ''} left.")
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request, slug, process_slug, workshop_slug):
    """A member's dots: how many they have left and a number for each idea or theme."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    if not is_participant.test(request.user, workshop):
        raise PermissionDenied("Observers can follow the workshop but do not vote.")
    participant = selectors_live.participant_of_user(workshop, request.user)
    can_vote = request.user.has_perm("workshops.vote", workshop)
    context, saved = _ballot(
        request, workshop, participant, can_vote=can_vote,
        show_results=request.user.has_perm("workshops.view_results", workshop) and workshop.results_revealed,
    )  # fmt: skip
    here = reverse("workshop_vote", args=_args(workshop))
    if saved:
        return _saved(request, workshop, selectors_live.participant_of_user(workshop, request.user), here)
    title = ("Error: " if context["errors"] else "") + f"Vote: {workshop.title}"
    return render_in(request, "workshops/voting_ballot.html", partnership, "overview", title, action_url=here,
                     wall_url=reverse("workshop_wall", args=_args(workshop)), **context)  # fmt: skip


@require_http_methods(["GET", "POST"])
def guest_ballot(request, code):
    """A guest's dots, found by the workshop's code and the cookie this browser got on joining."""
    workshop = selectors_live.workshop_by_code(normalise_code(code))
    if workshop is None:
        raise Http404("No such workshop")
    if request.user.is_authenticated and request.user.has_perm("workshops.view_workshop", workshop):
        return redirect("workshop_vote", *_args(workshop))
    participant = participant_for_key(workshop=workshop, raw_key=key_from_request(request, workshop.pk))
    if participant is None:
        return render(request, "workshops/voting_not_joined.html",
                      {"workshop": workshop, "page_title_text": f"Vote: {workshop.title}"}, status=403)  # fmt: skip
    context, saved = _ballot(
        request, workshop, participant, can_vote=voting_now(workshop), show_results=workshop.results_revealed
    )
    here = reverse("workshop_guest_vote", args=[workshop.join_code])
    if saved:
        return _saved(request, workshop, participant, here)
    title = ("Error: " if context["errors"] else "") + f"Vote: {workshop.title}"
    context.update(page_title_text=title, guest=True, action_url=here,
                   wall_url=reverse("workshop_join_code", args=[workshop.join_code]))  # fmt: skip
    return render(request, "workshops/voting_ballot.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, slug, process_slug, workshop_slug):
    """For facilitators: open and close voting, reveal the results, and the tally so far."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    if not request.user.has_perm(FACILITATE, workshop):
        raise PermissionDenied(REFUSED)
    here = reverse("workshop_voting", args=_args(workshop))
    error = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None:
        if action not in ACTIONS:
            error = "Choose open, close or show the results"
        else:
            service, done = ACTIONS[action]
            try:
                service(workshop=workshop, actor=request.user)
                messages.success(request, done)
                return redirect(here)
            except ValidationError as exc:
                error = error_text(exc)
                workshop.refresh_from_db()
    live = _live_tally(workshop)
    return render_in(
        request, "workshops/voting_manage.html", partnership, "overview",
        ("Error: " if error else "") + f"Voting: {workshop.title}",
        workshop=workshop, error=error, results=_results(workshop), voters=voting.voter_count(workshop),
        action_url=here, results_url=reverse("workshop_results", args=_args(workshop)),
        wall_url=reverse("workshop_wall", args=_args(workshop)), **live,
    )  # fmt: skip


@login_required
def results(request, slug, process_slug, workshop_slug):
    """The dots each idea or theme got: organisers any time, members once they are revealed."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    if not request.user.has_perm("workshops.view_results", workshop):
        raise PermissionDenied("The results are shown once the facilitator reveals them.")
    # Only organisers' streams carry the tally, and only while the workshop runs.
    live = _live_tally(workshop) if request.user.has_perm(FACILITATE, workshop) else {}
    return render_in(
        request, "workshops/voting_results.html", partnership, "overview", f"Results: {workshop.title}",
        workshop=workshop, results=_results(workshop), voters=voting.voter_count(workshop),
        wall_url=reverse("workshop_wall", args=_args(workshop)), **live,
    )  # fmt: skip
