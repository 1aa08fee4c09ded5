"""The live wall: members add ideas and watch them arrive, facilitators moderate, the projector
shows the wall large with the join code, and guests join with the code at /join/.

Every page works without JavaScript (POST, redirect, reload shows new ideas); wall.js adds the
live stream (Server-Sent Events) and sends ideas without reloading, retrying with the same key.
The wall shows each question's newest ideas; ?prompt=<id> pages through all of them
(wall_prompt.py)."""

from __future__ import annotations

import functools

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from compact.core.forms import post_data
from compact.core.validation import add_errors, save_if_valid
from compact.partnerships.navigation import REFUSED, partnership_context, render_in

from .. import selectors, selectors_live, selectors_themes
from ..live.forms import EditForm, GuestForm, HideForm, IdeaForm, JoinCodeForm, MergeForm
from ..live.guest import key_from_request, set_guest_cookie
from ..models import MAX_IDEA_CHARS, Prompt
from ..rules import accepting_ideas
from ..services import moderation
from ..services.ideas import idea_submit, rate_limit_ok
from ..services.participants import participant_for_key, participant_join_guest
from ..services.planning import normalise_code
from .common import events_url, wants_json, workshop_for, workshop_url
from .wall_prompt import prompt_page_context

FACILITATE, SUBMIT = "workshops.facilitate", "workshops.submit_idea"
UNKNOWN_CODE = "There is no workshop with that code. Check the code on the screen and try again."


def wall_url(workshop) -> str:
    return workshop_url(workshop, "workshop_wall")


def _join_url(request, workshop) -> str:
    return request.build_absolute_uri(reverse("workshop_join_code", args=[workshop.join_code]))


def _submit(request, workshop, *, participant=None, actor=None):
    """Handle an idea POST: (form, idea). The service's ValidationError goes beside the field."""
    form = IdeaForm(request.POST, prompts=selectors.prompts_of(workshop))
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        idea = idea_submit(
            workshop=workshop, prompt=data["prompt"], text=data["text"], idempotency_key=data["idempotency_key"],
            participant=participant, actor=actor, table_label=data["table_label"], anonymous=data["anonymous"],
        )  # fmt: skip
    except ValidationError as exc:
        add_errors(form, exc)
        return form, None
    return form, idea


def _submitted(request, form, idea, back: str):
    """The answer to an idea POST: JSON for wall.js, otherwise a redirect or the page again."""
    if wants_json(request):
        if idea is not None:
            return JsonResponse({"ok": True, "id": idea.pk, "text": idea.text, "by": selectors_live.attribution(idea)})
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"ok": False, "errors": errors}, status=400)
    if idea is not None:
        messages.success(request, f"Your idea has been added: “{idea.text}”")
        return redirect(f"{back}#prompt-{idea.prompt_id}")
    return None


