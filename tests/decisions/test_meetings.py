"""Meetings: services, upload checks, pages and permissions; a group's terms of reference and
its members' positions and dates."""

import contextlib
import html
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact.activity.models import AuditEntry
from compact.decisions import services
from compact.decisions.models import AgendaItem, Attendance, Meeting, Paper
from compact.decisions.uploads import MAX_PAPER_BYTES, check_paper
from compact.partnerships.models import Body, BodyMember, Position, Role
from tests.factories import (
    ERROR_SUMMARY,
    OrganisationFactory,
    PartnershipOrganisationFactory,
    days_from_today,
    field_errors,
    member,
    png_bytes,
)

from .conftest import PDF, at, upload

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def office_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# Services ---------------------------------------------------------------------------------


def test_meeting_create_validates_times_and_place(group, people):
    convenor = people[Role.CONVENOR]
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(body=group, actor=convenor, title="M", starts_at=at(), ends_at=at(hour=13), place="X")
    assert "ends_at" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(body=group, actor=convenor, title="M", starts_at=at())
    assert "place" in exc.value.error_dict
    online = services.meeting_create(
        body=group, actor=convenor, title="Online", starts_at=at(), ends_at=at(hour=15),
        online_link="https://meet.example.org/x",
    )  # fmt: skip
    assert online.body == group
    assert AuditEntry.objects.filter(action="meeting.create").count() == 1
    services.meeting_update(meeting=online, actor=convenor, title="Renamed")
    assert AuditEntry.objects.filter(action="meeting.update").count() == 1


def test_who_may_manage_meetings(group, people, meeting):
    for who in [Role.CONVENOR, Role.FACILITATOR, "co_chair"]:
        assert people[who].has_perm("decisions.manage_meeting", meeting), who
        assert people[who].has_perm("decisions.manage_meeting", group), who
    for who in [Role.MEMBER, Role.OBSERVER, "voter1", "body_observer", "outsider"]:
        assert not people[who].has_perm("decisions.manage_meeting", meeting), who
    for who in [Role.MEMBER, Role.OBSERVER, "voter1"]:
        assert people[who].has_perm("decisions.view_meeting", meeting)
    assert not people["outsider"].has_perm("decisions.view_meeting", meeting)
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(meeting=meeting, actor=people["voter1"], title="Sneaky")


def test_agenda_durations_and_ordering(meeting, people, items):
    actor = people["co_chair"]
    for bad in [0, 481, -5]:
        with pytest.raises(ValidationError) as exc:
            services.agenda_item_add(meeting=meeting, actor=actor, title="Too long", duration_minutes=bad)
        assert "duration_minutes" in exc.value.error_dict
    assert [i.position for i in items] == [1, 2, 3]
    services.agenda_item_move(item=items[2], actor=actor, direction="up")
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Welcome", "Any other business", "Charter draft"]
    services.agenda_item_move(item=items[0], actor=actor, direction="up")  # already first: nothing moves
    services.agenda_item_move(item=items[0], actor=actor, direction="down")
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Any other business", "Welcome", "Charter draft"]
    services.agenda_item_minutes(item=items[1], actor=actor, minutes="- Agreed the draft")
    assert AgendaItem.objects.get(pk=items[1].pk).minutes == "- Agreed the draft"


def test_attendance_only_for_group_members(meeting, people, partnership):
    org = OrganisationFactory()
    PartnershipOrganisationFactory(partnership=partnership, organisation=org)
    convenor = people[Role.CONVENOR]
    services.attendance_record(
        meeting=meeting, actor=convenor,
        records=[{"user": people["voter1"], "status": "apologies", "organisation": org}],
    )  # fmt: skip
    services.attendance_record(
        meeting=meeting, actor=convenor, records=[{"user": people["voter1"], "status": "present", "organisation": None}]
    )
    assert Attendance.objects.get(meeting=meeting, user=people["voter1"]).status == "present"
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting, actor=convenor, records=[{"user": people[Role.MEMBER], "status": "present"}]
        )


