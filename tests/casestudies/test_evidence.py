"""A case study lists what it is evidence for: the key areas chosen on its edit page, and
anything a higher app (drafting: commitments) registers."""

import pytest
from django.urls import reverse

from compact.casestudies import evidence, services
from compact.casestudies.evidence import Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra_source():
    def commitments(ids):
        return [Support(i, "commitment", "Commitment 2.3: We will pay within 30 days", "/c/2.3/") for i in ids]

    evidence.register_evidence_source(commitments)
    yield
    evidence._SOURCES.remove(commitments)


def test_key_areas_and_registered_sources_in_order(case_study, cast, key_area, extra_source):
    services.case_study_update(case_study=case_study, actor=cast["author"], key_areas=[key_area])
    (first, second) = evidence.supports([case_study.pk])[case_study.pk]
    assert (first.kind, first.label) == ("key area", f"{key_area.title} ({key_area.process.title})")
    assert second.label.startswith("Commitment 2.3")


def test_the_page_shows_what_it_supports_and_how_to_link_it(client, partnership, case_study, cast, key_area):
    client.force_login(cast["author"])
    url = reverse("casestudy_detail", args=[partnership.slug, case_study.pk])
    assert "Not linked to any key area yet" in client.get(url).content.decode()
    services.case_study_update(case_study=case_study, actor=cast["author"], key_areas=[key_area])
    page = client.get(url).content.decode()
    assert "Key area: " in page and key_area.title in page


def test_a_bounded_number_of_queries_for_many_case_studies(case_study, cast, key_area, django_assert_max_num_queries):
    services.case_study_update(case_study=case_study, actor=cast["author"], key_areas=[key_area])
    # One for the key areas, and at most two for the commitments drafting links them to.
    with django_assert_max_num_queries(3):
        evidence.supports(range(1, 500))
