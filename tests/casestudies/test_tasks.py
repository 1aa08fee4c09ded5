"""The expiry sweep is queued for the day after a consent runs out, and takes the case study
down when it runs."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compact.casestudies import tasks
from compact.casestudies.models import CaseStudy, Consent, Status, Use

from .conftest import give_all_consents, to_approved

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_consent_with_an_end_date_queues_the_sweep_for_the_day_after(
    case_study, cast, django_capture_on_commit_callbacks
):
    last_day = timezone.localdate() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        give_all_consents(case_study, cast["convenor"], uses=(Use.DOCUMENT,), expires_on=last_day)
    queued = DBTaskResult.objects.filter(task_path__endswith="expire_consents")
    assert queued.count() == 2  # one per consent: the sweep is idempotent
    expected = timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 1)))
    assert {q.run_after for q in queued} == {expected}


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_consent_without_an_end_date_queues_nothing(case_study, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        give_all_consents(case_study, cast["convenor"])
    assert not DBTaskResult.objects.filter(task_path__endswith="expire_consents").exists()


def test_the_task_takes_down_a_published_case_study_whose_consent_ran_out(case_study, cast):
    from compact.casestudies import services

    editor = cast["convenor"]
    approved = to_approved(case_study, editor)
    services.case_study_publish(case_study=approved, actor=editor, uses={Use.WEB})
    Consent.objects.filter(case_study=case_study).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    assert tasks.expire_consents.call() == 1
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.CONSENT_PENDING
    assert tasks.expire_consents.call() == 0  # running it again changes nothing
