"""Planning and running a workshop: details, prompts, join code, state changes, audit."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.processes.models import StageKind
from compact.workshops import services
from compact.workshops.models import Prompt, WallEvent, Workshop
from compact.workshops.services.planning import CODE_ALPHABET, normalise_code

from ..factories import at_stage
from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_workshop_gets_a_readable_join_code_and_the_workshops_stage(workshop, workshop_process):
    assert len(workshop.join_code) == 6 and set(workshop.join_code) <= set(CODE_ALPHABET)
    assert workshop.stage.kind == StageKind.WORKSHOPS and workshop.partnership_id == workshop_process.partnership_id
    assert normalise_code(f" {workshop.join_code[:3].lower()}-{workshop.join_code[3:]} ") == workshop.join_code
    assert [p.position for p in workshop.prompts.all()] == [1, 2]
    assert AuditEntry.objects.filter(action="workshop.create").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": at(hour=9)}, "ends_at", "The end time must be after the start time"),
        ({"venue": "  "}, "venue", "Enter where the workshop is"),
        ({"format": "online"}, "online_link", "Enter the link people use to join online"),
        ({"capacity": 0}, "capacity", "Enter a number of places of 1 or more, or leave it blank for no limit"),
        ({"access": ["teleport"]}, "access", "Choose access arrangements from the list"),
        ({"dots_per_participant": 0}, "dots_per_participant", "Give each person between 1 and 20 dots"),
        ({"async_until": at(hour=12)}, "async_until", "Ideas online must stay open until after the workshop ends"),
    ],
)
def test_bad_details_are_refused_beside_the_field(workshop, people, change, field, message):
    with pytest.raises(ValidationError) as exc:
        services.workshop_update(workshop=workshop, actor=people[Role.FACILITATOR], **change)
    assert exc.value.message_dict[field] == [message]


def test_prompts_need_text_and_a_key_area_of_the_same_process(workshop, people):
    facilitator = people[Role.FACILITATOR]
    with pytest.raises(ValidationError) as exc:
        services.prompt_add(workshop=workshop, actor=facilitator, text="   ")
    assert exc.value.message_dict["text"] == ["Enter the question people will answer"]
    from compact.processes.models import KeyArea

    from ..factories import ProcessFactory

    elsewhere = KeyArea.objects.create(process=ProcessFactory(partnership=workshop.partnership), title="X", position=1)
    with pytest.raises(ValidationError):
        services.prompt_add(workshop=workshop, actor=facilitator, text="Q?", key_area=elsewhere)


def test_going_live_needs_the_workshops_stage(workshop, people, workshop_process):
    facilitator = people[Role.FACILITATOR]
    at_stage(workshop_process, StageKind.LEADERSHIP)
    workshop = Workshop.objects.get(pk=workshop.pk)
    with pytest.raises(PermissionDenied):
        services.workshop_start(workshop=workshop, actor=facilitator)
    at_stage(workshop_process, StageKind.WORKSHOPS)
    workshop = Workshop.objects.get(pk=workshop.pk)
    services.workshop_start(workshop=workshop, actor=facilitator)
    assert workshop.state == Workshop.State.LIVE


def test_the_session_opens_and_closes_prompts_and_records_events(live_workshop, people):
    first = live_workshop.prompts.first()
    assert first.state == Prompt.State.OPEN and first.opened_at
    services.workshop_end(workshop=live_workshop, actor=people[Role.FACILITATOR])
    first.refresh_from_db()
    assert first.state == Prompt.State.CLOSED  # no online period: prompts close with the session
    kinds = list(WallEvent.objects.filter(workshop=live_workshop).values_list("kind", flat=True))
    assert kinds.count("workshop_state") == 2 and "prompt" in kinds


def test_members_cannot_plan_or_run(workshop, people):
    for who in [Role.MEMBER, Role.OBSERVER, "outsider"]:
        with pytest.raises(PermissionDenied):
            services.prompt_add(workshop=workshop, actor=people[who], text="Sneaky?")
        with pytest.raises(PermissionDenied):
            services.workshop_start(workshop=workshop, actor=people[who])


def test_once_dots_are_cast_the_budget_can_only_grow_and_the_target_stays(live_workshop, people):
    from compact.workshops.models import DotVote, Participant

    facilitator = people[Role.FACILITATOR]
    participant = Participant.objects.create(workshop=live_workshop, user=people[Role.MEMBER], display_name="M")
    idea = live_workshop.ideas.create(
        prompt=live_workshop.prompts.first(), text="An idea", idempotency_key=uuid.uuid4()
    )
    DotVote.objects.create(workshop=live_workshop, participant=participant, idea=idea, dots=2)
    with pytest.raises(ValidationError) as exc:
        services.workshop_update(
            workshop=live_workshop, actor=facilitator, dots_per_participant=3, vote_target="themes"
        )
    assert set(exc.value.message_dict) == {"dots_per_participant", "vote_target"}
    live_workshop.refresh_from_db()
    services.workshop_update(workshop=live_workshop, actor=facilitator, dots_per_participant=8)
    assert Workshop.objects.get(pk=live_workshop.pk).dots_per_participant == 8