# Upload checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("minutes.pdf", PDF, "application/pdf"),
        ("chart.png", png_bytes(), "image/png"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("notes.txt", "Café notes\n".encode(), "text/plain; charset=utf-8"),
        ("draft.docx", office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), None),
        ("draft.odt", office_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), None),
    ],
)
def test_real_files_pass(name, data, expected):
    content_type, size = check_paper(upload(name, data))
    assert size == len(data)
    if expected:
        assert content_type == expected


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"#!/bin/sh\nrm -rf /\n", "its contents are not a PDF"),
        ("report.pdf", b"<script>alert(1)</script>", "its contents are not a PDF"),
        ("setup.exe", b"MZ\x90\x00", "A file .exe is not allowed"),
        ("noextension", PDF, "with no extension is not allowed"),
        ("notes.txt", b"hello\x00world", "its contents are not a text file"),
        ("draft.docx", office_zip({"evil.sh": b"x"}), "its contents are not a Word document"),
        ("draft.odt", office_zip({"mimetype": b"text/html"}), "its contents are not a OpenDocument text"),
        ("chart.png", PDF, "its contents are not a PNG image"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_disguised_and_wrong_files_are_refused(name, data, message):
    with pytest.raises(ValidationError) as exc:
        check_paper(upload(name, data))
    assert message in " ".join(exc.value.messages)


def test_oversize_file_is_refused():
    with pytest.raises(ValidationError, match="10 MB or smaller"):
        check_paper(upload("big.pdf", b"%PDF-" + b"0" * MAX_PAPER_BYTES))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=2048)
    | st.sampled_from([b"PK\x03\x04", b"PK\x03\x04\x14\x00\x00\x00", PDF[:5], b"\x89PNG\r\n\x1a\n"]).flatmap(
        lambda head: st.binary(max_size=512).map(lambda tail: head + tail)
    ),
    name=st.text(max_size=40)
    | st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.pptx", "a.odt", "a.txt", "a.png", "a.jpeg", "a.JPG"]),
)
def test_fuzz_checker_only_raises_validation_error(data, name):
    with contextlib.suppress(ValidationError):
        check_paper(io.BytesIO(data), name)


# Pages --------------------------------------------------------------------------------------


def meeting_urls(partnership, group, meeting, item, paper):
    args = [partnership.slug, group.pk, meeting.pk]
    return {
        "meeting_detail": reverse("meeting_detail", args=args),
        "meeting_edit": reverse("meeting_edit", args=args),
        "agenda_item_move": reverse("agenda_item_move", args=[*args, item.pk]),
        "agenda_item_minutes": reverse("agenda_item_minutes", args=[*args, item.pk]),
        "paper_add": reverse("paper_add", args=args),
        "paper_download": reverse("paper_download", args=[*args, paper.pk]),
        "paper_remove": reverse("paper_remove", args=[*args, paper.pk]),
        "agenda_item_remove": reverse("agenda_item_remove", args=[*args, item.pk]),
        "meeting_delete": reverse("meeting_delete", args=args),
        "meeting_attendance": reverse("meeting_attendance", args=args),
        "meeting_create": reverse("meeting_create", args=[partnership.slug, group.pk]),
    }


def test_outsider_gets_404_everywhere_and_members_403_on_writes(client, partnership, group, meeting, items, paper,
                                                               people):  # fmt: skip
    urls = meeting_urls(partnership, group, meeting, items[0], paper)
    client.force_login(people["outsider"])
    for name, url in urls.items():
        assert client.get(url).status_code in (404, 405) if name == "agenda_item_move" else True
        assert client.post(url, {"direction": "up"}).status_code == 404, name
    client.force_login(people["voter1"])
    assert client.get(urls["meeting_detail"]).status_code == 200
    assert client.get(urls["paper_download"]).status_code == 200
    for name, url in urls.items():
        if name in ("meeting_detail", "paper_download"):
            continue
        assert client.get(url).status_code in (403, 405), name
        assert client.post(url, {"direction": "up", "title": "x"}).status_code == 403, name
    assert client.post(urls["meeting_detail"], {"item-title": "x", "item-duration_minutes": 5}).status_code == 403
    assert meeting.agenda.count() == 3
    assert Paper.objects.filter(pk=paper.pk).exists() and Meeting.objects.filter(pk=meeting.pk).exists()


