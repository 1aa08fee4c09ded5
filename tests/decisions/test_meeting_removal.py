"""Removing papers, agenda items and meetings: asked first, refused once they are part of the
record (minutes, attendance, decisions), stored files deleted, every removal audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from compact.activity.models import AuditEntry
from compact.decisions import services
from compact.decisions.models import AgendaItem, Meeting, Paper
from compact.partnerships.models import Role

from .conftest import in_days
from .test_meetings import text

pytestmark = pytest.mark.django_db


def page(partnership, group, meeting, name, *extra):
    return reverse(name, args=[partnership.slug, group.pk, meeting.pk, *extra])


def test_removing_a_paper_deletes_its_file(client, partnership, group, meeting, items, paper, people,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    stored = paper.file.name
    assert default_storage.exists(stored)
    client.force_login(people["co_chair"])
    url = page(partnership, group, meeting, "paper_remove", paper.pk)
    asked = text(client.get(url))
    assert "Remove the paper Charter draft v2" in asked and "You cannot undo this." in asked
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Charter draft v2 has been removed." in text(response)
    assert not Paper.objects.filter(pk=paper.pk).exists()
    assert not default_storage.exists(stored)
    assert AuditEntry.objects.filter(action="meeting.remove_paper").count() == 1


def test_removing_an_item_takes_its_papers_and_renumbers_the_agenda(client, partnership, group, meeting, items,
                                                                      paper, people):  # fmt: skip
    client.force_login(people[Role.FACILITATOR])
    url = page(partnership, group, meeting, "agenda_item_remove", items[1].pk)
    assert "The item and its 1 paper will be removed." in text(client.get(url))
    response = client.post(url, follow=True)
    shown = text(response)
    assert "Charter draft has been removed from the agenda." in shown
    assert "1. Welcome" in shown and "2. Any other business" in shown
    assert not Paper.objects.filter(pk=paper.pk).exists()
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Welcome", "Any other business"]


def test_an_item_with_minutes_stays(client, partnership, group, meeting, items, people):
    services.agenda_item_minutes(item=items[0], actor=people["co_chair"], minutes="Everyone welcomed.")
    client.force_login(people["co_chair"])
    url = page(partnership, group, meeting, "agenda_item_remove", items[0].pk)
    shown = text(client.get(url))
    assert "This item has minutes, so it is part of the record and cannot be removed." in shown
    assert "You cannot undo this." not in shown
    client.post(url)
    assert AgendaItem.objects.filter(pk=items[0].pk).exists()
    with pytest.raises(ValidationError):
        services.agenda_item_remove(item=items[0], actor=people["co_chair"])


def test_an_unheld_meeting_can_be_deleted_with_its_papers(client, partnership, group, meeting, items, paper, people,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    stored = paper.file.name
    client.force_login(people[Role.CONVENOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(partnership, group, meeting, "meeting_delete"), follow=True)
    assert "March meeting has been deleted." in text(response)
    assert response.redirect_chain[-1][0] == reverse("body_detail", args=[partnership.slug, group.pk])
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not default_storage.exists(stored)
    entry = AuditEntry.objects.get(action="meeting.delete")
    assert entry.changes["before"]["title"] == "March meeting" and entry.changes["before"]["papers"] == [
        "Charter draft v2"
    ]


@pytest.mark.parametrize("record", ["minutes", "attendance", "proposal"])
def test_a_meeting_on_the_record_stays(client, partnership, group, meeting, items, people, record):
    chair = people["co_chair"]
    if record == "minutes":
        services.agenda_item_minutes(item=items[0], actor=chair, minutes="Agreed.")
    elif record == "attendance":
        services.attendance_record(meeting=meeting, actor=chair, records=[{"user": chair, "status": "present"}])
    else:
        services.proposal_create(
            partnership=partnership, actor=chair, body=group, meeting=meeting, title="Adopt", text="We adopt.",
            closes_at=in_days(2),
        )  # fmt: skip
    client.force_login(chair)
    url = page(partnership, group, meeting, "meeting_delete")
    assert "cannot be deleted" in text(client.get(url))
    assert "cannot be deleted" in text(client.post(url))
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    with pytest.raises(ValidationError):
        services.meeting_delete(meeting=meeting, actor=chair)


def test_only_people_who_manage_the_meeting_may_remove(meeting, items, paper, people):
    for who in [Role.MEMBER, Role.OBSERVER, "voter1", "body_observer"]:
        with pytest.raises(PermissionDenied):
            services.paper_remove(paper=paper, actor=people[who])
        with pytest.raises(PermissionDenied):
            services.agenda_item_remove(item=items[0], actor=people[who])
        with pytest.raises(PermissionDenied):
            services.meeting_delete(meeting=meeting, actor=people[who])
    assert Paper.objects.count() == 1 and AgendaItem.objects.count() == 3
