"""Who may see, submit ideas to, moderate, vote in and export a workshop: every role, at two
stages of the process, in every workshop state. Only going live depends on the stage (see
test_planning_views); once a workshop runs, its own state decides.

Y = allowed, . = refused. Columns: planned, live, ended (prompts open online), ended (online
period over), published, cancelled. Voting is open wherever the state allows it."""

import datetime as dt

import pytest
from django.utils import timezone

from compact.partnerships.models import Role
from compact.processes.models import StageKind
from compact.workshops.models import Workshop
from compact.workshops.rules import accepting_ideas, voting_now

from ..factories import at_stage

pytestmark = pytest.mark.django_db

ROLES = [Role.CONVENOR, Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"]
STATES = ["planned", "live", "ended_online", "ended", "published", "cancelled"]

# fmt: off
EXPECTED = {
    "workshops.view_workshop": {
        "convenor":    "Y Y Y Y Y Y", "facilitator": "Y Y Y Y Y Y", "member": "Y Y Y Y Y Y",
        "observer":    "Y Y Y Y Y Y", "outsider":    ". . . . . .",
    },
    "workshops.submit_idea": {
        "convenor":    ". Y Y . . .", "facilitator": ". Y Y . . .", "member": ". Y Y . . .",
        "observer":    ". . . . . .", "outsider":    ". . . . . .",
    },
    "workshops.facilitate": {  # moderate: hide, edit, merge; themes; run the vote
        "convenor":    ". Y Y Y . .", "facilitator": ". Y Y Y . .", "member": ". . . . . .",
        "observer":    ". . . . . .", "outsider":    ". . . . . .",
    },
    "workshops.vote": {
        "convenor":    ". Y Y Y . .", "facilitator": ". Y Y Y . .", "member": ". Y Y Y . .",
        "observer":    ". . . . . .", "outsider":    ". . . . . .",
    },
    "workshops.export": {
        "convenor":    "Y Y Y Y Y Y", "facilitator": "Y Y Y Y Y Y", "member": ". . . . Y .",
        "observer":    ". . . . Y .", "outsider":    ". . . . . .",
    },
}
GUESTS = {"accepting_ideas": ". Y Y . . .", "voting_now": ". Y Y Y . ."}
# fmt: on


def put_in(workshop: Workshop, state: str) -> Workshop:
    now = timezone.now()
    real = {"ended_online": "ended"}.get(state, state)
    async_until = now + dt.timedelta(days=3) if state == "ended_online" else None
    voting = real in ("live", "ended")
    Workshop.objects.filter(pk=workshop.pk).update(
        state=real, async_until=async_until, voting_open=voting, ends_at=now - dt.timedelta(hours=1),
        starts_at=now - dt.timedelta(hours=3),
    )  # fmt: skip
    return Workshop.objects.select_related("process", "partnership").get(pk=workshop.pk)


@pytest.mark.parametrize("stage", [StageKind.WORKSHOPS, StageKind.DRAFTING])
def test_matrix(workshop, workshop_process, people, stage):
    at_stage(workshop_process, stage)
    for column, state in enumerate(STATES):
        current = put_in(workshop, state)
        for perm, grid in EXPECTED.items():
            for role in ROLES:
                expected = grid[role].split()[column] == "Y"
                assert people[role].has_perm(perm, current) == expected, (perm, role, state, stage)
        # Guests (no account) follow the same state rules through these predicates.
        assert accepting_ideas(current) == (GUESTS["accepting_ideas"].split()[column] == "Y"), state
        assert voting_now(current) == (GUESTS["voting_now"].split()[column] == "Y"), state
