"""Planning pages: a process's workshops, plan or edit one, its prompts, and the buttons that
run the session (start, open and close prompts, end, cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import error_text, save_if_valid
from compact.partnerships.navigation import REFUSED, get_partnership, render_in
from compact.processes.selectors import process_get_for_user

from .. import selectors, selectors_registration, services
from ..forms.planning import PromptForm, WorkshopForm, workshop_initial
from ..models import Access
from .common import workshop_for


def _process(request, slug, process_slug, perm=None):
    partnership = get_partnership(request, slug)
    process = process_get_for_user(partnership=partnership, slug=process_slug)
    if perm and not request.user.has_perm(perm, process):
        raise PermissionDenied(REFUSED)
    return partnership, process


def _workshop(request, slug, process_slug, workshop_slug, perm=None):
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug, perm)
    return partnership, workshop.process, workshop


def _to_workshop(workshop, anchor=""):
    response = redirect("workshop_detail", workshop.partnership.slug, workshop.process.slug, workshop.slug)
    response["Location"] += anchor
    return response


@login_required
def workshop_create(request, slug, process_slug):
    partnership, process = _process(request, slug, process_slug, "workshops.add_workshop")
    form = WorkshopForm(post_data(request))
    form.submit_label = "Plan workshop"
    workshop = save_if_valid(
        request, form,
        lambda data: services.workshop_create(process=process, actor=request.user, **form.service_data()),
    )  # fmt: skip
    if workshop:
        messages.success(request, f"{workshop.title} has been planned. Add the prompts people will answer.")
        return _to_workshop(workshop, "#prompts")
    return render_in(
        request, "workshops/workshop_form.html", partnership, "overview", "Plan a workshop",
        form=form, process=process,
    )  # fmt: skip


@login_required
def workshop_edit(request, slug, process_slug, workshop_slug):
    partnership, process, workshop = _workshop(request, slug, process_slug, workshop_slug, "workshops.change_workshop")
    form = WorkshopForm(post_data(request), initial=workshop_initial(workshop))
    if save_if_valid(
        request, form,
        lambda data: services.workshop_update(workshop=workshop, actor=request.user, **form.service_data()),
        refused=workshop.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Workshop details saved.")
        return _to_workshop(workshop)
    return render_in(
        request, "workshops/workshop_form.html", partnership, "overview", f"Edit {workshop.title}",
        form=form, process=process, workshop=workshop,
    )  # fmt: skip


@login_required
def workshop_detail(request, slug, process_slug, workshop_slug):
    """The workshop page. For organisers it also adds prompts (its form posts here)."""
    partnership, process, workshop = _workshop(request, slug, process_slug, workshop_slug)
    user = request.user
    can_change = user.has_perm("workshops.change_workshop", workshop)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(REFUSED)
    form = PromptForm(post_data(request), process=process) if can_change else None
    if form is not None and save_if_valid(
        request, form, lambda data: services.prompt_add(workshop=workshop, actor=user, **data)
    ):
        messages.success(request, "The prompt has been added.")
        return _to_workshop(workshop, "#prompts")
    access = [label for code, label in Access.choices if code in (workshop.access or [])]
    return render_in(
        request, "workshops/workshop_detail.html", partnership, "overview", workshop.title,
        process=process, workshop=workshop, prompts=selectors.prompts_of(workshop), form=form, access=access,
        counts=selectors_registration.registration_counts(workshop), can_change=can_change,
        registration=selectors_registration.registration_of(workshop, user),
        can_register=user.has_perm("workshops.register", workshop),
        can_see_registrations=user.has_perm("workshops.view_registrations", workshop),
        can_invite=user.has_perm("workshops.invite_guests", workshop),
        can_start=user.has_perm("workshops.start_workshop", workshop),
        can_facilitate=user.has_perm("workshops.facilitate", workshop),
        can_vote=user.has_perm("workshops.vote", workshop),
        can_see_results=user.has_perm("workshops.view_results", workshop),
        can_export=user.has_perm("workshops.export", workshop),
    )  # fmt: skip


@login_required
def prompt_edit(request, slug, process_slug, workshop_slug, prompt_id):
    partnership, process, workshop = _workshop(request, slug, process_slug, workshop_slug, "workshops.change_workshop")
    prompt = selectors.prompt_of(workshop, prompt_id)
    form = PromptForm(post_data(request), process=process, initial={"text": prompt.text, "key_area": prompt.key_area})
    form.submit_label = "Save prompt"
    if save_if_valid(
        request, form, lambda data: services.prompt_update(prompt=prompt, actor=request.user, **data),
        refused=prompt.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "The prompt has been saved.")
        return _to_workshop(workshop, "#prompts")
    return render_in(
        request, "workshops/workshop_prompt_form.html", partnership, "overview", "Change a prompt",
        form=form, process=process, workshop=workshop, prompt=prompt,
    )  # fmt: skip


SESSION_ACTIONS = {
    "start": (services.workshop_start, "The workshop is live. Open a prompt when you are ready."),
    "end": (services.workshop_end, "The workshop has ended."),
    "cancel": (services.workshop_cancel, "The workshop has been cancelled."),
}


@login_required
@require_POST
def workshop_session(request, slug, process_slug, workshop_slug, action):
    _, _, workshop = _workshop(request, slug, process_slug, workshop_slug)
    run, done = SESSION_ACTIONS[action]
    try:
        run(workshop=workshop, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return _to_workshop(workshop)


@login_required
@require_POST
def prompt_state(request, slug, process_slug, workshop_slug, prompt_id, action):
    _, _, workshop = _workshop(request, slug, process_slug, workshop_slug, "workshops.facilitate")
    prompt = selectors.prompt_of(workshop, prompt_id)
    if action == "open":
        services.prompt_open(prompt=prompt, actor=request.user)
        messages.success(request, f"Open for ideas: {prompt.text}")
    else:
        services.prompt_close(prompt=prompt, actor=request.user)
        messages.success(request, f"Closed: {prompt.text}")
    return _to_workshop(workshop, f"#prompt-{prompt.pk}")
