"""Every write to meetings: scheduling, the agenda, papers, minutes and attendance.
Each function checks `decisions.manage_meeting`, validates, saves atomically and audits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm
from compact.partnerships.models import Body, BodyMember

from ..models import AgendaItem, Attendance, Meeting, Paper
from ..selectors import agenda_item_remove_blocker, meeting_delete_blocker
from ..uploads import check_paper

MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "online_link"]
MAX_ITEM_MINUTES = 480
MANAGE = "decisions.manage_meeting"


def _validate_meeting(meeting: Meeting) -> None:
    errors = {}
    meeting.title = (meeting.title or "").strip()
    meeting.place = (meeting.place or "").strip()
    meeting.online_link = (meeting.online_link or "").strip()
    if not meeting.place and not meeting.online_link:
        errors["place"] = "Enter where the meeting is, an online link, or both"
    if meeting.ends_at and meeting.starts_at and meeting.ends_at <= meeting.starts_at:
        errors["ends_at"] = "The end time must be after the start time"
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()


@transaction.atomic
def meeting_create(
    *, body: Body, actor, title: str, starts_at, ends_at=None, place: str = "", online_link: str = ""
) -> Meeting:
    require_perm(actor, MANAGE, body)
    meeting = Meeting(
        body=body, title=title, starts_at=starts_at, ends_at=ends_at, place=place, online_link=online_link
    )
    _validate_meeting(meeting)
    meeting.save()
    audit_record(
        actor=actor,
        action="meeting.create",
        obj=meeting,
        partnership_id=body.partnership_id,
        changes={"after": snapshot(meeting, MEETING_FIELDS)},
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, **fields) -> Meeting:
    require_perm(actor, MANAGE, meeting)
    before = snapshot(meeting, MEETING_FIELDS)
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise TypeError(f"Unknown meeting field {name}")
        setattr(meeting, name, value)
    _validate_meeting(meeting)
    meeting.save()
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="meeting.update", obj=meeting, partnership_id=meeting.body.partnership_id,
            changes=changes,
        )  # fmt: skip
    return meeting


def _validate_duration(duration_minutes) -> int:
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        raise ValidationError({"duration_minutes": "Enter the length of the item as a whole number of minutes"})
    if not 1 <= duration_minutes <= MAX_ITEM_MINUTES:
        raise ValidationError({"duration_minutes": f"An item must last between 1 and {MAX_ITEM_MINUTES} minutes"})
    return duration_minutes


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, actor, title: str, duration_minutes: int = 15, presenter: str = ""
) -> AgendaItem:
    require_perm(actor, MANAGE, meeting)
    _validate_duration(duration_minutes)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one position at a time
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=last + 1,
        title=(title or "").strip(),
        duration_minutes=duration_minutes,
        presenter=(presenter or "").strip(),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="meeting.add_item",
        obj=meeting,
        partnership_id=meeting.body.partnership_id,
        changes={"item": item.title, "minutes": duration_minutes},
    )
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor, direction: str) -> AgendaItem:
    """Swap the item with the one above ("up") or below ("down"). At either end, nothing moves."""
    meeting = item.meeting
    require_perm(actor, MANAGE, meeting)
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the item up or down")
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting).order_by("position"))
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ValidationError("That item is not on this meeting's agenda")
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(items):
        return items[index]
    mine, theirs = items[index], items[other_index]
    first, second = mine.position, theirs.position
    AgendaItem.objects.filter(pk=mine.pk).update(position=0)  # positions are unique: park it first
    AgendaItem.objects.filter(pk=theirs.pk).update(position=first)
    AgendaItem.objects.filter(pk=mine.pk).update(position=second)
    mine.position, theirs.position = second, first
    item.position = second
    audit_record(
        actor=actor,
        action="meeting.move_item",
        obj=meeting,
        partnership_id=meeting.body.partnership_id,
        changes={"item": mine.title, "position": [first, second]},
    )
    return mine


@transaction.atomic
def agenda_item_minutes(*, item: AgendaItem, actor, minutes: str) -> AgendaItem:
    require_perm(actor, MANAGE, item.meeting)
    before = item.minutes
    item.minutes = (minutes or "").strip()
    item.full_clean(validate_unique=False, validate_constraints=False)  # only the minutes change
    item.save(update_fields=["minutes"])
    if before != item.minutes:
        audit_record(
            actor=actor,
            action="meeting.minutes",
            obj=item.meeting,
            partnership_id=item.meeting.body.partnership_id,
            changes={"item": item.title, "characters": [len(before), len(item.minutes)]},
        )
    return item


@transaction.atomic
def paper_add(*, item: AgendaItem, actor, title: str, file) -> Paper:
    require_perm(actor, MANAGE, item.meeting)
    if file is None:
        raise ValidationError({"file": "Choose a file to upload"})
    try:
        content_type, size = check_paper(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    paper = Paper(item=item, title=(title or "").strip(), file=file, content_type=content_type, size=size,
                  uploaded_by=actor)  # fmt: skip
    paper.full_clean()
    paper.save()
    audit_record(
        actor=actor,
        action="meeting.add_paper",
        obj=item.meeting,
        partnership_id=item.meeting.body.partnership_id,
        changes={"item": item.title, "paper": paper.title, "type": content_type, "size": size},
    )
    return paper


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor, records: list[dict]) -> list[Attendance]:
    """records: [{"user": User, "status": "present"|"apologies"|"absent", "organisation": Organisation|None}].
    Only people in the group may be recorded; recording someone again replaces their entry."""
    require_perm(actor, MANAGE, meeting)
    in_group = set(BodyMember.objects.filter(body_id=meeting.body_id).values_list("user_id", flat=True))
    allowed_orgs = set(meeting.body.partnership.organisations.values_list("pk", flat=True))
    saved, summary = [], {}
    for record in records:
        user, status, organisation = record["user"], record["status"], record.get("organisation")
        if user.pk not in in_group:
            raise ValidationError(f"{user} is not a member of {meeting.body.name}")
        if status not in Attendance.Status.values:
            raise ValidationError(f"Choose whether {user} was present, sent apologies or was absent")
        if organisation is not None and organisation.pk not in allowed_orgs:
            raise ValidationError(f"Choose an organisation in the partnership for {user}")
        entry, _ = Attendance.objects.update_or_create(
            meeting=meeting, user=user, defaults={"status": status, "organisation": organisation}
        )
        saved.append(entry)
        summary[str(user)] = status
    audit_record(
        actor=actor,
        action="meeting.attendance",
        obj=meeting,
        partnership_id=meeting.body.partnership_id,
        changes={"attendance": summary},
    )
    return saved


def _delete_files_after_commit(files) -> None:
    """Stored files go only once the rows are gone for good (a rolled-back delete keeps them)."""
    names = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def meeting_delete(*, meeting: Meeting, actor) -> None:
    require_perm(actor, MANAGE, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if blocker := meeting_delete_blocker(meeting):
        raise ValidationError(blocker)
    papers = list(Paper.objects.filter(item__meeting=meeting))
    audit_record(
        actor=actor, action="meeting.delete", obj=meeting, partnership_id=meeting.body.partnership_id,
        changes={"before": snapshot(meeting, MEETING_FIELDS) | {"papers": [p.title for p in papers]}},
    )  # fmt: skip
    _delete_files_after_commit(p.file for p in papers)
    meeting.delete()


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor) -> None:
    """Remove an item and its papers. Items are numbered in order, so the later ones move up."""
    meeting = item.meeting
    require_perm(actor, MANAGE, meeting)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one agenda change at a time
    item = AgendaItem.objects.get(pk=item.pk)
    if blocker := agenda_item_remove_blocker(item):
        raise ValidationError(blocker)
    papers = list(item.papers.all())
    audit_record(
        actor=actor, action="meeting.remove_item", obj=meeting, partnership_id=meeting.body.partnership_id,
        changes={"item": item.title, "papers": [p.title for p in papers]},
    )  # fmt: skip
    _delete_files_after_commit(p.file for p in papers)
    item.delete()


@transaction.atomic
def paper_remove(*, paper: Paper, actor) -> None:
    meeting = paper.item.meeting
    require_perm(actor, MANAGE, meeting)
    audit_record(
        actor=actor, action="meeting.remove_paper", obj=meeting, partnership_id=meeting.body.partnership_id,
        changes={"item": paper.item.title, "paper": paper.title},
    )  # fmt: skip
    _delete_files_after_commit([paper.file])
    paper.delete()
