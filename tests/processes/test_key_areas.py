"""Key areas: organisers add, rename, reorder and remove them until drafting ends; everyone in
the partnership sees them on the process page."""

import html
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from compact.activity.models import AuditEntry
from compact.partnerships.models import Role
from compact.processes import services
from compact.processes.models import KeyArea, StageKind

from ..factories import at_stage, field_errors

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def titles(process) -> list[str]:
    return list(process.key_areas.values_list("title", flat=True))


def test_add_rename_move_and_remove(process, people):
    facilitator = people[Role.FACILITATOR]
    for title in ["Strategic partner", "Funding", "Procurement"]:
        services.key_area_add(process=process, actor=facilitator, title=f"  {title} ")
    assert titles(process) == ["Strategic partner", "Funding", "Procurement"]
    with pytest.raises(ValidationError) as exc:
        services.key_area_add(process=process, actor=facilitator, title="Funding")
    assert exc.value.message_dict["title"] == ["There is already a key area called Funding"]
    with pytest.raises(ValidationError):
        services.key_area_add(process=process, actor=facilitator, title="   ")
    procurement = process.key_areas.get(title="Procurement")
    services.key_area_move(key_area=procurement, actor=facilitator, direction="up")
    assert titles(process) == ["Strategic partner", "Procurement", "Funding"]
    services.key_area_move(key_area=process.key_areas.get(title="Strategic partner"), actor=facilitator, direction="up")
    assert titles(process) == ["Strategic partner", "Procurement", "Funding"]  # already first
    services.key_area_update(key_area=procurement, actor=facilitator, title="Fair procurement")
    services.key_area_remove(key_area=process.key_areas.get(title="Funding"), actor=facilitator)
    assert titles(process) == ["Strategic partner", "Fair procurement"]
    assert AuditEntry.objects.filter(action__startswith="process.").filter(action__contains="key_area").count() == 6


@pytest.mark.parametrize("stage", ["setup", StageKind.LEADERSHIP, StageKind.DRAFTING, StageKind.CONSULTATION, "closed"])
def test_who_may_change_key_areas_by_stage(process, people, stage):
    process = at_stage(process, stage)
    open_stage = stage in ("setup", StageKind.LEADERSHIP, StageKind.DRAFTING)
    for role in [Role.CONVENOR, Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"]:
        allowed = open_stage and role in (Role.CONVENOR, Role.FACILITATOR)
        assert people[role].has_perm("processes.edit_key_areas", process) == allowed, (role, stage)
        if not allowed:
            with pytest.raises(PermissionDenied):
                services.key_area_add(process=process, actor=people[role], title="Sneaky")
    assert not KeyArea.objects.filter(title="Sneaky").exists()


def test_key_areas_page(client, process, people):
    url = reverse("key_areas", args=[process.partnership.slug, process.slug])
    client.force_login(people[Role.CONVENOR])
    response = client.post(url, {"title": "", "description": ""})
    assert field_errors(response, "title") == ["Enter the name"]
    response = client.post(url, {"title": "Funding <b>now</b>", "description": "Grants and contracts"}, follow=True)
    assert "Funding <b>now</b> has been added." in text(response)
    assert "<b>now</b>" not in response.content.decode()  # shown as text
    client.post(url, {"title": "Procurement"})
    area = process.key_areas.get(title="Procurement")
    client.post(reverse("key_area_up", args=[process.partnership.slug, process.slug, area.pk]))
    assert titles(process) == ["Procurement", "Funding <b>now</b>"]
    edit = reverse("key_area_edit", args=[process.partnership.slug, process.slug, area.pk])
    client.post(edit, {"title": "Fair procurement", "description": ""})
    page = text(client.get(reverse("process_detail", args=[process.partnership.slug, process.slug])))
    assert "Key areas Fair procurement Funding <b>now</b> Change key areas" in page
    assert "Change key areas" in page

    client.force_login(people[Role.MEMBER])
    page = text(client.get(url))
    assert "Fair procurement" in page and "Add a key area" not in page and "Move up" not in page
    assert client.post(url, {"title": "Sneaky"}).status_code == 403
    remove = reverse("key_area_remove", args=[process.partnership.slug, process.slug, area.pk])
    assert client.post(remove).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404
