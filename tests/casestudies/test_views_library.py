"""The library pages: search and filters, who sees which case studies, the public library (its
published version only), pagination, the HTMX results partial, exports, and a query count that
does not grow with the number of case studies."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from compact.casestudies import services
from compact.casestudies.models import CaseStudy, CaseStudyClinicalArea, FeaturedOrganisation, Status, Version
from compact.core.docx import DOCX_TYPE

from ..factories import AreaFactory, OrganisationFactory
from .conftest import sync_search

pytestmark = pytest.mark.django_db

ASTHMA, CARERS, MOSQUE, FALLS = (
    "Asthma nurses in schools", "Carers' breaks", "Hypertension checks at the mosque", "Falls prevention classes",
)  # fmt: skip
WORSHIP = "Blood pressure checks at a place of worship"
TEXTS = {
    ASTHMA: {"summary": "School nurses teach children to use inhalers.", "challenge": "Pupils missed lessons."},
    CARERS: {"summary": "Short breaks for unpaid carers.", "challenge": "Carers had no respite at weekends."},
    MOSQUE: {"summary": "Checks after Friday prayers.", "challenge": "Men rarely saw a GP."},
    FALLS: {"summary": "Strength and balance classes.", "challenge": "Older people fell at home."},
}


@pytest.fixture
def library(partnership, cast, key_area, borough, charity):
    """Asthma: published on the web, named. Carers: the author's draft. Mosque: published on the
    web, anonymised (it features Southwark Carers). Falls: in review, started by an editor."""
    editor = cast["convenor"]
    plus = services.plus_group_create(partnership=partnership, actor=editor, name="People experiencing homelessness")
    southwark, carers_org = (
        AreaFactory(code="E09000028", name="Southwark"),
        OrganisationFactory(name="Southwark Carers"),
    )
    rows = [
        (ASTHMA, cast["author"], borough, charity, True, ["cyp_asthma"], [key_area], []),
        (CARERS, cast["author"], southwark, None, False, [], [], [plus]),
        (MOSQUE, cast["author"], borough, carers_org, True, ["adult_hypertension"], [key_area], []),
        (FALLS, editor, southwark, None, False, [], [], []),
    ]
    made = {}
    for title, actor, place, org, core20, areas, key_areas, plus_groups in rows:
        cs = services.case_study_create(partnership=partnership, actor=actor, title=title, **TEXTS[title])
        if org:
            services.featured_organisation_add(case_study=cs, actor=actor, organisation=org)
        services.case_study_update(
            case_study=cs, actor=actor, places=[place], core20=core20, clinical_areas=areas, key_areas=key_areas,
            plus_groups=plus_groups,
        )  # fmt: skip
        made[title] = cs
    published = {"status": Status.PUBLISHED, "published_web": True, "published_document": True}
    CaseStudy.objects.filter(pk=made[ASTHMA].pk).update(**published, published_version=Version.NAMED)
    CaseStudy.objects.filter(pk=made[MOSQUE].pk).update(
        **published, published_version=Version.ANONYMISED, anonymised_title=WORSHIP,
        anonymised_summary="Checks at a faith centre.", anonymised_challenge="Few men saw a doctor.",
    )  # fmt: skip
    CaseStudy.objects.filter(pk=made[FALLS].pk).update(status=Status.IN_REVIEW)
    sync_search(made[MOSQUE].pk)
    return made | {"plus": plus, "southwark": southwark, "carers_org": carers_org}


def found(client, slug, public=False, **query) -> list[str]:
    response = client.get(reverse("public_case_studies" if public else "casestudy_library", args=[slug]), query)
    assert response.status_code == 200
    return sorted(view.title if public else cs.title for cs, view in response.context["items"])


def test_search_by_a_word_in_the_title_summary_or_a_section(client, partnership, cast, library):
    client.force_login(cast["convenor"])
    assert found(client, partnership.slug, q="ASTHMA") == [ASTHMA]
    assert found(client, partnership.slug, q="inhalers") == [ASTHMA]
    assert found(client, partnership.slug, q=" respite  ") == [CARERS]
    assert found(client, partnership.slug, q="no such words") == []


def test_filters(client, partnership, cast, library, key_area, borough, charity):
    client.force_login(cast["convenor"])
    slug = partnership.slug
    assert found(client, slug, key_area=key_area.pk) == [ASTHMA, MOSQUE]
    assert found(client, slug, place=library["southwark"].code) == [CARERS, FALLS]
    assert found(client, slug, organisation=library["carers_org"].org_id) == [MOSQUE]
    assert found(client, slug, tag="core20") == [ASTHMA, MOSQUE]
    assert found(client, slug, tag=f"plus-{library['plus'].pk}") == [CARERS]
    assert found(client, slug, tag="area-cyp_asthma") == [ASTHMA]
    assert found(client, slug, status=Status.IN_REVIEW) == [FALLS]
    assert found(client, slug, place=borough.code, organisation=charity.org_id, q="nurses") == [ASTHMA]


def test_only_editors_have_the_status_filter(client, partnership, cast, library):
    for role, has_it in (("convenor", True), ("facilitator", True), ("author", False), ("member", False)):
        client.force_login(cast[role])
        response = client.get(reverse("casestudy_library", args=[partnership.slug]))
        assert ('name="status"' in response.content.decode()) == has_it, role
    client.logout()
    assert 'name="status"' not in client.get(reverse("public_case_studies", args=[partnership.slug])).content.decode()


def test_members_see_published_ones_and_their_own(client, partnership, cast, library):
    expected = {"convenor": [ASTHMA, CARERS, FALLS, MOSQUE], "author": [ASTHMA, CARERS, MOSQUE],
                "member": [ASTHMA, MOSQUE], "observer": [ASTHMA, MOSQUE]}  # fmt: skip
    for role, titles in expected.items():
        client.force_login(cast[role])
        assert found(client, partnership.slug) == titles, role


def test_members_read_the_published_version_in_the_library(client, partnership, cast, library):
    client.force_login(cast["member"])
    page = client.get(reverse("casestudy_library", args=[partnership.slug])).content.decode()
    assert WORSHIP in page
    assert MOSQUE not in page and "Southwark Carers" not in page
    assert found(client, partnership.slug, q="mosque") == []


def test_the_public_library_shows_and_searches_only_the_published_version(client, partnership, library):
    slug = partnership.slug
    assert found(client, slug, public=True) == [ASTHMA, WORSHIP]
    assert found(client, slug, public=True, q="worship") == [WORSHIP]
    assert found(client, slug, public=True, q="mosque") == []
    assert found(client, slug, public=True, q="Southwark Carers") == []
    assert found(client, slug, public=True, q="respite") == []  # a draft's words
    page = client.get(reverse("public_case_studies", args=[slug])).content.decode()
    assert MOSQUE not in page and CARERS not in page and FALLS not in page


def test_the_public_cannot_find_which_organisation_an_anonymised_one_features(client, partnership, library):
    carers = library["carers_org"]
    assert found(client, partnership.slug, public=True, organisation=carers.org_id) == []
    assert carers.name not in client.get(reverse("public_case_studies", args=[partnership.slug])).content.decode()


def make(partnership, author, n, *, key_area, place, organisation, plus=None, prefix="Story"):
    """n drafts with every kind of tag, cheaply."""
    made = CaseStudy.objects.bulk_create(
        [CaseStudy(partnership=partnership, title=f"{prefix} {i}", summary="S.", created_by=author) for i in range(n)]
    )
    for cs in made:
        cs.places.add(place)
        cs.key_areas.add(key_area)
        if plus is not None:
            cs.plus_groups.add(plus)
    FeaturedOrganisation.objects.bulk_create(
        [FeaturedOrganisation(case_study=cs, organisation=organisation) for cs in made]
    )
    CaseStudyClinicalArea.objects.bulk_create([CaseStudyClinicalArea(case_study=cs, area="cyp_asthma") for cs in made])
    return made


def test_pagination(client, partnership, cast, key_area, borough, charity):
    make(partnership, cast["author"], 53, key_area=key_area, place=borough, organisation=charity)
    client.force_login(cast["convenor"])
    url = reverse("casestudy_library", args=[partnership.slug])
    first, second = client.get(url), client.get(url, {"page": 2})
    assert (len(first.context["items"]), len(second.context["items"])) == (20, 20)
    assert "Page 1 of 3" in first.content.decode() and 'rel="next"' in first.content.decode()
    assert client.get(url, {"page": "999"}).context["page"].number == 3
    assert len(client.get(url, {"page": "3"}).context["items"]) == 13


def test_an_htmx_request_gets_only_the_results(client, partnership, cast, library):
    client.force_login(cast["convenor"])
    for url in (
        reverse("casestudy_library", args=[partnership.slug]),
        reverse("public_case_studies", args=[partnership.slug]),
    ):
        response = client.get(url, {"q": "asthma"}, headers={"HX-Request": "true"})
        names = [t.name for t in response.templates]
        assert names[0] == "casestudies/partials/library_results.html" and "base.html" not in names
        content = response.content.decode()
        assert "<html" not in content and 'role="search"' not in content and ASTHMA in content


# Exports ----------------------------------------------------------------------------------------


def export(client, partnership, **query):
    return client.get(reverse("casestudy_export", args=[partnership.slug]), query)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def docx_text(response) -> str:
    document = Document(io.BytesIO(response.content))
    return "\n".join(p.text for p in document.paragraphs)


def test_exports(client, partnership, cast, library):
    client.force_login(cast["convenor"])
    carers = library[CARERS]
    response = export(client, partnership, format="csv", ids=carers.pk)
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert len(rows) == 2 and rows[1][0] == CARERS
    response = export(client, partnership, format="docx", ids=carers.pk)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    response = export(client, partnership, format="html", ids=carers.pk)
    assert response.status_code == 200 and "Carers had no respite" in response.content.decode()
    assert export(client, partnership, format="pdf", ids=carers.pk).status_code == 404
    assert export(client, partnership, format="html", ids="not-a-number").status_code == 200  # bad ids are ignored


def test_a_member_exports_an_anonymised_one_as_published(client, partnership, cast, library):
    client.force_login(cast["member"])
    mosque = library[MOSQUE]
    rows = csv_rows(export(client, partnership, format="csv", ids=mosque.pk))
    assert rows[1][0] == WORSHIP and "Few men saw a doctor." in rows[1]
    for fmt in ("csv", "docx", "html"):
        response = export(client, partnership, format=fmt, ids=mosque.pk)
        assert "mosque" not in response.get("Content-Disposition", "").lower(), fmt
        body = docx_text(response) if fmt == "docx" else response.content.decode("utf-8-sig")
        assert WORSHIP in body, fmt
        assert MOSQUE not in body and "Men rarely saw a GP" not in body and "Southwark Carers" not in body, fmt
    assert export(client, partnership, format="csv", ids=library[CARERS].pk).status_code == 404  # not theirs


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["convenor", "member", "anonymous"])
def test_the_library_costs_the_same_queries_for_3_or_30(client, partnership, cast, key_area, borough, charity, role):
    plus = services.plus_group_create(partnership=partnership, actor=cast["convenor"], name="Carers")
    tags = {"key_area": key_area, "place": borough, "organisation": charity, "plus": plus}
    stories = make(partnership, cast["author"], 3, **tags)
    if role == "anonymous":
        url = reverse("public_case_studies", args=[partnership.slug])
    else:
        url = reverse("casestudy_library", args=[partnership.slug])
        client.force_login(cast[role])

    def count() -> int:
        CaseStudy.objects.filter(pk__in=[cs.pk for cs in stories]).update(
            status=Status.PUBLISHED, published_version=Version.NAMED, published_web=True
        )
        client.get(url)  # warm: sessions, content types
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.context["page"].paginator.count == len(stories)
        return len(queries)

    few = count()
    stories += make(partnership, cast["author"], 27, prefix="More", **tags)
    assert count() <= few + 2
