"""The partnership's framework tags: every member reads the list (grouped by framework, with
how many commitments carry each tag); convenors and facilitators add a tag or the standard set,
rename one, and remove one after a page that says how many commitments will lose it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import error_text, save_if_valid
from compact.partnerships.navigation import REFUSED, get_partnership, render_in

from ..forms.tags import RenameTagForm, TagForm
from ..models import BlockKind, Framework, FrameworkTag
from ..services import tags as tag_services
from .common import ACTIVE

MANAGE = "drafting.manage_tags"


def tags_url(partnership, framework: str = "") -> str:
    url = reverse("framework_tags", args=[partnership.slug])
    return f"{url}#framework-{framework}" if framework else url


def tags_by_framework(partnership) -> list[dict]:
    """Every framework in order with its tags, each with `commitments` (how many commitments
    carry it), in one query."""
    tags = FrameworkTag.objects.filter(partnership=partnership).annotate(
        commitments=Count("blocks", filter=Q(blocks__kind=BlockKind.COMMITMENT, blocks__removed_at=None), distinct=True)
    )
    grouped: dict[str, list] = {value: [] for value in Framework.values}
    for tag in tags.order_by("framework", "name"):
        grouped[tag.framework].append(tag)
    return [{"framework": value, "label": label, "tags": grouped[value]} for value, label in Framework.choices]


def _tag_to_manage(request, slug, tag_pk) -> FrameworkTag:
    """A tag of this partnership, for a convenor or facilitator (404 for anyone outside it,
    403 for other members)."""
    partnership = get_partnership(request, slug, MANAGE)
    return get_object_or_404(FrameworkTag.objects.select_related("partnership"), partnership=partnership, pk=tag_pk)


@login_required
def framework_tags(request, slug):
    partnership = get_partnership(request, slug)
    can_manage = request.user.has_perm(MANAGE, partnership)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(REFUSED)
    form = TagForm(post_data(request)) if can_manage else None
    tag = form is not None and save_if_valid(
        request, form,
        lambda data: tag_services.framework_tag_create(partnership=partnership, actor=request.user, **data),
    )  # fmt: skip
    if tag:
        messages.success(request, f"“{tag.name}” is added under {tag.get_framework_display()}.")
        return redirect(tags_url(partnership, tag.framework))
    missing = tag_services.standard_tags_missing(partnership) if can_manage else []
    return render_in(
        request, "drafting/tags.html", partnership, ACTIVE, "Framework tags", groups=tags_by_framework(partnership),
        form=form, can_manage=can_manage, missing=[name for _, name in missing],
    )  # fmt: skip


@login_required
@require_POST
def framework_tags_add_standard(request, slug):
    partnership = get_partnership(request, slug, MANAGE)
    try:
        added = tag_services.framework_tags_add_standard(partnership=partnership, actor=request.user)
    except ValidationError as exc:  # someone added one of them a moment ago
        messages.error(request, f"{error_text(exc)}. Nothing was added: try again.")
        return redirect(tags_url(partnership))
    if added:
        messages.success(request, f"{len(added)} standard {'tag is' if len(added) == 1 else 'tags are'} added.")
    else:
        messages.info(request, "The partnership already has every standard tag, so none were added.")
    return redirect(tags_url(partnership))


@login_required
def framework_tag_rename(request, slug, tag_pk):
    tag = _tag_to_manage(request, slug, tag_pk)
    old_name, back = tag.name, tags_url(tag.partnership, tag.framework)
    form = RenameTagForm(post_data(request), initial={"name": tag.name})
    saved = save_if_valid(
        request, form, lambda data: tag_services.framework_tag_rename(tag=tag, actor=request.user, **data)
    )
    if saved:
        changed = saved.name != old_name
        messages.success(
            request, f"“{old_name}” is now called “{saved.name}”." if changed else "The name is unchanged."
        )
        return redirect(back)
    return render_in(
        request, "drafting/tags_rename.html", tag.partnership, ACTIVE, f"Rename “{old_name}”", form=form,
        framework_tag=tag, commitments=tag_services.commitments_using(tag), cancel_url=back,
    )  # fmt: skip


def commitments_text(n: int) -> str:
    return f"{n} commitment{'' if n == 1 else 's'}"


@login_required
def framework_tag_remove(request, slug, tag_pk):
    tag = _tag_to_manage(request, slug, tag_pk)
    back = tags_url(tag.partnership, tag.framework)
    if request.method == "POST":
        try:
            lost = tag_services.framework_tag_remove(tag=tag, actor=request.user)
        except ValidationError as exc:  # removed by a click a moment ago
            messages.info(request, f"{error_text(exc)}.")
            return redirect(back)
        carried = f" {commitments_text(lost)} no longer {'carries' if lost == 1 else 'carry'} it." if lost else ""
        messages.success(request, f"“{tag.name}” is removed.{carried}")
        return redirect(back)
    return render_in(
        request, "drafting/tags_remove.html", tag.partnership, ACTIVE, f"Remove the tag “{tag.name}”?",
        framework_tag=tag, commitments=tag_services.commitments_using(tag), cancel_url=back,
    )  # fmt: skip