def test_schedule_meeting_page(client, partnership, group, people):
    client.force_login(people["co_chair"])
    url = reverse("meeting_create", args=[partnership.slug, group.pk])
    day = days_from_today(10).isoformat()
    response = client.post(url, {"title": "April meeting", "date": day, "start_time": "14:00", "end_time": "13:00"})
    assert response.status_code == 200 and ERROR_SUMMARY in response.content.decode()
    assert field_errors(response, "end_time") == ["The end time must be after the start time"]
    assert field_errors(response, "place") == ["Enter where the meeting is, an online link, or both"]
    assert 'value="April meeting"' in response.content.decode()
    response = client.post(
        url,
        {"title": "April meeting", "date": day, "start_time": "14:00", "end_time": "16:00", "place": "Room 2"},
        follow=True,
    )
    meeting = Meeting.objects.get(title="April meeting")
    assert "April meeting has been scheduled." in text(response)
    assert timezone.localtime(meeting.starts_at).hour == 14
    group_page = client.get(reverse("body_detail", args=[partnership.slug, group.pk]))
    assert "April meeting" in text(group_page) and "Schedule a meeting" in text(group_page)
    client.force_login(people["voter1"])
    assert "Schedule a meeting" not in text(client.get(reverse("body_detail", args=[partnership.slug, group.pk])))


def test_agenda_papers_minutes_and_attendance_pages(client, partnership, group, meeting, people):
    client.force_login(people[Role.FACILITATOR])
    url = reverse("meeting_detail", args=[partnership.slug, group.pk, meeting.pk])
    response = client.post(url, {"item-title": "Welcome", "item-duration_minutes": "600"})
    assert field_errors(response, "item-duration_minutes") == ["Ensure this value is less than or equal to 480."]
    assert 'value="Welcome"' in response.content.decode()
    for title, minutes in [("Welcome", "10"), ("Charter draft", "45")]:
        response = client.post(url, {"item-title": title, "item-duration_minutes": minutes}, follow=True)
        assert f"{title} has been added to the agenda." in text(response)
    page = text(client.get(url))
    assert "2:00pm, 10 minutes" in page and "2:10pm, 45 minutes" in page
    first, second = meeting.agenda.all()
    move = reverse("agenda_item_move", args=[partnership.slug, group.pk, meeting.pk, second.pk])
    response = client.post(move, {"direction": "up"}, follow=True)
    assert "Charter draft has been moved up." in text(response)
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Charter draft", "Welcome"]

    paper_url = reverse("paper_add", args=[partnership.slug, group.pk, meeting.pk])
    response = client.post(
        paper_url, {"paper-item": second.pk, "paper-title": "Draft", "paper-file": upload("draft.pdf", b"#!/bin/sh")}
    )
    assert response.status_code == 200
    assert "its contents are not a PDF" in field_errors(response, "paper-file")[0]
    assert 'value="Draft"' in response.content.decode()
    response = client.post(
        paper_url,
        {"paper-item": second.pk, "paper-title": "Draft", "paper-file": upload("draft.pdf", PDF)},
        follow=True,
    )
    assert "Draft has been uploaded." in text(response)
    paper = Paper.objects.get()
    assert (paper.content_type, paper.size) == ("application/pdf", len(PDF))

    minutes_url = reverse("agenda_item_minutes", args=[partnership.slug, group.pk, meeting.pk, second.pk])
    response = client.post(minutes_url, {"minutes": "**Agreed** the draft"}, follow=True)
    assert "Minutes of Charter draft saved." in text(response)
    assert "<strong>Agreed</strong>" in response.content.decode()

    attendance_url = reverse("meeting_attendance", args=[partnership.slug, group.pk, meeting.pk])
    form = client.get(attendance_url).context["form"]
    data = {name: "present" for name in form.fields if name.startswith("status_")}
    data[f"status_{people['voter2'].pk}"] = "apologies"
    response = client.post(attendance_url, data, follow=True)
    assert "Attendance saved." in text(response)
    assert Attendance.objects.get(meeting=meeting, user=people["voter2"]).status == "apologies"
    assert "Sent apologies" in text(response)
    data[f"status_{people['voter2'].pk}"] = "maybe"
    assert field_errors(client.post(attendance_url, data), f"status_{people['voter2'].pk}")


