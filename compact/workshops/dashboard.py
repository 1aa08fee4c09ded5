"""Workshops on the dashboard's "What needs you now": ones you registered for in the next two
weeks, and for organisers, today's planned workshops still to start."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from compact.partnerships.models import Membership, Role
from compact.processes.dashboard import Attention

from .models import Registration, Workshop

AHEAD = dt.timedelta(days=14)


def _url(workshop: Workshop) -> str:
    return reverse("workshop_detail", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug])


def _when(workshop: Workshop) -> str:
    return date_format(timezone.localtime(workshop.starts_at), "l j F, H:i")


def workshops_for_you(user) -> list[Attention]:
    now = timezone.now()
    soon = (
        Registration.objects.filter(
            user=user, status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING],
            workshop__state__in=[Workshop.State.PLANNED, Workshop.State.LIVE],
            workshop__ends_at__gt=now, workshop__starts_at__lt=now + AHEAD,
        )
        .select_related("workshop__partnership", "workshop__process")
        .order_by("workshop__starts_at")
    )  # fmt: skip
    items = [
        Attention(
            tag="Workshop" if r.status == Registration.Status.CONFIRMED else "Waiting list",
            tag_colour="purple",
            url=_url(r.workshop),
            title=r.workshop.title,
            due=r.workshop.starts_at,
            text=f"{_when(r.workshop)}" + (", you are on the waiting list" if r.status == "waiting" else ""),
        )  # fmt: skip
        for r in soon
    ]
    organising = Membership.objects.filter(user=user, role__in=[Role.CONVENOR, Role.FACILITATOR]).values("partnership")
    today = (
        Workshop.objects.filter(
            partnership__in=organising, state=Workshop.State.PLANNED,
            starts_at__date=timezone.localdate(), ends_at__gt=now,
        )
        .select_related("partnership", "process")
    )  # fmt: skip
    items += [
        Attention(
            tag="Today",
            tag_colour="green",
            url=_url(w),
            title=w.title,
            due=w.starts_at,
            text=f"starts at {timezone.localtime(w.starts_at):%H:%M}: start it when people arrive",
        )  # fmt: skip
        for w in today
    ]
    return items
