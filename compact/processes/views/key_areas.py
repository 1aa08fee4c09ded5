"""The key areas page: list, add, rename, reorder and remove a process's key areas."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import save_if_valid

from .. import services
from ..forms import KeyAreaForm
from .process import process_for, render_process_page

PERM = "processes.edit_key_areas"


def _key_area(process, raw_pk):
    area = process.key_areas.filter(pk=raw_pk).first()
    if area is None:
        raise Http404("No such key area")
    return area


def _back(partnership, process):
    return redirect("key_areas", partnership.slug, process.slug)


@login_required
def key_areas(request, slug, process_slug):
    partnership, process = process_for(request, slug, process_slug)
    can_edit = request.user.has_perm(PERM, process)
    if request.method == "POST" and not can_edit:
        process_for(request, slug, process_slug, PERM)  # raises the refusal
    form = KeyAreaForm(post_data(request)) if can_edit else None
    if form is not None and save_if_valid(
        request, form, lambda data: services.key_area_add(process=process, actor=request.user, **data)
    ):
        messages.success(request, f"{form.cleaned_data['title']} has been added.")
        return _back(partnership, process)
    return render_process_page(
        request, "processes/key_areas.html", process, "Key areas",
        key_areas=list(process.key_areas.all()),
        form=form, can_edit=can_edit,
    )  # fmt: skip


@login_required
def key_area_edit(request, slug, process_slug, pk):
    partnership, process = process_for(request, slug, process_slug, PERM)
    area = _key_area(process, pk)
    form = KeyAreaForm(post_data(request), initial={"title": area.title, "description": area.description})
    form.submit_label = "Save key area"
    if save_if_valid(
        request, form, lambda data: services.key_area_update(key_area=area, actor=request.user, **data),
        refused=area.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Key area saved.")
        return _back(partnership, process)
    return render_process_page(
        request, "processes/key_area_form.html", process, f"Change {area.title}", form=form, area=area
    )


@login_required
@require_POST
def key_area_change(request, slug, process_slug, pk, action):
    partnership, process = process_for(request, slug, process_slug, PERM)
    area = _key_area(process, pk)
    if action == "remove":
        services.key_area_remove(key_area=area, actor=request.user)
        messages.success(request, f"{area.title} has been removed.")
    else:
        services.key_area_move(key_area=area, actor=request.user, direction=action)
        messages.success(request, f"{area.title} has been moved {action}.")
    return _back(partnership, process)
