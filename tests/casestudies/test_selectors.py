"""The library: who sees what, search and filters, with bounded queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from compact.casestudies import selectors, services
from compact.casestudies.models import CaseStudy, Status, Version

from ..factories import AreaFactory, OrganisationFactory
from .conftest import SECTIONS, sync_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(partnership, cast, key_area, borough, charity):
    editor = cast["convenor"]
    plus = services.plus_group_create(partnership=partnership, actor=editor, name="People experiencing homelessness")
    other_place = AreaFactory(code="E09000028", name="Southwark")
    other_org = OrganisationFactory(name="Southwark Carers")
    made = {}
    for i, (title, place, org, core20, tags) in enumerate(
        [
            ("Asthma nurses in schools", borough, charity, True, ["cyp_asthma"]),
            ("Carers' breaks", other_place, other_org, False, []),
            ("Hypertension checks at the mosque", borough, other_org, True, ["adult_hypertension"]),
        ]
    ):
        cs = services.case_study_create(partnership=partnership, actor=cast["author"], title=title, **SECTIONS)
        services.featured_organisation_add(case_study=cs, actor=cast["author"], organisation=org)
        services.case_study_update(
            case_study=cs, actor=cast["author"], places=[place], core20=core20, clinical_areas=tags,
            key_areas=[key_area] if i != 1 else [], plus_groups=[plus] if i == 1 else [],
        )  # fmt: skip
        made[title] = cs
    asthma = made["Asthma nurses in schools"]
    CaseStudy.objects.filter(pk=asthma.pk).update(
        status=Status.PUBLISHED, published_version=Version.NAMED, published_web=True
    )
    hypertension = made["Hypertension checks at the mosque"]
    CaseStudy.objects.filter(pk=hypertension.pk).update(
        status=Status.PUBLISHED, published_version=Version.ANONYMISED, published_document=True,
        anonymised_title="Blood pressure checks at a place of worship",
        anonymised_summary="Checks at a faith centre.",
    )  # fmt: skip
    sync_search(hypertension.pk)
    return made | {"plus": plus, "southwark": other_place, "carers": other_org}


def titles(queryset):
    return sorted(cs.title for cs in queryset)


def test_editors_see_everything_members_see_published_and_their_own(partnership, cast, library):
    assert len(selectors.case_studies_for_user(user=cast["facilitator"], partnership=partnership)) == 3
    assert titles(selectors.case_studies_for_user(user=cast["member"], partnership=partnership)) == [
        "Asthma nurses in schools", "Hypertension checks at the mosque",
    ]  # fmt: skip
    assert len(selectors.case_studies_for_user(user=cast["author"], partnership=partnership)) == 3


def test_the_public_sees_only_what_is_published_on_the_web(partnership, cast, library):
    assert titles(selectors.public_case_studies(partnership=partnership)) == ["Asthma nurses in schools"]
    assert titles(selectors.case_studies_for_user(user=cast["outsider"], partnership=partnership)) == [
        "Asthma nurses in schools"
    ]


def test_search_by_text(partnership, cast, library):
    search = selectors.case_studies_for_user
    assert titles(search(user=cast["convenor"], partnership=partnership, q="  CARERS' ")) == ["Carers' breaks"]
    assert titles(search(user=cast["convenor"], partnership=partnership, q="place of worship")) == [
        "Hypertension checks at the mosque"
    ]
    assert len(search(user=cast["convenor"], partnership=partnership, q="waiting times")) == 3


def test_public_search_never_matches_the_named_text_of_an_anonymised_case_study(partnership, cast, library):
    CaseStudy.objects.filter(pk=library["Hypertension checks at the mosque"].pk).update(published_web=True)
    assert titles(selectors.public_case_studies(partnership=partnership, q="mosque")) == []
    assert titles(selectors.public_case_studies(partnership=partnership, q="worship")) == [
        "Hypertension checks at the mosque"
    ]


def test_filters(partnership, cast, library, key_area, borough, charity):
    def find(**filters):
        return titles(selectors.case_studies_for_user(user=cast["convenor"], partnership=partnership, **filters))

    assert find(key_area=key_area) == ["Asthma nurses in schools", "Hypertension checks at the mosque"]
    assert find(place=library["southwark"]) == ["Carers' breaks"]
    assert find(organisation=library["carers"]) == ["Carers' breaks", "Hypertension checks at the mosque"]
    assert find(core20=True) == ["Asthma nurses in schools", "Hypertension checks at the mosque"]
    assert find(plus_group=library["plus"]) == ["Carers' breaks"]
    assert find(clinical_area="cyp_asthma") == ["Asthma nurses in schools"]
    assert find(status=Status.DRAFT) == ["Carers' breaks"]
    assert find(place=borough, organisation=charity, q="asthma") == ["Asthma nurses in schools"]


def test_queries_are_bounded(partnership, cast, library, django_assert_max_num_queries):
    editor = cast["convenor"]
    editor.has_perm("partnerships.view_partnership", partnership)  # roles cached, as in a request
    for i in range(10):
        services.case_study_create(partnership=partnership, actor=cast["author"], title=f"More {i}", **SECTIONS)
    with django_assert_max_num_queries(8):
        for cs in selectors.case_studies_for_user(user=editor, partnership=partnership, q="waiting"):
            _ = [k.title for k in cs.key_areas.all()] + [p.name for p in cs.places.all()]
            _ = [f.organisation.name for f in cs.featured_organisations.all()]
            _ = [g.name for g in cs.plus_groups.all()] + [c.area for c in cs.clinical_areas.all()]


def test_get_for_user_is_404_alike_for_missing_and_forbidden(partnership, cast, library):
    draft = library["Carers' breaks"]
    assert selectors.case_study_get_for_user(pk=draft.pk, user=cast["author"]) == draft
    for user in (cast["member"], cast["outsider"], AnonymousUser()):
        with pytest.raises(Http404):
            selectors.case_study_get_for_user(pk=draft.pk, user=user)
    for pk in (999999, "not-a-number"):
        with pytest.raises(Http404):
            selectors.case_study_get_for_user(pk=pk, user=cast["convenor"])


def test_detail_is_bounded(case_study, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        detail = selectors.case_study_detail(case_study)
    assert [p.name for p in detail["people"]] == ["Priya Patel"]


def test_a_contact_finds_their_own_unpublished_case_study(partnership, case_study, cast):
    found = selectors.case_studies_for_user(user=cast["contact"], partnership=partnership, q="link workers")
    assert list(found) == [case_study]


def test_search_follows_every_edit_of_either_version(partnership, cast, case_study):
    editor = cast["convenor"]
    search = selectors.case_studies_for_user
    services.case_study_update(case_study=case_study, actor=cast["author"], impact="Ninety Percent felt better.")
    assert titles(search(user=editor, partnership=partnership, q="ninety percent")) == [case_study.title]
    assert titles(search(user=editor, partnership=partnership, q="half")) == []  # the old words are gone
    services.case_study_submit(case_study=case_study, actor=cast["author"])
    services.case_study_start_review(case_study=case_study, actor=editor)
    services.case_study_anonymise(case_study=case_study, actor=editor, anonymised_impact="A Borough Pilot.")
    assert titles(search(user=editor, partnership=partnership, q="borough pilot")) == [case_study.title]
