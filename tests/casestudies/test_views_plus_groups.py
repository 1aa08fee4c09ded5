"""Editors choose the partnership's PLUS groups on their own page; case studies are then tagged
and filtered by them."""

import pytest
from django.urls import reverse

from compact.casestudies.models import PlusGroup

from ..factories import field_errors, messages_shown

pytestmark = pytest.mark.django_db


def _url(partnership):
    return reverse("casestudy_plus_groups", args=[partnership.slug])


@pytest.mark.parametrize(
    "role, status",
    [("convenor", 200), ("facilitator", 200), ("author", 403), ("member", 403), ("observer", 403), ("outsider", 404)],
)
def test_only_editors_manage_plus_groups(client, partnership, cast, role, status):
    client.force_login(cast[role])
    assert client.get(_url(partnership)).status_code == status
    response = client.post(_url(partnership), {"name": "Carers"})
    assert response.status_code == (302 if status == 200 else status)
    assert PlusGroup.objects.filter(name="Carers").exists() == (status == 200)


def test_an_added_group_is_offered_to_tag_and_filter_by(client, partnership, cast, case_study):
    client.force_login(cast["convenor"])
    response = client.post(_url(partnership), {"name": "People experiencing homelessness"}, follow=True)
    assert "People experiencing homelessness is added" in " ".join(messages_shown(response))
    edit = client.get(reverse("casestudy_edit", args=[partnership.slug, case_study.pk])).content.decode()
    library = client.get(reverse("casestudy_library", args=[partnership.slug])).content.decode()
    assert "People experiencing homelessness" in edit and "PLUS: People experiencing homelessness" in library


@pytest.mark.parametrize(
    "name, error",
    [("", "Enter the name of the group"), ("Carers", "already"), ("x" * 151, "at most 150"), ("A\nB", "one line")],
)
def test_a_bad_name_is_refused_and_kept(client, partnership, cast, name, error):
    client.force_login(cast["convenor"])
    client.post(_url(partnership), {"name": "Carers"})
    response = client.post(_url(partnership), {"name": name, "description": "Kept as typed"})
    assert response.status_code == 200
    assert error in " ".join(field_errors(response, "name"))
    assert "Kept as typed" in response.content.decode()
    assert PlusGroup.objects.count() == 1
