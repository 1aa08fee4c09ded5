from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from compact.core.forms import post_data
from compact.core.validation import save_if_valid

from .. import selectors, services
from ..forms import BodyForm, BodyMemberChangeForm, BodyMemberForm
from ..models import BodyMember, Position
from ..services.bodies import BODY_FIELDS, body_change_member, body_end_membership
from .common import REFUSED, get_partnership, render_in

MEETINGS_SHOWN = 20
POSITION_ORDER = {value: i for i, value in enumerate(Position.values)}


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
    if request.method == "POST" and request.POST.get("end_member"):
        return _end_member(request, partnership, body, request.POST["end_member"])
    change = (
        _member_of(body, request.POST.get("change_member") or request.GET.get("change"))
        if can_manage and (request.POST.get("change_member") or request.GET.get("change"))
        else None
    )
    change_form = None
    if change is not None:
        change_form = BodyMemberChangeForm(
            post_data(request) if request.POST.get("change_member") else None,
            initial={"position": change.position, "starts_on": change.starts_on, "ends_on": change.ends_on},
            prefix="change",  # the add-member form is on the same page: ids and labels must not clash
        )
        if save_if_valid(
            request, change_form,
            lambda data: body_change_member(body=body, actor=request.user, member=change, **data),
        ):  # fmt: skip
            messages.success(request, f"{change.user}'s membership of {body.name} has been saved.")
            return redirect("body_detail", partnership.slug, body.pk)
    posting_add = request.method == "POST" and change is None
    form = BodyMemberForm(post_data(request) if posting_add else None, partnership=partnership) if can_manage else None
    if (
        posting_add
        and form is not None
        and save_if_valid(request, form, lambda data: services.body_add_member(body=body, actor=request.user, **data))
    ):
        messages.success(request, f"{form.cleaned_data['user']} has joined {body.name}.")
        return redirect("body_detail", partnership.slug, body.pk)
    today = timezone.localdate()
    members = sorted(body.body_members.all(), key=lambda bm: (POSITION_ORDER.get(bm.position, 9), str(bm.user)))
    for bm in members:
        bm.serving_today = bm.serving_on(today)
    meetings = list(body.meetings.order_by("-starts_at")[:MEETINGS_SHOWN])
    return render_in(
        request, "partnerships/body_detail.html", partnership, "overview", body.name,
        body=body, members=members, form=form, change=change, change_form=change_form, can_manage=can_manage,
        meetings=meetings, can_schedule=request.user.has_perm("decisions.manage_meeting", body),
    )  # fmt: skip


def _member_of(body, raw_pk) -> BodyMember:
    try:
        member_pk = int(raw_pk)
    except (TypeError, ValueError):
        raise Http404("No such member") from None
    for bm in body.body_members.all():
        if bm.pk == member_pk:
            return bm
    raise Http404("No such member")


def _end_member(request, partnership, body, raw_pk):
    member = _member_of(body, raw_pk)
    body_end_membership(body=body, actor=request.user, member=member)
    messages.success(request, f"{member.user}'s membership of {body.name} ends today.")
    return redirect("body_detail", partnership.slug, body.pk)


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
    form = BodyForm(post_data(request), initial={name: getattr(body, name) for name in BODY_FIELDS})
    if save_if_valid(
        request, form, lambda data: services.body_update(body=body, actor=request.user, **data),
        refused=body.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Group details saved.")
        return redirect("body_detail", partnership.slug, body.pk)
    title = f"Edit {body.name}"
    return render_in(request, "partnerships/body_form.html", partnership, "overview", title, form=form, body=body)
