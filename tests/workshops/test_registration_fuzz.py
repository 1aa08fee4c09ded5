"""Arbitrary input to the registration forms (member, guest, invite): never a 500, and either
saved (redirect, or the guest's confirmation page) or shown again with the GOV.UK error summary
and nothing half-saved."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact.activity.notifications import KINDS, Kind
from compact.geography.models import AreaKind
from compact.partnerships.models import Role
from compact.workshops import notifications
from compact.workshops.models import GuestInvitation, Registration
from compact.workshops.services import registration as services

from ..factories import ERROR_SUMMARY, AreaFactory, PartnershipOrganisationFactory

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
FUZZ = settings(
    max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


@pytest.fixture(autouse=True)
def _kinds(monkeypatch):
    for key in (notifications.REGISTERED, notifications.PLACE_OFFERED):
        if key not in KINDS:
            monkeypatch.setitem(KINDS, key, Kind(key, key, ""))


def field(*valid):
    """A valid value three times in four, otherwise arbitrary text."""
    return st.integers(0, 3).flatmap(lambda n: TEXT if n == 0 else st.sampled_from(valid))


def counts():
    return (Registration.objects.count(), GuestInvitation.objects.filter(used_at__isnull=False).count(),
            GuestInvitation.objects.count())  # fmt: skip


@pytest.fixture
def choices(workshop):
    borough = AreaFactory(code="E09000023", name="Lewisham", kind=AreaKind.BOROUGH)
    workshop.partnership.places.add(borough)
    organisation = PartnershipOrganisationFactory(partnership=workshop.partnership).organisation
    return {"borough": str(borough.pk), "organisation": str(organisation.pk)}


def _url(name, workshop):
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug])


def test_fuzz_member_registration(client, workshop, people, choices):
    client.force_login(people[Role.MEMBER])
    url = _url("workshop_register", workshop)

    @FUZZ
    @given(
        st.fixed_dictionaries({
            "organisation": field("", choices["organisation"], "999999", "-1"),
            "borough": field("", choices["borough"], "abc"),
            "access_needs": field("", "Step-free access", "bell\x07", "x" * 2001, "<script>alert(1)</script>"),
        })
    )  # fmt: skip
    def post(data):
        Registration.objects.all().delete()
        before = counts()
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ERROR_SUMMARY in response.content.decode()
            assert counts() == before
        else:
            assert Registration.objects.filter(user=people[Role.MEMBER]).count() == 1

    post()


def test_fuzz_guest_registration(client, workshop, people, choices):
    @FUZZ
    @given(
        st.fixed_dictionaries({
            "name": field("Grace Hopper", "", "Two\nlines", "a" * 201),
            "organisation_name": field("", "Navy, Inc", "=HYPERLINK(1)", "a\r\nb"),
            "borough": field("", choices["borough"], "999999"),
            "access_needs": field("", "Large print", "\x00", "x" * 2001),
        })
    )  # fmt: skip
    def post(data):
        Registration.objects.all().delete()
        _inv, token = services.guest_invite(workshop=workshop, actor=people[Role.FACILITATOR], email="g@example.org")
        before = counts()
        response = client.post(reverse("workshop_guest_register", args=[token]), data)
        assert response.status_code == 200, response.status_code
        text = response.content.decode()
        if ERROR_SUMMARY in text:
            assert counts() == before  # the link still works
        else:
            assert "You are registered" in text and Registration.objects.count() == 1
            assert GuestInvitation.objects.filter(used_at__isnull=False).count() == before[1] + 1

    post()


def test_fuzz_guest_tokens(client, workshop, people):
    services.guest_invite(workshop=workshop, actor=people[Role.FACILITATOR], email="g@example.org")

    @FUZZ
    @given(st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="/?#%"), min_size=1,
                   max_size=300))  # fmt: skip
    def get(token):
        try:
            path = reverse("workshop_guest_register", args=[token])
        except Exception:  # noqa: BLE001 - not routable: nothing to test
            return
        response = client.get(path)
        assert response.status_code in (404, 410), response.status_code

    get()


def test_fuzz_invite_a_guest(client, workshop, people):
    client.force_login(people[Role.FACILITATOR])
    url = _url("workshop_invite_guest", workshop)

    @FUZZ
    @given(
        st.fixed_dictionaries({
            "email": field("new@example.org", "", "a@b", people[Role.MEMBER].email, "x@y.z\nBcc: v@w.x"),
            "name": field("", "Grace", "Two\nlines"),
        })
    )  # fmt: skip
    def post(data):
        before = counts()
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ERROR_SUMMARY in response.content.decode()
            assert counts() == before

    post()
