import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compact.decisions import services
from compact.partnerships.models import BodyMember, Position, Role
from compact.processes.models import StageKind
from compact.processes.services import stage_start

from ..factories import BodyFactory, member


@pytest.fixture
def group(partnership, people):
    """A leadership group: a co-chair, three members and an observer, with a quorum of 3."""
    body = BodyFactory(partnership=partnership, name="Leadership group", quorum=3, casting_vote=True)
    people["co_chair"] = member(partnership, Role.MEMBER, full_name="Co Chair")
    BodyMember.objects.create(body=body, user=people["co_chair"], position=Position.CO_CHAIR)
    for i in range(1, 4):
        people[f"voter{i}"] = member(partnership, Role.MEMBER, full_name=f"Voter {i}")
        BodyMember.objects.create(body=body, user=people[f"voter{i}"], position=Position.MEMBER)
    people["body_observer"] = member(partnership, Role.MEMBER, full_name="Body Observer")
    BodyMember.objects.create(body=body, user=people["body_observer"], position=Position.OBSERVER)
    return body


@pytest.fixture
def leadership_process(process, people):
    stage_start(process=process, actor=people[Role.CONVENOR], stage=process.stages.get(kind=StageKind.LEADERSHIP))
    return process


def in_days(n: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=n)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def at(days=7, hour=14, minute=0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def meeting(group, people):
    return services.meeting_create(
        body=group, actor=people[Role.CONVENOR], title="March meeting", starts_at=at(), place="Civic Centre"
    )


@pytest.fixture
def items(meeting, people):
    actor = people[Role.CONVENOR]
    return [
        services.agenda_item_add(meeting=meeting, actor=actor, title=title, duration_minutes=minutes)
        for title, minutes in [("Welcome", 10), ("Charter draft", 45), ("Any other business", 5)]
    ]


@pytest.fixture
def paper(items, people):
    return services.paper_add(
        item=items[1], actor=people[Role.CONVENOR], title="Charter draft v2", file=upload("draft.pdf", PDF)
    )
