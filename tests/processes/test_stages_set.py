import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.processes import services
from compact.processes.models import StageKind, StageStatus

from ..factories import ProcessFactory


def kinds(process):
    return list(process.stages.order_by("position").values_list("kind", flat=True))


@pytest.fixture
def short_process(partnership):
    return ProcessFactory(partnership=partnership, stages=["leadership", "drafting", "sign_off"])


@pytest.mark.django_db
def test_adding_stages_puts_them_in_the_usual_order(short_process, people):
    services.stages_set(
        process=short_process,
        actor=people[Role.CONVENOR],
        stage_kinds=["sign_off", "workshops", "drafting", "leadership"],
    )
    assert kinds(short_process) == ["leadership", "workshops", "drafting", "sign_off"]
    assert list(short_process.stages.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]
    entry = AuditEntry.objects.get(action="process.stages_set")
    assert entry.changes == {"added": ["Workshops"], "removed": []}


@pytest.mark.django_db
def test_removing_a_planned_stage(short_process, people):
    services.stages_set(process=short_process, actor=people[Role.FACILITATOR], stage_kinds=["leadership", "sign_off"])
    assert kinds(short_process) == ["leadership", "sign_off"]


@pytest.mark.django_db
def test_started_stages_stay_and_nothing_is_added_behind_the_current_stage(short_process, people):
    convenor = people[Role.CONVENOR]
    drafting = short_process.stages.get(kind="drafting")
    services.stage_start(process=short_process, actor=convenor, stage=drafting)
    before = kinds(short_process)
    with pytest.raises(ValidationError) as info:
        services.stages_set(process=short_process, actor=convenor, stage_kinds=["workshops", "sign_off"])
    messages = info.value.message_dict["stage_kinds"]
    assert "Leadership group has already happened, so it stays" in messages
    assert "Drafting has already started, so it stays" in messages
    assert "Workshops would come before where the process has got to, so it cannot be added now" in messages
    assert kinds(short_process) == before
    # Adding a stage after the current one is fine.
    services.stages_set(process=short_process, actor=convenor, stage_kinds=[*before, "consultation"])
    assert kinds(short_process) == ["leadership", "drafting", "consultation", "sign_off"]
    assert short_process.stages.get(kind="consultation").status == StageStatus.PLANNED


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [[], ["nonsense"]])
def test_empty_or_unknown_stage_lists_are_refused(short_process, people, bad):
    with pytest.raises(ValidationError):
        services.stages_set(process=short_process, actor=people[Role.CONVENOR], stage_kinds=bad)
    assert kinds(short_process) == ["leadership", "drafting", "sign_off"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER])
def test_only_convenors_and_facilitators_choose_stages(short_process, people, role):
    with pytest.raises(PermissionDenied):
        services.stages_set(process=short_process, actor=people[role], stage_kinds=list(StageKind.values))


@pytest.mark.django_db
def test_stages_page_saves_and_shows_errors_beside_the_field(client, partnership, short_process, people):
    client.force_login(people[Role.CONVENOR])
    url = reverse("stages_edit", args=[partnership.slug, short_process.slug])
    page = client.get(url).content.decode()
    assert "Choose the stages" in page
    ticked = set(re.findall(r'<input[^>]*value="(\w+)"[^>]*checked', page))
    assert ticked == {"leadership", "drafting", "sign_off"}
    response = client.post(url, {"stage_kinds": ["leadership", "evidence", "drafting", "sign_off"]})
    assert response.status_code == 302 and response["Location"].endswith("/timeline/")
    assert kinds(short_process) == ["leadership", "evidence", "drafting", "sign_off"]
    refused = client.post(url, {})
    assert refused.status_code == 200 and "Choose at least one stage" in refused.content.decode()
    assert kinds(short_process) == ["leadership", "evidence", "drafting", "sign_off"]
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_stages_form_never_fails_on_arbitrary_input(client, partnership, short_process, people):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client.force_login(people[Role.CONVENOR])
    url = reverse("stages_edit", args=[partnership.slug, short_process.slug])
    choice = st.sampled_from(list(StageKind.values)) | st.text(max_size=30)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(choice, max_size=10))
    def post(values):
        response = client.post(url, {"stage_kinds": values})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert "There is a problem" in response.content.decode()
        assert len(kinds(short_process)) >= 1

    post()
