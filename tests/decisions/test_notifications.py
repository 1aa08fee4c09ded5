import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from compact.activity.notifications import KINDS, preferences_for, set_preferences
from compact.decisions.models import Proposal
from compact.decisions.notifications import CLOSING, OPENED, OUTCOME, send_closing_reminders
from compact.decisions.services import outcome_record, proposal_create, vote_cast
from compact.partnerships.models import Role

from .conftest import in_days

pytestmark = pytest.mark.django_db


def open_proposal(partnership, actor, body, capture, **kwargs):
    with capture(execute=True):
        return proposal_create(partnership=partnership, actor=actor, body=body, title="Adopt the purpose",
                               text="We adopt it.", closes_at=in_days(2), hide_results=True, **kwargs)  # fmt: skip


def test_voters_are_emailed_when_a_proposal_opens_each_on_their_own(
    partnership, group, people, django_capture_on_commit_callbacks
):
    proposal = open_proposal(partnership, people["co_chair"], group, django_capture_on_commit_callbacks)
    sent_to = sorted(m.to[0] for m in mail.outbox)
    voters = sorted(people[k].email for k in ("co_chair", "voter1", "voter2", "voter3"))
    assert sent_to == voters  # observers and non-members are not emailed
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Your vote: Adopt the purpose"
    assert reverse("proposal_detail", args=[partnership.slug, proposal.pk]) in message.body


def test_turning_a_kind_off_stops_those_emails_only(partnership, group, people, django_capture_on_commit_callbacks):
    set_preferences(user=people["voter1"], enabled=set(KINDS) - {OPENED})
    assert preferences_for(people["voter1"])[OPENED] is False
    open_proposal(partnership, people["co_chair"], group, django_capture_on_commit_callbacks)
    assert people["voter1"].email not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == 3


def test_reminders_go_once_to_people_who_have_not_voted(partnership, group, people, django_capture_on_commit_callbacks):
    proposal = open_proposal(partnership, people["co_chair"], group, django_capture_on_commit_callbacks)
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "agree"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_closing_reminders() == 0  # closes in 2 days: too early
    assert mail.outbox == []
    later = timezone.now() + dt.timedelta(days=1, hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_closing_reminders(now=later) == 1
        assert send_closing_reminders(now=later) == 0  # once only
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people[k].email for k in ("co_chair", "voter2", "voter3"))
    assert all(m.subject == "Voting closes soon: Adopt the purpose" for m in mail.outbox)
    # Hidden results: no email says how anyone voted.
    assert all("agree" not in m.body.lower() for m in mail.outbox)


def test_the_outcome_is_emailed_after_closing(partnership, group, people, django_capture_on_commit_callbacks):
    proposal = open_proposal(partnership, people["co_chair"], group, django_capture_on_commit_callbacks)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(-0.01))
    mail.outbox.clear()
    set_preferences(user=people["voter2"], enabled=set(KINDS) - {OUTCOME})
    with django_capture_on_commit_callbacks(execute=True):
        outcome_record(
            proposal=proposal, actor=people["co_chair"], decision="Not adopted", review_on=dt.date(2027, 3, 1)
        )
    assert len(mail.outbox) == 3
    assert "It did not pass." in mail.outbox[0].body and "1 March 2027" in mail.outbox[0].body


def test_reminder_command_runs(partnership, people, capsys):
    call_command("send_decision_reminders")
    assert "Reminders sent for 0 proposals." in capsys.readouterr().out
    assert CLOSING in KINDS


def test_email_settings_page_saves_choices(client, people):
    client.force_login(people[Role.MEMBER])
    url = reverse("notification_settings")
    assert "Email notifications" in client.get(url).content.decode()
    response = client.post(url, {"kinds": [OUTCOME]}, follow=True)
    assert "Your email choices have been saved." in response.content.decode()
    chosen = preferences_for(people[Role.MEMBER])
    assert {k: chosen[k] for k in (OPENED, CLOSING, OUTCOME)} == {OPENED: False, CLOSING: False, OUTCOME: True}
    assert not any(on for kind, on in chosen.items() if kind != OUTCOME)  # other apps' kinds: off too
    response = client.post(url, {}, follow=True)  # everything unticked
    assert not any(preferences_for(people[Role.MEMBER]).values())