def test_paper_download_needs_membership(client, partnership, group, meeting, paper, people):
    url = reverse("paper_download", args=[partnership.slug, group.pk, meeting.pk, paper.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(people[Role.OBSERVER])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404


# Groups: terms of reference and positions ---------------------------------------------------------


def test_terms_of_reference_saved_and_shown(client, partnership, people):
    client.force_login(people[Role.CONVENOR])
    data = {
        "name": "ICP board", "kind": "governance", "description": "", "quorum": "4", "decision_rule": "two_thirds",
        "casting_vote": "on", "voters": "participants", "allow_anonymous_votes": "on", "voting_hours": "72",
    }  # fmt: skip
    response = client.post(reverse("body_create", args=[partnership.slug]), data, follow=True)
    body = Body.objects.get(name="ICP board")
    assert (body.quorum, body.decision_rule, body.casting_vote, body.voters, body.allow_anonymous_votes) == (
        4, "two_thirds", True, "participants", True,
    )  # fmt: skip
    assert body.voting_hours == 72
    page = text(response)
    assert "4 voters must take part" in page and "At least two thirds of the votes cast" in page
    assert "72 hours" in page
    edit = reverse("body_edit", args=[partnership.slug, body.pk])
    response = client.post(edit, {**data, "voting_hours": "0", "quorum": "-1"})
    assert field_errors(response, "voting_hours") and field_errors(response, "quorum")
    response = client.post(edit, {**data, "quorum": "2", "casting_vote": ""}, follow=True)
    body.refresh_from_db()
    assert (body.quorum, body.casting_vote) == (2, False)
    assert AuditEntry.objects.filter(action="body.update").exists()


def test_member_positions_and_dates(client, partnership, group, people):
    client.force_login(people[Role.CONVENOR])
    url = reverse("body_detail", args=[partnership.slug, group.pk])
    newcomer = people[Role.FACILITATOR]
    response = client.post(
        url,
        {"user": newcomer.pk, "position": "chair", "starts_on": "2026-03-10", "ends_on": "2026-03-01"},
    )
    assert field_errors(response, "ends_on") == ["The end date must be the same as or after the start date"]
    assert 'value="2026-03-10"' in response.content.decode()
    response = client.post(url, {"user": newcomer.pk, "position": "chair"}, follow=True)
    bm = BodyMember.objects.get(body=group, user=newcomer)
    assert (bm.position, bm.starts_on, bm.ends_on) == (Position.CHAIR, timezone.localdate(), None)
    assert "Chair" in text(response) and "Serving" in text(response)

    # The change form sits beside the add form: every id on the page is unique, so each label
    # names its own radio (a clash once made "Member" in one form check the other form's radio).
    page = client.get(f"{url}?change={bm.pk}").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'id="id_change-position_3"' in page and 'for="id_change-position_3"' in page

    response = client.post(url, {"change_member": bm.pk, "change-position": "observer", "change-ends_on": "2000-01-01",
                                 "change-starts_on": bm.starts_on.isoformat()})  # fmt: skip
    assert field_errors(response, "change-ends_on") == ["The end date must be the same as or after the start date"]
    response = client.post(
        url, {"change_member": bm.pk, "change-position": "co_chair", "change-starts_on": ""}, follow=True
    )
    assert f"{newcomer}'s membership of {group.name} has been saved." in text(response)
    bm.refresh_from_db()
    assert bm.position == Position.CO_CHAIR

    response = client.post(url, {"end_member": bm.pk}, follow=True)
    bm.refresh_from_db()
    assert bm.ends_on == timezone.localdate()
    assert f"{newcomer}'s membership of {group.name} ends today." in text(response)
    assert AuditEntry.objects.filter(action="body.change_member").count() == 2
    assert client.post(url, {"end_member": "nope"}).status_code == 404
    client.force_login(people[Role.MEMBER])
    assert client.post(url, {"end_member": bm.pk}).status_code == 403


def test_member_helper_is_used(partnership):
    assert member(partnership).memberships.count() == 1
