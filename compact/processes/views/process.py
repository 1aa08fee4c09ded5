from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import save_if_valid
from compact.partnerships import selectors as partnership_selectors
from compact.partnerships.navigation import partnership_context

from .. import selectors, services
from ..forms import FeatureSettingsForm, ProcessCreateForm, ProcessForm, StagesForm, TimelineForm
from ..registry import CLOSED, SETUP, registry
from ..sections import render_sections


def process_for(request, slug, process_slug, perm="processes.view_process"):
    partnership = partnership_selectors.partnership_get_for_user(slug=slug, user=request.user)
    process = selectors.process_get_for_user(partnership=partnership, slug=process_slug)
    if not request.user.has_perm(perm, process):
        raise PermissionDenied("Your role, or the stage this process is at, does not allow this.")
    return partnership, process


def render_process_page(request, template, process, title, **context):
    return render(
        request,
        template,
        partnership_context(
            request,
            process.partnership,
            "overview",
            page_title_text=title,
            process=process,
            partnership_title=process.title,
            **context,
        ),
    )


@login_required
def process_create(request, slug):
    partnership = partnership_selectors.partnership_get_for_user(slug=slug, user=request.user)
    if not request.user.has_perm("partnerships.add_process", partnership):
        raise PermissionDenied("Only a convenor can start a process.")
    form = ProcessCreateForm(post_data(request))
    process = save_if_valid(
        request, form, lambda data: services.process_create(partnership=partnership, actor=request.user, **data)
    )
    if process:
        messages.success(request, f"{process.title} has been created. Next, set the dates of its stages.")
        return redirect("timeline_edit", partnership.slug, process.slug)
    return render(
        request,
        "processes/process_form.html",
        partnership_context(
            request, partnership, "overview", page_title_text="Start a process", form=form, creating=True
        ),
    )


@login_required
def process_detail(request, slug, process_slug):
    partnership, process = process_for(request, slug, process_slug)
    user = request.user
    stages = list(process.stages.all())
    stage_kind = selectors.current_stage_kind(process)
    return render_process_page(
        request,
        "processes/process_detail.html",
        process,
        "Process overview",
        stages=[{"stage": s, "features": registry.features_for(s.kind)} for s in stages],
        current_stage=selectors.current_stage(process),
        not_started=stage_kind == SETUP,
        closed=stage_kind == CLOSED,
        can_edit=user.has_perm("processes.change_process", process),
        can_edit_timeline=user.has_perm("processes.edit_timeline", process),
        can_advance=user.has_perm("processes.advance_stage", process),
        can_change_settings=user.has_perm("processes.change_settings", process),
        sections=render_sections(request, process),
        key_areas=list(process.key_areas.all()),
        can_edit_key_areas=user.has_perm("processes.edit_key_areas", process),
    )


@login_required
def process_edit(request, slug, process_slug):
    partnership, process = process_for(request, slug, process_slug, "processes.change_process")
    form = ProcessForm(
        post_data(request),
        initial={"title": process.title, "kind": process.kind, "purpose_summary": process.purpose_summary},
    )
    if save_if_valid(
        request, form, lambda data: services.process_update(process=process, actor=request.user, **data),
        refused=process.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Process details saved.")
        return redirect("process_detail", partnership.slug, process.slug)
    return render_process_page(request, "processes/process_form.html", process, "Edit details", form=form)


@login_required
def timeline_edit(request, slug, process_slug):
    partnership, process = process_for(request, slug, process_slug, "processes.edit_timeline")
    form = TimelineForm(post_data(request), stages=process.stages.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.timeline_update(process=process, actor=request.user, dates=form.stage_dates())
        except ValidationError as exc:
            _timeline_errors(form, exc)
        else:
            messages.success(request, "Timeline saved.")
            return redirect("process_detail", partnership.slug, process.slug)
    return render_process_page(request, "processes/timeline_form.html", process, "Timeline", form=form)


@login_required
def stages_edit(request, slug, process_slug):
    partnership, process = process_for(request, slug, process_slug, "processes.edit_timeline")
    form = StagesForm(post_data(request), initial={"stage_kinds": [s.kind for s in process.stages.all()]})
    if save_if_valid(
        request,
        form,
        lambda data: services.stages_set(process=process, actor=request.user, stage_kinds=data["stage_kinds"]),
    ):
        messages.success(request, "Stages saved. Set the dates of any new stage.")
        return redirect("timeline_edit", partnership.slug, process.slug)
    return render_process_page(request, "processes/stages_form.html", process, "Stages", form=form)


def _timeline_errors(form, exc):
    """Errors for stage N go beside that stage's start date."""
    by_key = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    for key, errors in by_key.items():
        field = f"{key}_starts_on" if key.startswith("stage_") else None
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


# What each stage button does: the service to call and what to tell the person afterwards.
STAGE_ACTIONS = {
    "start": (services.stage_start, "{stage} has started."),
    "finish": (services.stage_finish, "{stage} is done."),
}


@login_required
@require_POST
def stage_change(request, slug, process_slug, stage_id, action):
    partnership, process = process_for(request, slug, process_slug, "processes.advance_stage")
    stage = get_object_or_404(process.stages, pk=stage_id)
    service, done_message = STAGE_ACTIONS[action]
    try:
        service(process=process, actor=request.user, stage=stage)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message.format(stage=stage.display_title))
    return redirect("process_detail", partnership.slug, process.slug)


@login_required
def process_settings(request, slug, process_slug):
    partnership, process = process_for(request, slug, process_slug, "processes.change_settings")
    form = FeatureSettingsForm(
        post_data(request), initial={"features": [k for k, v in process.feature_settings.items() if v]}
    )
    if save_if_valid(
        request, form,
        lambda data: services.process_feature_settings_update(process=process, actor=request.user, enabled=set(data["features"])),
    ):  # fmt: skip
        messages.success(request, "Settings saved.")
        return redirect("process_detail", partnership.slug, process.slug)
    return render_process_page(request, "processes/settings_form.html", process, "Settings", form=form)
