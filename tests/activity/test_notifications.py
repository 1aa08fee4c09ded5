"""notify(): one email per person after commit, never to people who turned the kind off or to
inactive accounts, nothing in quiet mode, and a mail server that refuses one person neither stops
the others nor reaches the caller."""

import pytest
from django.core import mail
from django.test import override_settings

from compact.activity.notifications import KINDS, Kind, notify, set_preferences
from compact.core.tasks import quietly

from ..factories import UserFactory

pytestmark = pytest.mark.django_db
KIND = "tests.something_happened"
TEMPLATE = "workshops/email/write_up_published.txt"
CONTEXT = {"workshop": {"title": "Shaping the charter"}, "partnership": {"name": "South East London"},
           "url": "https://compact.example/w/", "guest": False}  # fmt: skip


@pytest.fixture(autouse=True)
def _kind(monkeypatch):
    monkeypatch.setitem(KINDS, KIND, Kind(KIND, "Something happens", ""))


def send(users, subject="Write-up published: Shaping the charter"):
    notify(KIND, users, subject=subject, template=TEMPLATE, context=CONTEXT)


def test_each_person_gets_their_own_email_after_commit(django_capture_on_commit_callbacks):
    people = [UserFactory(full_name=name) for name in ("Ada", "Bea", "Cy")]
    with django_capture_on_commit_callbacks(execute=True):
        send(people)
        assert mail.outbox == []
    assert sorted(m.to for m in mail.outbox) == sorted([p.email] for p in people)
    assert all(len(m.recipients()) == 1 for m in mail.outbox)
    assert {m.body.splitlines()[0] for m in mail.outbox} == {"Hello Ada,", "Hello Bea,", "Hello Cy,"}


def test_people_who_turned_it_off_and_inactive_accounts_get_nothing(django_capture_on_commit_callbacks):
    keen, off, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    set_preferences(user=off, enabled=set(KINDS) - {KIND})
    with django_capture_on_commit_callbacks(execute=True):
        send([keen, off, gone])
    assert [m.to for m in mail.outbox] == [[keen.email]]


def test_subjects_are_one_line_and_quiet_mode_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send([UserFactory()], subject="Evil\r\nBcc: everyone@example.org")
        with quietly():
            send([UserFactory()])
    (message,) = mail.outbox
    assert message.subject == "Evil Bcc: everyone@example.org" and message.message()["Bcc"] is None


@override_settings(EMAIL_BACKEND="tests.core.test_mail.RefusingBackend")
def test_a_refused_address_does_not_stop_the_others(django_capture_on_commit_callbacks):
    refused, fine = UserFactory(email="ada@refused.example"), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send([refused, fine])  # raises nothing
    assert [m.to for m in mail.outbox] == [[fine.email]]


def test_an_unknown_kind_is_a_mistake():
    with pytest.raises(KeyError):
        notify("no.such.kind", [], subject="", template=TEMPLATE, context={})
