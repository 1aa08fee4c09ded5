import datetime as dt

import pytest
from django.utils import timezone

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
