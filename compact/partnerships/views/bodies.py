from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from compact.core.forms import post_data
from compact.core.validation import save_if_valid

from .. import selectors, services
from ..forms import BodyForm, BodyMemberForm
from ..models import BodyMember
from .common import REFUSED, get_partnership, render_in


@login_required
def body_create(request, slug):
    partnership = get_partnership(request, slug, "partnerships.manage_bodies")
    form = BodyForm(post_data(request))
    body = save_if_valid(
        request, form, lambda data: services.body_create(partnership=partnership, actor=request.user, **data)
    )
    if body:
        messages.success(request, f"{body.name} has been created.")
        return redirect("body_detail", partnership.slug, body.pk)
    return render_in(request, "partnerships/body_form.html", partnership, "overview", "Create a group", form=form)


@login_required
def body_detail(request, slug, pk):
    partnership = get_partnership(request, slug)
    body = selectors.body_get(partnership=partnership, pk=pk)
    can_manage = request.user.has_perm("partnerships.manage_bodies", partnership)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(REFUSED)
    if request.method == "POST" and request.POST.get("remove_member"):
        return _remove_member(request, partnership, body, request.POST["remove_member"])
    form = BodyMemberForm(post_data(request), partnership=partnership) if can_manage else None
    if form is not None and save_if_valid(
        request, form, lambda data: services.body_add_member(body=body, actor=request.user, **data)
    ):
        messages.success(request, f"{form.cleaned_data['user']} has joined {body.name}.")
        return redirect("body_detail", partnership.slug, body.pk)
    return render_in(
        request, "partnerships/body_detail.html", partnership, "overview", body.name,
        body=body, form=form, can_manage=can_manage,
    )  # fmt: skip


def _remove_member(request, partnership, body, raw_pk):
    try:
        member_pk = int(raw_pk)
    except ValueError:
        raise Http404("No such member") from None
    member = get_object_or_404(BodyMember, body=body, pk=member_pk)
    services.body_remove_member(body=body, actor=request.user, member=member)
    messages.success(request, f"{member.user} has left {body.name}.")
    return redirect("body_detail", partnership.slug, body.pk)


@login_required
def body_edit(request, slug, pk):
    partnership = get_partnership(request, slug, "partnerships.manage_bodies")
    body = selectors.body_get(partnership=partnership, pk=pk)
    form = BodyForm(post_data(request), initial={"name": body.name, "kind": body.kind, "description": body.description})
    if save_if_valid(
        request, form, lambda data: services.body_update(body=body, actor=request.user, **data),
        refused=body.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Group details saved.")
        return redirect("body_detail", partnership.slug, body.pk)
    title = f"Edit {body.name}"
    return render_in(request, "partnerships/body_form.html", partnership, "overview", title, form=form, body=body)
