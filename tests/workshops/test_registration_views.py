"""Registration pages: status codes (404 before 403, nothing leaks), the one-click form, the
facilitators' list and its access-needs column, guest links (404 unknown, 410 spent), .ics."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compact.activity.notifications import KINDS, Kind
from compact.partnerships.models import Role
from compact.workshops import notifications
from compact.workshops.models import GuestInvitation, Registration, Workshop
from compact.workshops.services import access_needs
from compact.workshops.services import registration as services

from ..factories import ERROR_SUMMARY, PartnershipFactory, member

pytestmark = pytest.mark.django_db
SECRET = "Needs a hearing loop"


@pytest.fixture(autouse=True)
def _kinds(monkeypatch):
    for key in (notifications.REGISTERED, notifications.PLACE_OFFERED):
        if key not in KINDS:
            monkeypatch.setitem(KINDS, key, Kind(key, key, ""))


def url(name, workshop, *extra):
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug, *extra])


def test_a_member_registers_with_one_click_and_sees_their_place(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    page = client.get(url("workshop_register", workshop))
    assert page.status_code == 200 and b"Register for Shaping the charter" in page.content
    assert b"30 places left" in page.content
    response = client.post(url("workshop_register", workshop), {})
    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    page = client.get(response.url)
    text = page.content.decode()
    assert "You are registered" in text and "Cancel your place" in text and "workshop.ics" in text


def test_posting_again_does_not_register_twice(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    client.post(url("workshop_register", workshop), {})
    response = client.post(url("workshop_register", workshop), {}, follow=True)
    assert "You are already registered for this workshop." in response.content.decode()
    assert Registration.objects.count() == 1


def test_bad_details_are_shown_beside_the_fields(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    response = client.post(url("workshop_register", workshop), {"organisation": "999999", "access_needs": "x" * 2001})
    assert response.status_code == 200 and ERROR_SUMMARY in response.content.decode()
    assert not Registration.objects.exists()


def test_who_can_see_the_register_page(client, workshop, people):
    page = url("workshop_register", workshop)
    client.force_login(people["outsider"])
    assert client.get(page).status_code == 404
    client.force_login(people[Role.OBSERVER])
    assert client.get(page).status_code == 403
    assert client.post(page, {}).status_code == 403
    client.logout()
    assert client.get(page).status_code == 302  # to sign in


def test_a_workshop_of_another_partnership_is_404(client, workshop, people):
    other = PartnershipFactory()
    client.force_login(people[Role.MEMBER])
    wrong = reverse("workshop_register", args=[other.slug, workshop.process.slug, workshop.slug])
    assert client.get(wrong).status_code == 404
    assert client.get(reverse("workshop_register", args=[workshop.partnership.slug, "x", "y"])).status_code == 404


@pytest.mark.parametrize("state", [Workshop.State.CANCELLED, Workshop.State.ENDED])
def test_a_closed_workshop_says_so(client, workshop, people, state):
    Workshop.objects.filter(pk=workshop.pk).update(state=state)
    client.force_login(people[Role.MEMBER])
    page = client.get(url("workshop_register", workshop))
    assert page.status_code == 200 and b"Registration is closed" in page.content
    response = client.post(url("workshop_register", workshop), {})
    assert response.status_code == 409 and not Registration.objects.exists()


def test_cancelling_your_place_asks_first(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    client.post(url("workshop_register", workshop), {})
    cancel = url("workshop_registration_cancel", workshop)
    assert b"Cancel my place" in client.get(cancel).content
    response = client.post(cancel)
    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CANCELLED
    assert client.post(cancel).status_code == 302  # nothing left to cancel: back to the page


def test_the_calendar_file_is_for_people_with_a_place(client, workshop, people):
    client.force_login(people[Role.MEMBER])
    assert client.get(url("workshop_registration_ics", workshop)).status_code == 404
    client.post(url("workshop_register", workshop), {})
    response = client.get(url("workshop_registration_ics", workshop))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"METHOD:PUBLISH" in response.content and b"\r\nEND:VCALENDAR\r\n" in response.content


def test_facilitators_see_the_list_with_counts_and_access_needs(client, workshop, people):
    Workshop.objects.filter(pk=workshop.pk).update(capacity=1)
    workshop.refresh_from_db()
    services.registration_create_for_member(workshop=workshop, actor=people[Role.MEMBER], access_needs=SECRET)
    services.registration_create_for_member(workshop=workshop, actor=people[Role.CONVENOR])
    list_url = url("workshop_registrations", workshop)
    for role in (Role.MEMBER, Role.OBSERVER):
        client.force_login(people[role])
        assert client.get(list_url).status_code == 403
    client.force_login(people["outsider"])
    assert client.get(list_url).status_code == 404
    client.force_login(people[Role.FACILITATOR])
    text = client.get(list_url).content.decode()
    assert SECRET in text and "Access needs</th>" in text
    assert 'id="count-registered">1<' in text and 'id="count-waiting">1<' in text and "0 of 1" in text
    past = timezone.now() - dt.timedelta(days=1)
    Workshop.objects.filter(pk=workshop.pk).update(
        state=Workshop.State.ENDED, starts_at=past - dt.timedelta(hours=3), ends_at=past
    )
    access_needs.access_needs_purge(workshop=workshop)
    text = client.get(list_url).content.decode()
    assert SECRET not in text and "Access needs were deleted on" in text and "Access needs</th>" not in text


def test_a_facilitator_cancels_a_place_and_the_next_person_moves_up(client, workshop, people,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    Workshop.objects.filter(pk=workshop.pk).update(capacity=1)
    workshop.refresh_from_db()
    first = services.registration_create_for_member(workshop=workshop, actor=people[Role.MEMBER])
    waiting = services.registration_create_for_member(workshop=workshop, actor=people[Role.CONVENOR])
    client.force_login(people[Role.FACILITATOR])
    remove = url("workshop_registration_remove", workshop, first.pk)
    assert client.get(remove).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.CONFIRMED
    assert [m.subject for m in mail.outbox] == ["You have a place: Shaping the charter"]
    assert client.get(remove).status_code == 404  # cancelled places are not offered again
    client.force_login(people[Role.MEMBER])
    assert client.get(url("workshop_registration_remove", workshop, waiting.pk)).status_code == 403


def test_inviting_a_guest(client, workshop, people, django_capture_on_commit_callbacks):
    invite_url = url("workshop_invite_guest", workshop)
    client.force_login(people[Role.MEMBER])
    assert client.get(invite_url).status_code == 403
    client.force_login(people[Role.FACILITATOR])
    assert client.get(invite_url).status_code == 200
    bad = client.post(invite_url, {"email": "nope"})
    assert bad.status_code == 200 and ERROR_SUMMARY in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url, {"email": "grace@example.org", "name": "Grace"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "http://testserver/workshops/guest/" in message.body
    listing = client.get(url("workshop_registrations", workshop)).content.decode()
    assert "grace@example.org" in listing


def _guest_link(workshop, people, email="grace@example.org"):
    _inv, token = services.guest_invite(workshop=workshop, actor=people[Role.FACILITATOR], email=email)
    return reverse("workshop_guest_register", args=[token])


def test_a_guest_registers_without_an_account(client, workshop, people):
    link = _guest_link(workshop, people)
    page = client.get(link)
    assert page.status_code == 200 and b"grace@example.org" in page.content
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    assert b'name="organisation"' not in page.content  # guests type their organisation
    bad = client.post(link, {"name": ""})
    assert bad.status_code == 200 and ERROR_SUMMARY in bad.content.decode()
    assert GuestInvitation.objects.get().used_at is None
    done = client.post(link, {"name": "Grace Hopper", "organisation_name": "Navy", "access_needs": SECRET})
    assert done.status_code == 200 and b"You are registered" in done.content
    assert Registration.objects.get().user is None
    again = client.get(link)
    assert again.status_code == 410 and b"already been used" in again.content
    assert client.post(link, {"name": "Someone else"}).status_code == 410


def test_unknown_and_expired_guest_links(client, workshop, people):
    assert client.get(reverse("workshop_guest_register", args=["made-up"])).status_code == 404
    link = _guest_link(workshop, people)
    GuestInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(link)
    assert response.status_code == 410 and b"expired" in response.content


def test_a_guest_link_for_a_cancelled_workshop(client, workshop, people):
    link = _guest_link(workshop, people)
    Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.CANCELLED)
    response = client.get(link)
    assert response.status_code == 410 and b"cancelled" in response.content


def test_a_full_workshop_puts_a_guest_on_the_waiting_list(client, workshop, people):
    Workshop.objects.filter(pk=workshop.pk).update(capacity=1)
    workshop.refresh_from_db()
    services.registration_create_for_member(workshop=workshop, actor=people[Role.MEMBER])
    link = _guest_link(workshop, people)
    assert b"The workshop is full" in client.get(link).content
    done = client.post(link, {"name": "Grace"})
    assert b"You are on the waiting list" in done.content


def test_register_page_query_count_is_bounded(client, workshop, people, django_assert_max_num_queries):
    for _ in range(10):
        services.registration_create_for_member(workshop=workshop, actor=member(workshop.partnership))
    client.force_login(people[Role.FACILITATOR])
    with django_assert_max_num_queries(20):
        assert client.get(url("workshop_registrations", workshop)).status_code == 200


# A guest cancels from the link in their email; emails never turn a saved action into an error -------


def _guest_with_a_place(client, workshop, people, capture):
    """A guest registers through the pages; returns the cancel link from their confirmation."""
    link = _guest_link(workshop, people)
    with capture(execute=True):
        assert client.post(link, {"name": "Grace Hopper"}).status_code == 200
    (confirmation,) = [m for m in mail.outbox if m.subject.startswith("You are registered")]
    (cancel,) = [word for word in confirmation.body.split() if "/workshops/places/" in word]
    return cancel.removeprefix(settings.SITE_URL.rstrip("/"))


def test_a_guest_cancels_from_the_link_in_their_email(client, workshop, people, django_capture_on_commit_callbacks):
    cancel = _guest_with_a_place(client, workshop, people, django_capture_on_commit_callbacks)
    page = client.get(cancel)
    html = page.content.decode()
    assert page.status_code == 200 and "Cancel your place" in html and "govuk-warning-text" in html
    assert "govuk-button--warning" in html and "Shaping the charter" in html
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]
    assert Registration.objects.get().status == Registration.Status.CONFIRMED  # GET changes nothing
    done = client.post(cancel)
    assert done.status_code == 200 and b"Your place has been cancelled" in done.content
    assert Registration.objects.get().status == Registration.Status.CANCELLED
    again = client.get(cancel)
    assert again.status_code == 410 and b"already been cancelled" in again.content
    assert b"<form" not in again.content.split(b"<main")[1]
    assert client.post(cancel).status_code == 410


def test_a_made_up_cancel_link_is_refused_without_saying_anything(client, workshop, people):
    services.registration_create_for_member(workshop=workshop, actor=people[Role.MEMBER])
    for token in ("made-up", "x" * 300, services.guest_cancel_token(Registration.objects.get())):
        response = client.get(reverse("workshop_guest_cancel", args=[token]))
        assert response.status_code == 404 and b"This link is not valid" in response.content
        assert (
            b"Shaping the charter" not in response.content
            and people[Role.MEMBER].email.encode() not in response.content
        )
    assert Registration.objects.get().status == Registration.Status.CONFIRMED


@override_settings(EMAIL_BACKEND="tests.core.test_mail.RefusingEveryoneBackend")
def test_a_mail_server_that_refuses_everything_does_not_undo_or_hide_a_registration(
    client, workshop, people, django_capture_on_commit_callbacks, caplog
):
    """What runs after commit (here at the end of each block) used to raise the SMTP error, which
    in a real request came after the registration was saved: a 500 for a saved action. Now the
    mail task logs it and the person gets their normal answer."""
    client.force_login(people[Role.MEMBER])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("workshop_register", workshop), {})
    assert response.status_code == 302 and Registration.objects.get().status == Registration.Status.CONFIRMED
    client.force_login(people[Role.FACILITATOR])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("workshop_invite_guest", workshop), {"email": "grace@example.org"})
    assert response.status_code == 302 and GuestInvitation.objects.filter(email="grace@example.org").exists()
    assert mail.outbox == []
    failures = [r for r in caplog.records if r.levelname == "ERROR"]
    assert [r.name for r in failures] == ["compact.core.mail", "compact.core.mail"]  # not an on_commit crash
    assert all("Could not send email 1 of 1: SMTPRecipientsRefused" in r.getMessage() for r in failures)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_registration_emails_through_the_queue_with_its_calendar(client, workshop, people,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(people[Role.MEMBER])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("workshop_register", workshop), {}).status_code == 302
    assert mail.outbox == []  # nothing is sent inside the request
    (queued,) = DBTaskResult.objects.filter(task_path="compact.core.mail.send_emails")
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    (message,) = mail.outbox
    assert message.to == [people[Role.MEMBER].email.lower()]
    (part,) = message.attachments
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert part.get_filename() == "workshop.ics" and "BEGIN:VCALENDAR" in part.get_payload(decode=True).decode()
