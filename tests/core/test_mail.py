"""core.mail: messages cross the task queue as JSON (attachments included, the calendar part still
text/calendar; method=REQUEST), go one person each, are sent only after commit, through the queue
during a request, and a mail server that refuses one message or cannot be reached never raises."""

import json
import logging
import smtplib
from email.mime.text import MIMEText

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from compact.core import mail as core_mail
from compact.core.tasks import quietly

pytestmark = pytest.mark.django_db
REFUSING = "tests.core.test_mail.RefusingBackend"
UNREACHABLE = "tests.core.test_mail.UnreachableBackend"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class RefusingBackend(EmailBackend):
    """The local outbox, except that the server refuses anyone at refused.example."""

    everyone = False

    def send_messages(self, messages):
        for message in messages:
            if self.everyone or any(to.endswith("@refused.example") for to in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such person")})
        return super().send_messages(messages)


class RefusingEveryoneBackend(RefusingBackend):
    everyone = True


class UnreachableBackend(EmailBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def message(to="ada@example.org", subject="Hello", **kwargs) -> EmailMessage:
    return EmailMessage(subject=subject, body="Body", from_email="Compact <no-reply@example.org>", to=[to], **kwargs)


def calendar_part() -> MIMEText:
    part = MIMEText("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n", "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="workshop.ics")
    return part


@pytest.fixture
def in_a_request():
    core_mail._request_started()
    yield
    core_mail._request_finished()


def test_a_message_survives_the_queue_with_its_attachments():
    original = message(reply_to=["organiser@example.org"], headers={"X-Workshop": "7"})
    original.attach(calendar_part())
    original.attach("notes.txt", "Plain words, £ and é", "text/plain")
    original.attach("logo.png", b"\x89PNG\r\n\x00\xff", "image/png")
    data = json.loads(json.dumps(core_mail.message_data(original)))  # what the database queue stores
    copy = core_mail.message_from_data(data)
    assert (copy.subject, copy.body, copy.from_email, copy.to, copy.reply_to) == (
        "Hello", "Body", "Compact <no-reply@example.org>", ["ada@example.org"], ["organiser@example.org"],
    )  # fmt: skip
    assert copy.extra_headers == {"X-Workshop": "7"}
    calendar, notes, logo = copy.attachments
    assert calendar.get_content_type() == "text/calendar" and calendar.get_param("method") == "REQUEST"
    assert calendar.get_filename() == "workshop.ics" and "SUMMARY:Café" in calendar.get_payload(decode=True).decode()
    assert tuple(notes) == ("notes.txt", "Plain words, £ and é", "text/plain")
    assert tuple(logo) == ("logo.png", b"\x89PNG\r\n\x00\xff", "image/png")
    sent = copy.message().as_string()
    assert 'Content-Type: text/calendar; charset="utf-8"; method="REQUEST"' in sent


def test_one_person_per_message():
    for shared in (EmailMessage(to=["a@example.org", "b@example.org"]), message(cc=["c@example.org"])):
        with pytest.raises(ValueError, match="one person"):
            core_mail.message_data(shared)


def test_subjects_stay_on_one_line():
    data = core_mail.message_data(message(subject="Charter\r\nBcc: everyone@example.org"))
    assert data["subject"] == "Charter Bcc: everyone@example.org"


def test_nothing_is_sent_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        core_mail.send_after_commit([message(), message("bob@example.org")])
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["ada@example.org"], ["bob@example.org"]]


def test_quiet_mode_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), quietly():
        core_mail.send_after_commit([message()])
    assert mail.outbox == []


@override_settings(TASKS=DATABASE_QUEUE)
def test_during_a_request_the_messages_go_through_the_queue(in_a_request, django_capture_on_commit_callbacks):
    original = message()
    original.attach(calendar_part())
    with django_capture_on_commit_callbacks(execute=True):
        core_mail.send_after_commit([original])
    assert mail.outbox == []  # queued, not sent inside the request
    (queued,) = DBTaskResult.objects.filter(task_path="compact.core.mail.send_emails")
    assert queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"]) == 1
    (part,) = mail.outbox[0].attachments
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"


@override_settings(EMAIL_BACKEND=REFUSING)
def test_a_refused_message_is_logged_without_the_address_and_the_rest_are_sent(caplog):
    messages = [message("ada@example.org"), message("bob@refused.example"), message("cy@example.org")]
    data = [core_mail.message_data(m) for m in messages]
    with caplog.at_level(logging.INFO, logger="compact.core.mail"):
        result = core_mail.send_emails.enqueue(data)  # the immediate backend runs it now
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 2
    assert [m.to for m in mail.outbox] == [["ada@example.org"], ["cy@example.org"]]
    logged = " ".join(r.getMessage() for r in caplog.records) + " ".join(str(r.exc_info) for r in caplog.records)
    assert "email 2 of 3" in logged and "SMTPRecipientsRefused" in logged and "Sent 2 of 3 emails" in logged
    assert "bob" not in logged and "refused.example" not in logged


@override_settings(EMAIL_BACKEND=UNREACHABLE)
def test_an_unreachable_server_is_logged_and_not_raised(caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="compact.core.mail"), django_capture_on_commit_callbacks(execute=True):
        core_mail.send_after_commit([message(), message("bob@example.org")])
    assert mail.outbox == []
    assert "Could not connect to send email 1 of 2: ConnectionRefusedError" in caplog.text
    assert "Sent 0 of 2 emails" in caplog.text
