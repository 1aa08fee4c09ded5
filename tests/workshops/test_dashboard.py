"""The dashboard lists workshops you registered for in the next two weeks, and organisers see
today's planned workshops still to start."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from compact.partnerships.models import Role
from compact.workshops.models import Workshop
from compact.workshops.services.registration import registration_create_for_member

pytestmark = pytest.mark.django_db


def dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_a_registered_workshop_shows_until_it_ends(client, workshop, people):
    member = people[Role.MEMBER]
    assert "Shaping the charter" not in dashboard(client, member)
    registration_create_for_member(workshop=workshop, actor=member)
    page = dashboard(client, member)
    assert "Shaping the charter" in page and "govuk-tag--purple" in page
    Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.CANCELLED)
    assert "Shaping the charter" not in dashboard(client, member)


def test_organisers_are_reminded_to_start_todays_workshop(client, workshop, people):
    later_today = timezone.now() + dt.timedelta(minutes=30)
    if timezone.localtime(later_today).date() != timezone.localdate():
        later_today = timezone.now()  # just before midnight: start now
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=later_today, ends_at=later_today + dt.timedelta(hours=2))
    assert "start it when people arrive" in dashboard(client, people[Role.FACILITATOR])
    assert "start it when people arrive" not in dashboard(client, people[Role.MEMBER])
