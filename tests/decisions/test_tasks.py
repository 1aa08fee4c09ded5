"""Decision emails go through the task queue: the production queue (django-tasks-db, run by
db_worker) holds the reminder until 24 hours before closing; a withdrawn or closed proposal
sends no reminder. `make run` runs the real db_worker (checked by hand: README)."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compact.decisions import tasks
from compact.decisions.models import Proposal
from compact.decisions.notifications import reminder_due_at
from compact.decisions.services import proposal_create, proposal_withdraw

from .conftest import in_days

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def open_proposal(partnership, people, group, capture, closes_at):
    with capture(execute=True):
        return proposal_create(
            partnership=partnership, actor=people["co_chair"], body=group, title="Adopt the purpose",
            text="We adopt it.", closes_at=closes_at,
        )  # fmt: skip


def test_reminder_is_due_a_day_before_closing_or_half_way_through_a_short_vote():
    opens = timezone.now()
    assert reminder_due_at(Proposal(opens_at=opens, closes_at=opens + dt.timedelta(days=5))) == opens + dt.timedelta(
        days=4
    )
    assert reminder_due_at(Proposal(opens_at=opens, closes_at=opens + dt.timedelta(hours=6))) == opens + dt.timedelta(
        hours=3
    )


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_database_queue_sends_the_opening_email_now_and_holds_the_reminder(
    partnership, group, people, django_capture_on_commit_callbacks
):
    proposal = open_proposal(partnership, people, group, django_capture_on_commit_callbacks, in_days(3))
    queued = {r.task_path.rsplit(".", 1)[1]: r for r in DBTaskResult.objects.all()}
    assert set(queued) == {"announce_proposal_opened", "remind_closing"}
    assert queued["remind_closing"].run_after == proposal.closes_at - dt.timedelta(hours=24)
    assert mail.outbox == []  # nothing is sent inside the request

    # What a worker would pick up now: the opening email, not the reminder. (The db_worker command
    # itself closes the database connection between tasks, which a test transaction cannot survive.)
    due = list(DBTaskResult.objects.ready())
    assert [r.task_path.rsplit(".", 1)[1] for r in due] == ["announce_proposal_opened"]
    with django_capture_on_commit_callbacks(execute=True):
        for result in due:
            result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    assert sorted(m.subject for m in mail.outbox) == ["Your vote: Adopt the purpose"] * 4


def test_a_due_reminder_runs_and_is_sent_once(partnership, group, people, django_capture_on_commit_callbacks):
    proposal = open_proposal(partnership, people, group, django_capture_on_commit_callbacks, in_days(3))
    mail.outbox.clear()
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(0.5), opens_at=in_days(-3))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.remind_closing.enqueue(proposal.pk)
        tasks.remind_closing.enqueue(proposal.pk)
    assert len(mail.outbox) == 4
    assert {m.subject for m in mail.outbox} == {"Voting closes soon: Adopt the purpose"}


def test_no_reminder_for_a_withdrawn_proposal(partnership, group, people, django_capture_on_commit_callbacks):
    proposal = open_proposal(partnership, people, group, django_capture_on_commit_callbacks, in_days(3))
    proposal_withdraw(proposal=proposal, actor=people["co_chair"])
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(0.5), opens_at=in_days(-3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.remind_closing.enqueue(proposal.pk)
        tasks.announce_proposal_opened.enqueue(proposal.pk)
    assert mail.outbox == []
