"""Consultation fixtures: a document at the consultation stage with a saved version and a round
open now (from an hour ago for a week), made through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from compact.drafting import services
from compact.drafting.services import rounds as round_services
from compact.processes.models import StageKind

from .conftest import set_stage


def open_round(document, actor, **extra):
    now = timezone.now()
    version = extra.pop("version", None) or document.versions.order_by("-number").first()
    fields = {
        "title": "Consultation on draft 1", "opens_at": now - dt.timedelta(hours=1),
        "closes_at": now + dt.timedelta(days=7), "for_members": True, "for_public": True,
    } | extra  # fmt: skip
    return round_services.round_create(document=document, actor=actor, version=version, **fields)


@pytest.fixture
def consulting(document, convenor):
    """The document with version 1 saved, its process moved on to consultation."""
    services.version_cut(document=document, actor=convenor, name="Draft 1 for consultation")
    set_stage(document.process, StageKind.CONSULTATION)
    return type(document).objects.select_related("process", "partnership").get(pk=document.pk)


@pytest.fixture
def round(consulting, convenor):
    return open_round(consulting, convenor)