def _wall_context(request, workshop, *, participant, can_submit, facilitator, failed=None) -> dict:
    # The last event first: an idea added while the page is read then comes by the stream too
    # (wall.js skips ids it shows), rather than falling between the two.
    last_event_id = selectors_live.last_event_id(workshop)
    groups = selectors_live.wall(workshop, include_hidden=facilitator)
    selectors_themes.group_wall_by_theme(groups, selectors_themes.themes_of(workshop))
    failed_prompt = failed.data.get("prompt") if failed is not None else None
    for group in groups:
        prompt = group["prompt"]
        group["open"] = prompt.state == Prompt.State.OPEN
        if group["open"] and can_submit:
            if failed is not None and str(prompt.pk) == str(failed_prompt):
                group["form"] = failed
                group["key"] = failed.data.get("idempotency_key") or IdeaForm.new_key()
            else:
                group["form"], group["key"] = None, IdeaForm.new_key()
    # A prompt that closed while someone typed has no form to put their words back in: show them.
    placed = any(group.get("form") is failed for group in groups)
    unsent = str(failed.data.get("text", "")) if failed is not None and not placed else ""
    return {
        "unsent": unsent,
        "workshop": workshop, "groups": groups, "participant": participant, "can_submit": can_submit,
        "facilitator": facilitator, "failed": failed, "accepting": accepting_ideas(workshop),
        "mine": selectors_live.my_ideas(workshop, participant), "last_event_id": last_event_id,
        "events_url": events_url(workshop), "max_chars": IdeaForm().max_chars, "shown": selectors_live.WALL_SHOWN,
    }  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def wall(request, slug, process_slug, workshop_slug):
    """The wall for members of the partnership: ideas by prompt, a form per open prompt."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    can_submit = request.user.has_perm(SUBMIT, workshop)
    facilitator = request.user.has_perm(FACILITATE, workshop)
    if request.method == "GET" and "prompt" in request.GET:
        moderate_base = f"{wall_url(workshop)}ideas/" if facilitator else ""
        context = prompt_page_context(request, workshop, back_url=wall_url(workshop), moderate_base=moderate_base)
        title = context.pop("page_title_text")
        return render_in(request, "workshops/live_prompt.html", partnership, "overview", title, **context)
    participant = None
    failed = None
    if request.method == "POST":
        if not (can_submit or facilitator):
            raise PermissionDenied(REFUSED)
        form, idea = _submit(request, workshop, actor=request.user)
        if response := _submitted(request, form, idea, wall_url(workshop)):
            return response
        failed = form
    if can_submit:
        participant = selectors_live.participant_of_user(workshop, request.user)
    context = _wall_context(request, workshop, participant=participant, can_submit=can_submit or facilitator,
                            facilitator=facilitator, failed=failed)  # fmt: skip
    context.update(can_vote=request.user.has_perm("workshops.vote", workshop),
                   join_url=_join_url(request, workshop), moderate_base=f"{wall_url(workshop)}ideas/" if facilitator else "",
                   themes_url=reverse("workshop_themes", args=[partnership.slug, workshop.process.slug, workshop.slug]))  # fmt: skip
    return render_in(
        request, "workshops/live_wall.html", partnership, "overview", f"Ideas: {workshop.title}", **context
    )


@login_required
def projector(request, slug, process_slug, workshop_slug):
    """For the big screen: large type, high contrast, the code and a QR code to join."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    join_url = _join_url(request, workshop)
    last_event_id = selectors_live.last_event_id(workshop)  # before the ideas, as on the wall
    prompts = [p for p in selectors.prompts_of(workshop) if p.state == Prompt.State.OPEN]
    groups = selectors_live.wall(workshop, prompts=prompts)
    return render(
        request, "workshops/live_projector.html",
        partnership_context(
            request, partnership, "overview", page_title_text=f"Projector: {workshop.title}", workshop=workshop,
            groups=groups, join_url=join_url, qr_svg=qr_svg(join_url), accepting=accepting_ideas(workshop),
            last_event_id=last_event_id, events_url=events_url(workshop), wall_url=wall_url(workshop),
            shown=selectors_live.WALL_SHOWN,
        ),
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (our own URL, not user text). The page gives the text
    alternative beside it: the address and the code. Kept: drawing it took a third of the
    projector page's time, and the join address of a workshop does not change."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg class="compact-qr" aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 - generated from our own join URL


@login_required
@require_http_methods(["GET", "POST"])
def idea_moderate(request, slug, process_slug, workshop_slug, idea_id):
    """Hide (with a reason), correct or merge one idea."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    if not request.user.has_perm(FACILITATE, workshop):
        raise PermissionDenied(REFUSED)
    idea = selectors_live.idea_get(workshop=workshop, pk=idea_id)
    action = request.POST.get("action") if request.method == "POST" else None
    targets = selectors_live.merge_targets(idea)
    forms = {
        "hide": HideForm(post_data(request) if action == "hide" else None, prefix="hide"),
        "edit": EditForm(post_data(request) if action == "edit" else None, prefix="edit", initial={"text": idea.text}),
        "merge": MergeForm(post_data(request) if action == "merge" else None, prefix="merge", targets=targets),
    }
    save = {
        "hide": lambda d: moderation.idea_hide(idea=idea, actor=request.user, reason=d["reason"]),
        "edit": lambda d: moderation.idea_edit(idea=idea, actor=request.user, text=d["text"]),
        "merge": lambda d: moderation.idea_merge(idea=idea, into=d["into"], actor=request.user),
    }
    done = {"hide": "The idea has been hidden.", "edit": "The idea has been corrected.",
            "merge": "The ideas have been merged."}  # fmt: skip
    back = _back_from_moderation(request, workshop, idea)
    if action == "show":
        moderation.idea_show(idea=idea, actor=request.user)
        messages.success(request, "The idea is back on the wall.")
        return redirect(back)
    if action in forms and save_if_valid(request, forms[action], save[action], refused=idea.refresh_from_db):
        messages.success(request, done[action])
        return redirect(back)
    return render_in(
        request, "workshops/live_moderate.html", partnership, "overview", "Moderate an idea",
        workshop=workshop, idea=idea, forms=forms, failed=forms.get(action), back_url=back,
        from_prompt_page="?prompt=" in back, attribution=selectors_live.attribution(idea),
    )  # fmt: skip


def _back_from_moderation(request, workshop, idea) -> str:
    """The wall, or the page of the prompt's own ideas the facilitator came from (?page=)."""
    page = request.GET.get("page", "")
    if page.isascii() and page.isdigit() and len(page) < 7:
        return f"{wall_url(workshop)}?prompt={idea.prompt_id}&page={int(page)}#ideas"
    return f"{wall_url(workshop)}#prompt-{idea.prompt_id}"


# Joining with the code ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request):
    """Enter the code from the screen (or follow the QR code straight to /join/<code>/)."""
    form = JoinCodeForm(request.POST if request.method == "POST" else (request.GET or None))
    if form.is_bound and form.is_valid():
        workshop = selectors_live.workshop_by_code(form.cleaned_data["code"])
        if workshop is None:
            form.add_error("code", UNKNOWN_CODE)
        elif not accepting_ideas(workshop):
            form.add_error(
                "code", "This workshop is not taking ideas at the moment. Check the code with the facilitator."
            )
        else:
            return redirect("workshop_join_code", workshop.join_code)
    return render(request, "workshops/live_join.html", {"form": form, "page_title_text": "Join a workshop"},
                  status=200 if not form.errors else 400)  # fmt: skip


# A whole room may share one address (the venue's Wi-Fi): the limit only stops scripted joins.
JOINS = 120
TOO_MANY_JOINS = "Too many people have joined from this connection in the last minute. Wait a minute and try again."
NO_PLACE = (
    "Your idea was not sent: this browser is no longer joined to the workshop (it may have lost its "
    "cookie). Join again below, then add your idea. Here is what you wrote, so you can copy it."
)


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _idea_without_a_place(request, workshop):
    """An idea posted by a browser that is not (or no longer) joined: nothing is saved, nobody
    is joined by accident, and the text comes back so it is not lost."""
    text = str(request.POST.get("text", ""))[:MAX_IDEA_CHARS]
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": {"text": [NO_PLACE]}}, status=403)
    form = GuestForm(anonymous_allowed=workshop.allow_anonymous)
    return render(
        request, "workshops/live_join_guest.html",
        {"form": form, "workshop": workshop, "page_title_text": f"Join {workshop.title}", "unsent": text,
         "unsent_message": NO_PLACE},
        status=403,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def join_code(request, code):
    """The wall for someone who came with the code: members are sent to their own wall; guests
    give a name (or not, where allowed) and then add ideas here."""
    workshop = selectors_live.workshop_by_code(normalise_code(code))
    if workshop is None or not accepting_ideas(workshop):
        form = JoinCodeForm(data={"code": code})
        form.is_valid()
        form.errors.pop("code", None)
        form.add_error(
            "code",
            UNKNOWN_CODE if workshop is None
            else "This workshop is not taking ideas at the moment. Check the code with the facilitator.",
        )  # fmt: skip
        return render(request, "workshops/live_join.html", {"form": form, "page_title_text": "Join a workshop"},
                      status=404 if workshop is None else 410)  # fmt: skip
    if request.user.is_authenticated and request.user.has_perm("workshops.view_workshop", workshop):
        return redirect(wall_url(workshop))
    here = reverse("workshop_join_code", args=[workshop.join_code])
    participant = participant_for_key(workshop=workshop, raw_key=key_from_request(request, workshop.pk))
    if participant is None and request.method == "POST" and "idempotency_key" in request.POST:
        return _idea_without_a_place(request, workshop)
    if participant is None:
        guest_form = GuestForm(post_data(request), anonymous_allowed=workshop.allow_anonymous)
        if request.method == "POST" and not rate_limit_ok(f"workshop-join:{workshop.pk}:{_client(request)}", JOINS):
            guest_form.is_valid()
            guest_form.add_error(None, TOO_MANY_JOINS)
        joined = save_if_valid(request, guest_form, lambda d: participant_join_guest(workshop=workshop, **d))
        if joined:
            _participant, raw_key = joined
            response = redirect(here)
            set_guest_cookie(response, workshop, raw_key, secure=request.is_secure())
            return response
        return render(request, "workshops/live_join_guest.html",
                      {"form": guest_form, "workshop": workshop, "page_title_text": f"Join {workshop.title}"})  # fmt: skip
    if request.method == "GET" and "prompt" in request.GET:
        context = prompt_page_context(request, workshop, back_url=here)
        return render(request, "workshops/live_prompt.html", {**context, "guest": True})
    failed = None
    if request.method == "POST":
        form, idea = _submit(request, workshop, participant=participant)
        if response := _submitted(request, form, idea, here):
            return response
        failed = form
    context = _wall_context(request, workshop, participant=participant, can_submit=True, facilitator=False,
                            failed=failed)  # fmt: skip
    context.update(page_title_text=f"Ideas: {workshop.title}", guest=True, action_url=here)
    return render(request, "workshops/live_wall.html", context)
