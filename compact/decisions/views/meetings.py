"""Meeting pages: schedule, agenda, papers, minutes and attendance. Meetings belong to a group;
every member of the partnership may read them, organisers and the group's chairs manage them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.forms import post_data, post_files
from compact.core.validation import save_if_valid
from compact.partnerships import selectors as partnership_selectors
from compact.partnerships.navigation import REFUSED, get_partnership, render_in

from .. import selectors, services
from ..forms.meetings import (
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    MinutesForm,
    PaperForm,
    meeting_initial,
    partnership_organisations,
)

VIEW, MANAGE = "decisions.view_meeting", "decisions.manage_meeting"


def _group(request, slug, body_id, perm=None):
    partnership = get_partnership(request, slug)
    body = partnership_selectors.body_get(partnership=partnership, pk=body_id)
    if perm and not request.user.has_perm(perm, body):
        raise PermissionDenied(REFUSED)
    return partnership, body


def _meeting(request, slug, body_id, pk, perm=VIEW):
    partnership, body = _group(request, slug, body_id)
    meeting = selectors.meeting_get(body=body, pk=pk)
    if not request.user.has_perm(VIEW, meeting):
        raise Http404("No such meeting")
    if perm != VIEW and not request.user.has_perm(perm, meeting):
        raise PermissionDenied(REFUSED)
    return partnership, body, meeting


def _meeting_url(partnership, body, meeting):
    return redirect("meeting_detail", partnership.slug, body.pk, meeting.pk)


@login_required
def meeting_create(request, slug, body_id):
    partnership, body = _group(request, slug, body_id, MANAGE)
    form = MeetingForm(post_data(request))
    meeting = save_if_valid(
        request, form, lambda data: services.meeting_create(body=body, actor=request.user, **form.service_data())
    )
    if meeting:
        messages.success(request, f"{meeting.title} has been scheduled.")
        return _meeting_url(partnership, body, meeting)
    return render_in(
        request, "decisions/meeting_form.html", partnership, "overview", f"Schedule a meeting of {body.name}",
        form=form, body=body,
    )  # fmt: skip


@login_required
def meeting_edit(request, slug, body_id, pk):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    form = MeetingForm(post_data(request), initial=meeting_initial(meeting))
    form.submit_label = "Save meeting details"
    if save_if_valid(
        request, form, lambda data: services.meeting_update(meeting=meeting, actor=request.user, **form.service_data()),
        refused=meeting.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Meeting details saved.")
        return _meeting_url(partnership, body, meeting)
    return render_in(
        request, "decisions/meeting_form.html", partnership, "overview", f"Edit {meeting.title}",
        form=form, body=body, meeting=meeting,
    )  # fmt: skip


@login_required
def meeting_detail(request, slug, body_id, pk):
    """The meeting page. Its form adds an agenda item (for people who manage the meeting)."""
    partnership, body, meeting = _meeting(request, slug, body_id, pk)
    can_manage = request.user.has_perm(MANAGE, meeting)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(REFUSED)
    form = AgendaItemForm(post_data(request)) if can_manage else None
    if form is not None and save_if_valid(
        request, form, lambda data: services.agenda_item_add(meeting=meeting, actor=request.user, **data)
    ):
        messages.success(request, f"{form.cleaned_data['title']} has been added to the agenda.")
        return _meeting_url(partnership, body, meeting)
    attendance = selectors.attendance_of(meeting)
    return render_in(
        request, "decisions/meeting_detail.html", partnership, "overview", meeting.title,
        body=body, meeting=meeting, agenda=selectors.timed_agenda(meeting), attendance=attendance, form=form,
        can_manage=can_manage,
    )  # fmt: skip


@login_required
@require_POST
def agenda_item_move(request, slug, body_id, pk, item_id):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    item = selectors.agenda_item_of(meeting, item_id)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404("No such direction")
    services.agenda_item_move(item=item, actor=request.user, direction=direction)
    messages.success(request, f"{item.title} has been moved {direction}.")
    return redirect(f"{_meeting_url(partnership, body, meeting).url}#agenda")


@login_required
def agenda_item_minutes(request, slug, body_id, pk, item_id):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    item = selectors.agenda_item_of(meeting, item_id)
    form = MinutesForm(post_data(request), initial={"minutes": item.minutes})
    if save_if_valid(
        request, form, lambda data: services.agenda_item_minutes(item=item, actor=request.user, **data),
        refused=item.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, f"Minutes of {item.title} saved.")
        return _meeting_url(partnership, body, meeting)
    return render_in(
        request, "decisions/meeting_minutes.html", partnership, "overview", f"Minutes: {item.title}",
        form=form, body=body, meeting=meeting, item=item,
    )  # fmt: skip


@login_required
def paper_add(request, slug, body_id, pk):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    items = list(meeting.agenda.all())
    if not items:
        messages.info(request, "Add an agenda item before uploading papers for it.")
        return _meeting_url(partnership, body, meeting)
    initial = {"item": request.GET.get("item", "")}
    form = PaperForm(post_data(request), post_files(request), items=items, initial=initial)
    paper = save_if_valid(request, form, lambda data: services.paper_add(actor=request.user, **data))
    if paper:
        messages.success(request, f"{paper.title} has been uploaded.")
        return _meeting_url(partnership, body, meeting)
    return render_in(
        request, "decisions/meeting_paper_form.html", partnership, "overview", "Upload a paper",
        form=form, body=body, meeting=meeting,
    )  # fmt: skip


@login_required
def meeting_attendance(request, slug, body_id, pk):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    people = selectors.attendees(body)
    existing = {a.user_id: a for a in selectors.attendance_of(meeting)}
    form = AttendanceForm(
        post_data(request), people=people, organisations=partnership_organisations(partnership), existing=existing
    )
    if not people:
        form = None
    if form is not None and save_if_valid(
        request, form, lambda data: services.attendance_record(meeting=meeting, actor=request.user, records=form.records())
    ):  # fmt: skip
        messages.success(request, "Attendance saved.")
        return redirect(f"{_meeting_url(partnership, body, meeting).url}#attendance")
    return render_in(
        request, "decisions/meeting_attendance.html", partnership, "overview", f"Attendance: {meeting.title}",
        form=form, body=body, meeting=meeting,
    )  # fmt: skip


def _confirm_removal(request, partnership, body, meeting, *, title, what, blocker, remove, done, back):
    """One page for every removal: GET asks, POST removes. A blocker (the thing is part of the
    record) is shown instead of the button; a blocker that appears between the two is shown too."""
    if request.method == "POST" and not blocker:
        try:
            remove()
        except ValidationError as exc:
            blocker = " ".join(exc.messages)
        else:
            messages.success(request, done)
            return back
    return render_in(
        request, "decisions/confirm_removal.html", partnership, "overview", title,
        body=body, meeting=meeting, what=what, blocker=blocker, cancel_url=f"{_meeting_url(partnership, body, meeting).url}#agenda",
    )  # fmt: skip


@login_required
def meeting_delete(request, slug, body_id, pk):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    return _confirm_removal(
        request, partnership, body, meeting, title=f"Delete {meeting.title}",
        what="The meeting, its agenda and its papers will be deleted. Everyone loses access to them.",
        blocker=selectors.meeting_delete_blocker(meeting),
        remove=lambda: services.meeting_delete(meeting=meeting, actor=request.user),
        done=f"{meeting.title} has been deleted.", back=redirect("body_detail", partnership.slug, body.pk),
    )  # fmt: skip


@login_required
def agenda_item_remove(request, slug, body_id, pk, item_id):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    item = selectors.agenda_item_of(meeting, item_id)
    papers = len(item.papers.all())
    return _confirm_removal(
        request, partnership, body, meeting, title=f"Remove {item.title} from the agenda",
        what=f"The item{f' and its {papers} paper' + ('s' if papers != 1 else '') if papers else ''} will be removed.",
        blocker=selectors.agenda_item_remove_blocker(item),
        remove=lambda: services.agenda_item_remove(item=item, actor=request.user),
        done=f"{item.title} has been removed from the agenda.", back=redirect(f"{_meeting_url(partnership, body, meeting).url}#agenda"),
    )  # fmt: skip


@login_required
def paper_remove(request, slug, body_id, pk, paper_id):
    partnership, body, meeting = _meeting(request, slug, body_id, pk, MANAGE)
    paper = selectors.paper_of(meeting, paper_id)
    return _confirm_removal(
        request, partnership, body, meeting, title=f"Remove the paper {paper.title}",
        what=f"The paper will be removed from {paper.item.title} and its file deleted.", blocker="",
        remove=lambda: services.paper_remove(paper=paper, actor=request.user),
        done=f"{paper.title} has been removed.", back=redirect(f"{_meeting_url(partnership, body, meeting).url}#item-{paper.item_id}"),
    )  # fmt: skip


@login_required
def paper_download(request, slug, body_id, pk, paper_id):
    partnership, body, meeting = _meeting(request, slug, body_id, pk)
    paper = selectors.paper_of(meeting, paper_id)
    try:
        handle = paper.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    extension = paper.file.name.rsplit(".", 1)[-1].lower() if "." in paper.file.name else ""
    filename = f"{paper.title}.{extension}" if extension else paper.title
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=paper.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
