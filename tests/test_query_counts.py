"""The busiest pages make the same number of database queries whatever the amount of data:
measured with a little data (N) and with five times as much (5N)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.organisations.models import OrganisationIdentifier
from compact.partnerships import services as partnership_services
from compact.partnerships.models import BodyMember, Role
from compact.processes.models import Stage, StageKind, StageStatus
from tests.factories import (
    AreaFactory,
    BodyFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipOrganisationFactory,
    ProcessFactory,
    days_from_today,
    invitation_for,
    member,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url, **kwargs):
    client.get(url, **kwargs)  # warm caches that are filled once per process, not per request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries], len(response.content)


def assert_same(small, large):
    n_small, sql_small, size_small = small
    n_large, sql_large, size_large = large
    assert size_large > size_small, "the larger data set should show more on the page"
    assert n_small == n_large, "\n".join(["-- small:", *sql_small, "-- large:", *sql_large])


class World:
    """Adds data to one partnership in steps, so the same page can be measured twice."""

    def __init__(self, partnership, convenor):
        self.partnership = partnership
        self.convenor = convenor
        self.n = 0
        self.places = [AreaFactory(kind=kind) for kind in ("icb", "borough", "borough")]
        partnership.places.set(self.places)

    def grow(self, count):
        for _ in range(count):
            self.n += 1
            i = self.n
            org = OrganisationFactory(kind="vcse" if i % 2 else "nhs_trust", size_band="small")
            org.places_served.set(self.places[: 1 + i % 3])
            OrganisationIdentifier.objects.create(organisation=org, value=f"GB-COH-{10000000 + i}")
            PartnershipOrganisationFactory(partnership=self.partnership, organisation=org)
            person = member(self.partnership, [Role.MEMBER, Role.FACILITATOR, Role.OBSERVER][i % 3])
            body = BodyFactory(partnership=self.partnership)
            BodyMember.objects.create(body=body, user=person, organisation=org)
            BodyMember.objects.create(body=body, user=self.convenor)
            process = ProcessFactory(partnership=self.partnership, stages=list(StageKind.values)[: 2 + i % 6])
            first = process.stages.order_by("position").first()
            Stage.objects.filter(pk=first.pk).update(
                status=StageStatus.ACTIVE,
                starts_on=days_from_today(-5),
                ends_on=days_from_today(i % 20 - 5),
            )
            invitation_for(self.partnership, by=self.convenor, email=f"invitee{i}@example.org", organisation=org)
            partnership_services.body_create(
                partnership=self.partnership, actor=self.convenor, name=f"Audited {i}", kind="other"
            )


@pytest.fixture
def world(partnership, people):
    return World(partnership, people["convenor"])


def _measure(client, world, url_fn, small=5, large=40, **kwargs):
    world.grow(small)
    first = count_queries(client, url_fn(), **kwargs)
    world.grow(large - small)
    second = count_queries(client, url_fn(), **kwargs)
    return first, second


def test_organisation_directory(client, world, people):
    client.force_login(people["member"])
    url = lambda: reverse("organisation_directory", args=[world.partnership.slug])  # noqa: E731
    assert_same(*_measure(client, world, url))


def test_organisation_directory_filtered_and_htmx(client, world, people):
    client.force_login(people["member"])
    url = lambda: reverse("organisation_directory", args=[world.partnership.slug]) + "?q=GB&kind=vcse"  # noqa: E731
    assert_same(*_measure(client, world, url, headers={"HX-Request": "true"}))


def test_partnership_overview(client, world, people):
    client.force_login(people["convenor"])
    url = lambda: reverse("partnership_detail", args=[world.partnership.slug])  # noqa: E731
    assert_same(*_measure(client, world, url, small=2, large=10))


def test_people_page(client, world, people):
    client.force_login(people["convenor"])
    url = lambda: reverse("partnership_people", args=[world.partnership.slug])  # noqa: E731
    assert_same(*_measure(client, world, url, small=3, large=15))


def test_audit_log(client, world, people):
    client.force_login(people["convenor"])
    url = lambda: reverse("audit_log", args=[world.partnership.slug])  # noqa: E731
    assert_same(*_measure(client, world, url, small=3, large=15))


def test_dashboard(client, world, people):
    """More partnerships, processes with stages, and invitations for the person."""
    convenor = people["convenor"]
    client.force_login(convenor)

    def grow_elsewhere(count):
        for _ in range(count):
            other = PartnershipFactory()
            member(other, Role.CONVENOR)
            other.memberships.create(user=convenor, role=Role.FACILITATOR)
            ProcessFactory(partnership=other)
            PartnershipOrganisationFactory(partnership=other)

    world.grow(2)
    grow_elsewhere(1)
    small = count_queries(client, "/dashboard/")
    world.grow(8)
    grow_elsewhere(4)
    large = count_queries(client, "/dashboard/")
    assert_same(small, large)


def test_dashboard_with_invitations(client, partnership, people):
    outsider = people["outsider"]
    client.force_login(outsider)

    def invite(count):
        for _ in range(count):
            other = PartnershipFactory()
            invitation_for(other, by=member(other, Role.CONVENOR), email=outsider.email)

    invite(2)
    small = count_queries(client, "/dashboard/")
    invite(8)
    large = count_queries(client, "/dashboard/")
    assert_same(small, large)


def test_process_page(client, world, people):
    """A process with few stages and few members, then one with every stage and many more
    members and other processes around it."""
    client.force_login(people["convenor"])
    world.grow(2)
    short = ProcessFactory(partnership=world.partnership, stages=["leadership", "drafting"])
    small = count_queries(client, reverse("process_detail", args=[world.partnership.slug, short.slug]))
    world.grow(8)
    full = ProcessFactory(partnership=world.partnership)
    Stage.objects.filter(process=full, kind="workshops").update(status=StageStatus.ACTIVE)
    Stage.objects.filter(process=full, kind="leadership").update(status=StageStatus.DONE)
    large = count_queries(client, reverse("process_detail", args=[world.partnership.slug, full.slug]))
    assert_same(small, large)


def test_body_and_organisation_pages(client, world, people):
    client.force_login(people["convenor"])
    world.grow(1)
    body = BodyFactory(partnership=world.partnership, name="Board")
    org = OrganisationFactory(org_id="GB-CHC-1090095")
    PartnershipOrganisationFactory(partnership=world.partnership, organisation=org)
    body_small = count_queries(client, reverse("body_detail", args=[world.partnership.slug, body.pk]))
    org_small = count_queries(client, reverse("organisation_detail", args=[world.partnership.slug, org.org_id]))
    world.grow(10)
    for m in world.partnership.memberships.all()[:10]:
        BodyMember.objects.get_or_create(body=body, user=m.user)
        m.organisation = org
        m.save()
    org.places_served.set(world.places)
    for i in range(5):
        OrganisationIdentifier.objects.create(organisation=org, value=f"GB-COH-{20000000 + i}")
    body_large = count_queries(client, reverse("body_detail", args=[world.partnership.slug, body.pk]))
    org_large = count_queries(client, reverse("organisation_detail", args=[world.partnership.slug, org.org_id]))
    assert_same(body_small, body_large)
    assert_same(org_small, org_large)
