"""The demo's workshops: South East London's July workshop with its published write-up, and a
workshop Kensington & Chelsea and Westminster has planned, loaded without emailing anyone."""

import pytest
from django.core import mail

from compact.processes.demo import load_demo
from compact.workshops.models import Idea, Registration, Workshop

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_workshop_and_a_planned_one(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo() is True
    assert mail.outbox == []
    july = Workshop.objects.get(partnership__slug="south-east-london")
    assert july.state == Workshop.State.PUBLISHED and july.starts_at.date().isoformat() == "2026-07-22"
    assert july.write_up.published_at and july.results_revealed and not july.voting_open
    assert Idea.objects.filter(workshop=july).count() == 15
    assert Idea.objects.filter(workshop=july, theme__isnull=False).count() == 10
    assert set(Idea.objects.filter(workshop=july).exclude(table_label="").values_list("table_label", flat=True)) == {
        "Table 1", "Table 2",
    }  # fmt: skip
    assert july.access_needs_deleted_at is not None
    assert not Registration.objects.exclude(access_needs="").exists()  # deleted after the workshop
    assert july.prompts.filter(key_area__isnull=False).count() == 4

    planned = Workshop.objects.get(partnership__slug="kensington-chelsea-and-westminster")
    assert planned.state == Workshop.State.PLANNED and planned.prompts.count() == 2
    assert planned.registrations.get().user.email == "convenor@example.org"
