"""Votes waiting for the person, on the dashboard's "What needs you now"."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from compact.processes.dashboard import Attention

from .selectors import proposals_awaiting_vote


def votes_waiting(user) -> list[Attention]:
    return [
        Attention(
            tag="Your vote",
            tag_colour="blue",
            url=reverse("proposal_detail", args=[p.partnership.slug, p.pk]),
            title=p.title,
            due=p.closes_at,
            text=f"{p.partnership.name}, voting closes {date_format(timezone.localtime(p.closes_at), 'j F Y, H:i')}",
        )  # fmt: skip
        for p in proposals_awaiting_vote(user)
    ]
