"""Planning pages: plan a workshop, add and change prompts, run the session; who sees what."""

import html
import re

import pytest
from django.urls import reverse

from compact.partnerships.models import Role
from compact.processes.models import StageKind
from compact.workshops.models import Prompt, Workshop

from ..factories import ERROR_SUMMARY, at_stage, field_errors
from .conftest import at

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def url(name, workshop, *extra):
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug, *extra])


def test_a_facilitator_plans_a_workshop_from_the_process_page(client, workshop_process, people):
    client.force_login(people[Role.FACILITATOR])
    process_page = reverse("process_detail", args=[workshop_process.partnership.slug, workshop_process.slug])
    assert "Plan a workshop" in text(client.get(process_page))
    new = reverse("workshop_create", args=[workshop_process.partnership.slug, workshop_process.slug])
    day = at(days=10).date().isoformat()
    form = {"title": "Shaping the charter", "date": day, "start_time": "10:00", "end_time": "09:00",
            "format": "hybrid", "venue": "", "dots_per_participant": 5, "access": ["step_free", "bsl"]}  # fmt: skip
    refused = client.post(new, form)
    assert ERROR_SUMMARY in refused.content.decode()
    assert field_errors(refused, "end_time") == ["The end time must be after the start time"]
    assert field_errors(refused, "venue") == ["Enter where the workshop is"]
    response = client.post(
        new, form | {"end_time": "13:00", "venue": "Civic Centre", "online_link": "meet.example.org/w"}, follow=True
    )
    shown = text(response)
    assert "Shaping the charter has been planned." in shown
    workshop = Workshop.objects.get()
    assert workshop.online_link == "https://meet.example.org/w" and workshop.access == ["step_free", "bsl"]
    assert "Step-free access" in shown and "British Sign Language interpreter" in shown
    assert workshop.join_code in shown
    assert "Shaping the charter" in text(client.get(process_page))


def test_prompts_are_added_changed_opened_and_closed(client, workshop, people):
    client.force_login(people[Role.FACILITATOR])
    detail = url("workshop_detail", workshop)
    response = client.post(detail, {"prompt-text": "  ", "prompt-key_area": ""})
    assert field_errors(response, "prompt-text") == ["Enter the question"]
    response = client.post(detail, {"prompt-text": "Who is missing from the room?", "prompt-key_area": ""}, follow=True)
    assert "The prompt has been added." in text(response) and "Who is missing from the room?" in text(response)
    prompt = workshop.prompts.get(text="Who is missing from the room?")
    client.post(url("prompt_edit", workshop, prompt.pk), {"prompt-text": "Who is not here today?"})
    prompt.refresh_from_db()
    assert prompt.text == "Who is not here today?"

    assert client.post(url("prompt_open", workshop, prompt.pk)).status_code == 403  # not live yet
    response = client.post(url("workshop_start", workshop), follow=True)
    assert "The workshop is live." in text(response)
    client.post(url("prompt_open", workshop, prompt.pk))
    prompt.refresh_from_db()
    assert prompt.state == Prompt.State.OPEN
    client.post(url("prompt_close", workshop, prompt.pk))
    prompt.refresh_from_db()
    assert prompt.state == Prompt.State.CLOSED
    response = client.post(url("workshop_end", workshop), follow=True)
    assert "The workshop has ended." in text(response)


