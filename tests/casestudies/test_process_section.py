"""The process page lists the case studies that support its key areas, as each person may see
them: a member sees published ones, an editor sees drafts too."""

import pytest
from django.urls import reverse

from compact.casestudies import services

from .conftest import to_approved

pytestmark = pytest.mark.django_db


def _page(client, user, process):
    client.force_login(user)
    return client.get(reverse("process_detail", args=[process.partnership.slug, process.slug])).content.decode()


def test_case_studies_show_under_the_key_areas_they_support(client, process, cast, case_study, key_area):
    services.case_study_update(case_study=case_study, actor=cast["author"], key_areas=[key_area])
    editor, member = cast["convenor"], cast["member"]
    page = _page(client, editor, process)
    assert "Case studies as evidence" in page and key_area.title in page and case_study.title in page
    assert case_study.title not in _page(client, member, process)  # a draft is not theirs to see

    approved = to_approved(case_study, editor)
    services.case_study_publish(case_study=approved, actor=editor, uses={"document"})
    assert case_study.title in _page(client, member, process)


def test_an_observer_with_nothing_to_see_gets_no_section(client, process, cast):
    assert "Case studies as evidence" not in _page(client, cast["observer"], process)
