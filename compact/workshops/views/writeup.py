"""Write-up pages: the write-up as a web page (organisers any time, members once published),
editing the facilitator's words, publishing (emails go after commit), the CSV and DOCX
downloads, and the page a guest's emailed link opens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from compact.core.forms import post_data
from compact.core.validation import add_errors, save_if_valid
from compact.partnerships.navigation import render_in

from .. import exports, writeup_build
from ..forms.writeup import PublishForm, WriteUpForm
from ..models import Registration, Theme, Workshop
from ..services import writeup as services
from .common import workshop_for

EXPORT, PUBLISH = "workshops.export", "workshops.publish"


def _args(workshop: Workshop) -> list[str]:
    return [workshop.partnership.slug, workshop.process.slug, workshop.slug]


def _content(request, workshop):
    return writeup_build.build(workshop, show_votes=request.user.has_perm("workshops.view_results", workshop))


NOT_YET = "The write-up is shown to members once the facilitator publishes it."


@login_required
def page(request, slug, process_slug, workshop_slug):
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug, EXPORT, NOT_YET)
    args = _args(workshop)
    return render_in(
        request, "workshops/writeup_page.html", partnership, "overview", f"Write-up: {workshop.title}",
        workshop=workshop, content=_content(request, workshop), can_edit=request.user.has_perm(PUBLISH, workshop),
        edit_url=reverse("workshop_write_up_edit", args=args), publish_url=reverse("workshop_write_up_publish", args=args),
        csv_url=reverse("workshop_write_up_csv", args=args), docx_url=reverse("workshop_write_up_docx", args=args),
        workshop_url=reverse("workshop_detail", args=args),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug, process_slug, workshop_slug):
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug, PUBLISH, services.PUBLISH)
    write_up = writeup_build.write_up_of(workshop)
    themes = list(Theme.objects.filter(workshop=workshop).order_by("position", "pk")[:200])
    notes = write_up.theme_notes if isinstance(write_up.theme_notes, dict) else {}
    initial = {"summary": write_up.summary, "facilitator_notes": write_up.facilitator_notes,
               **{f"theme_{t.pk}": notes.get(str(t.pk), "") for t in themes}}  # fmt: skip
    form = WriteUpForm(post_data(request), initial=initial, themes=themes)

    def save(data):
        theme_notes = {name: data.pop(name) for name in form.theme_fields}
        return services.write_up_update(workshop=workshop, actor=request.user, theme_notes=theme_notes, **data)

    if save_if_valid(request, form, save):
        messages.success(request, "The write-up has been saved.")
        return redirect("workshop_write_up", *_args(workshop))
    return render_in(
        request, "workshops/writeup_edit.html", partnership, "overview",
        ("Error: " if form.errors else "") + f"Edit the write-up: {workshop.title}",
        workshop=workshop, form=form, cancel_url=reverse("workshop_write_up", args=_args(workshop)),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug, process_slug, workshop_slug):
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug, PUBLISH, services.PUBLISH)
    form = PublishForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.write_up_publish(workshop=workshop, actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "The write-up has been published. People who came are being emailed a link.")
            return redirect("workshop_write_up", *_args(workshop))
    members, guests = services.recipients(workshop)
    return render_in(
        request, "workshops/writeup_publish.html", partnership, "overview",
        ("Error: " if form.errors else "") + f"Publish the write-up: {workshop.title}",
        workshop=workshop, form=form, members=len(members), guests=len(guests),
        cancel_url=reverse("workshop_write_up", args=_args(workshop)),
    )  # fmt: skip


@login_required
def download(request, slug, process_slug, workshop_slug, fmt):
    _partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug, EXPORT, NOT_YET)
    content = _content(request, workshop)
    return exports.write_up_csv(content) if fmt == "csv" else exports.write_up_docx(content)


def guest(request, token):
    """The write-up for a guest who registered without an account: the emailed link holds a
    signed token for their registration. Unknown, changed or not-yet-published: 404."""
    found = services.guest_token_read(token)
    if found is None:
        raise Http404("No such write-up")
    workshop_id, registration_id = found
    registration = (
        Registration.objects.select_related("workshop__partnership", "workshop__process")
        .filter(pk=registration_id, workshop_id=workshop_id, user__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if registration is None or registration.workshop.state != Workshop.State.PUBLISHED:
        raise Http404("No such write-up")
    workshop = registration.workshop
    response = render(request, "workshops/writeup_guest.html", {
        "workshop": workshop, "content": writeup_build.build(workshop, show_votes=workshop.results_revealed),
        "page_title_text": f"Write-up: {workshop.title}",
    })  # fmt: skip
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # the address is the guest's key: never to another site
    return response