def test_members_see_the_workshop_but_cannot_change_it(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    page = text(client.get(url("workshop_detail", workshop)))
    assert "What would make funding fairer?" in page
    assert "Edit workshop details" not in page and "Add a prompt" not in page and "Start the workshop" not in page
    assert client.post(url("workshop_detail", workshop), {"prompt-text": "Sneaky?"}).status_code == 403
    assert client.get(url("workshop_edit", workshop)).status_code == 403
    assert client.post(url("workshop_start", workshop)).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(url("workshop_detail", workshop)).status_code == 404


def test_a_workshop_waits_for_its_stage_to_go_live(client, workshop, people, workshop_process):
    at_stage(workshop_process, StageKind.LEADERSHIP)
    client.force_login(people[Role.FACILITATOR])
    page = text(client.get(url("workshop_detail", workshop)))
    assert "Start the workshop" not in page
    assert "The workshop can start once the process reaches a stage that runs workshops." in page
    assert client.post(url("workshop_start", workshop)).status_code == 403


ROLES = [Role.CONVENOR, Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"]
STAGES = ["setup", StageKind.LEADERSHIP, StageKind.WORKSHOPS, StageKind.DRAFTING, "closed"]
STATES = list(Workshop.State.values)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("state", STATES)
def test_planning_permissions_by_role_stage_and_state(workshop, workshop_process, people, stage, state):
    process = at_stage(workshop_process, stage)
    Workshop.objects.filter(pk=workshop.pk).update(state=state)
    workshop = Workshop.objects.select_related("process").get(pk=workshop.pk)
    workshop.process = process
    organiser_states = {"planned", "live", "ended"}
    for role in ROLES:
        user = people[role]
        organiser = role in (Role.CONVENOR, Role.FACILITATOR)
        assert user.has_perm("workshops.view_workshop", workshop) == (role != "outsider"), role
        assert user.has_perm("workshops.add_workshop", process) == (organiser and stage != "closed"), role
        assert user.has_perm("workshops.change_workshop", workshop) == (organiser and state in organiser_states)
        assert user.has_perm("workshops.start_workshop", workshop) == (
            organiser and state == "planned" and stage == StageKind.WORKSHOPS
        ), (role, state, stage)
        assert user.has_perm("workshops.facilitate", workshop) == (organiser and state in {"live", "ended"})
        assert user.has_perm("workshops.publish", workshop) == (organiser and state in {"ended", "published"})


def test_the_workshop_page_offers_registration_to_participants_and_the_list_to_organisers(client, workshop, people):
    detail = url("workshop_detail", workshop)
    client.force_login(people[Role.MEMBER])
    page = text(client.get(detail))
    assert "Register for this workshop" in page and "Who has registered" not in page
    client.post(url("workshop_register", workshop), {"organisation": "", "borough": "", "access_needs": ""})
    assert "You are registered. See or cancel your place" in text(client.get(detail))
    client.force_login(people[Role.OBSERVER])
    assert "Register for this workshop" not in text(client.get(detail))
    client.force_login(people[Role.FACILITATOR])
    page = text(client.get(detail))
    assert "Who has registered" in page and "Invite a guest without an account" in page
    assert "1 registered, 29 places left" in page


def test_the_workshop_page_links_to_the_wall_and_organisers_to_the_projector(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    page = client.get(url("workshop_detail", workshop)).content.decode()
    assert url("workshop_wall", workshop) in page and url("workshop_projector", workshop) not in page
    client.force_login(people[Role.FACILITATOR])
    page = client.get(url("workshop_detail", workshop)).content.decode()
    assert url("workshop_projector", workshop) in page and workshop.join_code in page


# views/common.py: finding the workshop, and a service's errors as words ---------------------------


def test_a_workshop_page_finds_the_workshop_in_one_query(rf, workshop, people):
    """The process is read once, inside the workshop's own query (it used to be read alone first,
    with its stages, and then again with the workshop)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compact.workshops.views.common import workshop_for

    request = rf.get("/")
    request.user = people[Role.MEMBER]
    args = (workshop.partnership.slug, workshop.process.slug, workshop.slug)
    with CaptureQueriesContext(connection) as ctx:
        partnership, found = workshop_for(request, *args)
    reads = [q["sql"] for q in ctx.captured_queries if '"processes_process"' in q["sql"]]
    assert len(reads) == 1 and 'FROM "workshops_workshop"' in reads[0]
    assert not [q for q in ctx.captured_queries if '"processes_stage"' in q["sql"] and "workshops" not in q["sql"]]
    assert found == workshop and found.partnership is partnership and found.process.partnership is partnership
    assert found.process == workshop.process and found.stage == workshop.stage
    with CaptureQueriesContext(connection) as ctx:
        assert found.process.slug and found.partnership.slug and found.stage.pk
    assert ctx.captured_queries == []  # nothing loaded later


def test_a_workshop_of_another_process_or_partnership_is_not_found(rf, workshop, people):
    from django.http import Http404

    from compact.workshops.views.common import workshop_for

    from ..factories import ProcessFactory

    other = ProcessFactory(partnership=workshop.partnership)
    request = rf.get("/")
    request.user = people[Role.MEMBER]
    for args in [(workshop.partnership.slug, other.slug, workshop.slug),
                 (workshop.partnership.slug, workshop.process.slug, "nope")]:  # fmt: skip
        with pytest.raises(Http404):
            workshop_for(request, *args)


def test_service_errors_become_words_for_the_page():
    from django.core.exceptions import ValidationError

    from compact.core.validation import error_messages, error_text

    by_field = ValidationError({"name": ["Enter a name", "Use fewer words"], "k": "Enter a number"})
    assert error_messages(by_field) == {"name": "Enter a name Use fewer words", "k": "Enter a number"}
    assert error_text(by_field) == "Enter a name Use fewer words Enter a number"
    plain = ValidationError(["This workshop has finished.", ValidationError("Places can no longer change.")])
    assert error_messages(plain) == {"__all__": "This workshop has finished. Places can no longer change."}
    assert error_text(ValidationError("Only %(who)s can.", params={"who": "facilitators"})) == "Only facilitators can."
