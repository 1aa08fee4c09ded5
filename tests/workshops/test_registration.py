"""Registration services: members and guests, the waiting list, cancelling, access needs (kept
from the audit log, deleted after the workshop), emails with a calendar invitation, and a
role x workshop-state matrix for the registration permissions."""

import datetime as dt
import io
import threading

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from compact.activity.models import AuditEntry
from compact.activity.notifications import KINDS, Kind, set_preferences
from compact.geography.models import AreaKind
from compact.partnerships.models import Role
from compact.workshops import notifications, tasks
from compact.workshops.models import GuestInvitation, Registration, Workshop
from compact.workshops.services import access_needs
from compact.workshops.services import registration as services
from compact.workshops.services.registration import GuestLinkUnusable

from ..factories import AreaFactory, PartnershipOrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db
Status = Registration.Status
State = Workshop.State
SECRET = "I use a wheelchair and need a hearing loop"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _kinds(monkeypatch):
    """The email kinds, as WorkshopsConfig.ready() will register them."""
    if notifications.REGISTERED not in KINDS:
        for key, label, description in [
            (notifications.REGISTERED, "You register for a workshop", ""),
            (notifications.PLACE_OFFERED, "A workshop place comes up", ""),
        ]:
            monkeypatch.setitem(KINDS, key, Kind(key, label, description))


@pytest.fixture
def places(partnership):
    """The partnership covers an ICB (with a sub-ICB location and two boroughs inside it) and one
    borough directly; a borough elsewhere is not offered."""
    icb = AreaFactory(code="E54000030", name="South East London ICB", kind=AreaKind.ICB)
    sub = AreaFactory(code="E38000244", name="SEL sub-ICB", kind=AreaKind.SUB_ICB, parent=icb)
    lewisham = AreaFactory(code="E09000023", name="Lewisham", parent=sub)
    southwark = AreaFactory(code="E09000028", name="Southwark", parent=sub)
    camden = AreaFactory(code="E09000007", name="Camden")
    islington = AreaFactory(code="E09000019", name="Islington")
    partnership.places.add(icb, islington)
    return {"lewisham": lewisham, "southwark": southwark, "camden": camden, "islington": islington}


@pytest.fixture
def charity(partnership):
    return PartnershipOrganisationFactory(partnership=partnership).organisation


def register(workshop, user, **details):
    return services.registration_create_for_member(workshop=workshop, actor=user, **details)


def invite(workshop, people, email="guest@example.org", **kwargs):
    return services.guest_invite(workshop=workshop, actor=people[Role.FACILITATOR], email=email, **kwargs)


def set_state(workshop, state, **fields):
    Workshop.objects.filter(pk=workshop.pk).update(state=state, **fields)
    workshop.refresh_from_db()
    return workshop


# Members ---------------------------------------------------------------------------------------


def test_a_member_registers_in_one_click(workshop, people):
    registration = register(workshop, people[Role.MEMBER])
    assert registration.status == Status.CONFIRMED and registration.user == people[Role.MEMBER]
    assert registration.email == people[Role.MEMBER].email.lower()
    entry = AuditEntry.objects.get(action="workshop.register")
    assert entry.changes["access_needs_given"] is False and entry.partnership_id == workshop.partnership_id


def test_details_are_kept_but_access_needs_never_reach_the_audit_log(workshop, people, places, charity):
    registration = register(workshop, people[Role.MEMBER], organisation=charity, borough=places["lewisham"],
                            access_needs=f"  {SECRET}  ")  # fmt: skip
    registration.refresh_from_db()
    assert (registration.organisation, registration.borough, registration.access_needs) == (
        charity, places["lewisham"], SECRET,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="workshop.register")
    assert entry.changes["access_needs_given"] is True
    assert all(SECRET not in str(e.changes) + e.object_repr for e in AuditEntry.objects.all())


def test_boroughs_come_from_the_partnerships_places(workshop, people, places):
    from compact.workshops.selectors_registration import borough_choices

    assert {a.name for a in borough_choices(workshop.partnership)} == {"Islington", "Lewisham", "Southwark"}
    with pytest.raises(ValidationError) as exc:
        register(workshop, people[Role.MEMBER], borough=places["camden"])
    assert exc.value.message_dict == {"borough": ["Choose a borough in the partnership's area"]}


def test_organisation_must_be_in_the_partnership_and_access_needs_have_limits(workshop, people):
    from ..factories import OrganisationFactory

    with pytest.raises(ValidationError) as exc:
        register(workshop, people[Role.MEMBER], organisation=OrganisationFactory(), access_needs="x" * 2001)
    assert set(exc.value.message_dict) == {"organisation", "access_needs"}
    with pytest.raises(ValidationError) as exc:
        register(workshop, people[Role.MEMBER], access_needs="bell\x07")
    assert set(exc.value.message_dict) == {"access_needs"}
    assert not Registration.objects.exists()


def test_registering_twice_is_refused_clearly(workshop, people):
    register(workshop, people[Role.MEMBER])
    with pytest.raises(ValidationError) as exc:
        register(workshop, people[Role.MEMBER])
    assert exc.value.messages == ["You are already registered for this workshop."]
    assert Registration.objects.count() == 1


def test_a_member_whose_address_a_guest_already_used_is_refused(workshop, people):
    _inv, token = invite(workshop, people, email="later.member@example.org")
    services.guest_register(token=token, name="Later Member")
    newcomer = member(workshop.partnership, Role.MEMBER, email="Later.Member@example.org")
    with pytest.raises(ValidationError, match="already registered"):
        register(workshop, newcomer)


def test_observers_and_outsiders_cannot_register(workshop, people):
    for who in (Role.OBSERVER, "outsider"):
        with pytest.raises(PermissionDenied):
            register(workshop, people[who])


@pytest.mark.parametrize("state", [State.CANCELLED, State.ENDED, State.PUBLISHED])
def test_no_registering_for_a_cancelled_or_ended_workshop(workshop, people, state):
    set_state(workshop, state)
    with pytest.raises(PermissionDenied):
        register(workshop, people[Role.MEMBER])


def test_a_planned_workshop_whose_time_has_passed_is_closed(workshop, people):
    past = timezone.now() - dt.timedelta(days=1)
    set_state(workshop, State.PLANNED, starts_at=past - dt.timedelta(hours=3), ends_at=past)
    with pytest.raises(ValidationError) as exc:
        register(workshop, people[Role.MEMBER])
    assert exc.value.messages == ["This workshop has finished."]


# Capacity and the waiting list -----------------------------------------------------------------


@pytest.fixture
def full(workshop, people, django_capture_on_commit_callbacks):
    """Two places, both taken, two people waiting (in order)."""
    set_state(workshop, State.PLANNED, capacity=2)
    first, second, third, fourth = (member(workshop.partnership) for _ in range(4))
    with django_capture_on_commit_callbacks(execute=True):
        regs = [register(workshop, p) for p in (first, second, third, fourth)]
    return workshop, regs


def test_the_workshop_fills_then_people_wait(full):
    workshop, regs = full
    assert [r.status for r in regs] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.WAITING]
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count("You are registered: Shaping the charter") == 2
    assert subjects.count("You are on the waiting list: Shaping the charter") == 2
    waiting_mail = next(m for m in mail.outbox if "waiting" in m.subject)
    assert waiting_mail.attachments == []  # no calendar invitation without a place


def test_a_cancellation_promotes_the_first_person_waiting_and_emails_them(full, django_capture_on_commit_callbacks):
    workshop, regs = full
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=regs[0], actor=regs[0].user)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in regs] == [Status.CANCELLED, Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    assert [m.to for m in mail.outbox] == [[regs[2].email]]
    assert mail.outbox[0].subject == "You have a place: Shaping the charter"
    assert AuditEntry.objects.filter(action="workshop.promote_registration").count() == 1


def test_cancelling_a_waiting_place_promotes_nobody(full):
    workshop, regs = full
    services.registration_cancel(registration=regs[3], actor=regs[3].user)
    assert Registration.objects.get(pk=regs[2].pk).status == Status.WAITING


def test_registering_again_after_cancelling_goes_to_the_back_of_the_queue(full):
    workshop, regs = full
    services.registration_cancel(registration=regs[2], actor=regs[2].user)
    again = register(workshop, regs[2].user)
    assert again.pk == regs[2].pk and again.status == Status.WAITING
    services.registration_cancel(registration=regs[0], actor=regs[0].user)
    assert Registration.objects.get(pk=regs[3].pk).status == Status.CONFIRMED  # was waiting before
    assert Registration.objects.get(pk=regs[2].pk).status == Status.WAITING


def test_more_places_promote_people_waiting(full, people):
    workshop, regs = full
    set_state(workshop, State.PLANNED, capacity=3)
    promoted = services.waiting_list_promote(workshop=workshop, actor=people[Role.FACILITATOR])
    assert [r.pk for r in promoted] == [regs[2].pk]
    with pytest.raises(PermissionDenied):
        services.waiting_list_promote(workshop=workshop, actor=people[Role.MEMBER])


def test_no_limit_means_nobody_waits(workshop, people):
    set_state(workshop, State.PLANNED, capacity=None)
    assert {register(workshop, member(workshop.partnership)).status for _ in range(5)} == {Status.CONFIRMED}


# Cancelling ----------------------------------------------------------------------------------------


def test_cancelling_deletes_access_needs_and_is_audited(workshop, people):
    registration = register(workshop, people[Role.MEMBER], access_needs=SECRET)
    services.registration_cancel(registration=registration, actor=people[Role.MEMBER])
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED and registration.access_needs == ""
    entry = AuditEntry.objects.get(action="workshop.cancel_registration")
    assert entry.changes["own"] is True and SECRET not in str(entry.changes)
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.registration_cancel(registration=registration, actor=people[Role.MEMBER])


def test_only_organisers_cancel_someone_elses_place(workshop, people):
    registration = register(workshop, people[Role.MEMBER])
    for who in (Role.OBSERVER, "outsider", Role.CONVENOR):
        if who == Role.CONVENOR:
            services.registration_cancel(registration=registration, actor=people[who])
        else:
            with pytest.raises(PermissionDenied):
                services.registration_cancel(registration=registration, actor=people[who])
    assert Registration.objects.get().status == Status.CANCELLED


def test_no_cancelling_after_the_workshop(workshop, people):
    registration = register(workshop, people[Role.MEMBER])
    set_state(workshop, State.ENDED)
    with pytest.raises(ValidationError, match="finished or been cancelled"):
        services.registration_cancel(registration=registration, actor=people[Role.MEMBER])


# Guests ------------------------------------------------------------------------------------------


def test_a_guest_invitation_stores_only_a_hash_and_emails_the_link(
    workshop, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(workshop, people, email=" Guest@Example.org ", name="Grace",
                                   link_builder=lambda t: f"https://compact.example/workshops/guest/{t}/")  # fmt: skip
    assert invitation.email == "guest@example.org" and token not in invitation.token_hash
    assert len(invitation.token_hash) == 64 and invitation.expires_at <= workshop.ends_at
    message = mail.outbox[0]
    assert message.to == ["guest@example.org"] and f"/workshops/guest/{token}/" in message.body
    assert message.reply_to == [people[Role.FACILITATOR].email]
    assert AuditEntry.objects.get(action="workshop.invite_guest").changes["email"] == "guest@example.org"


def test_guest_invitations_are_checked(workshop, people):
    for email, field in [("not an email", "email"), ("a@b.c\nBcc: x@y.z", "email")]:
        with pytest.raises(ValidationError) as exc:
            invite(workshop, people, email=email)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError, match="belongs to a member"):
        invite(workshop, people, email=people[Role.OBSERVER].email.upper())
    with pytest.raises(PermissionDenied):
        services.guest_invite(workshop=workshop, actor=people[Role.MEMBER], email="g@example.org")
    with pytest.raises(ValidationError) as exc:
        invite(workshop, people, name="Two\nlines")
    assert "name" in exc.value.message_dict


def test_a_guest_registers_once_through_the_link(workshop, people, places, django_capture_on_commit_callbacks):
    _inv, token = invite(workshop, people)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.guest_register(token=token, name=" Grace  Hopper ", organisation_name="Navy, Inc",
                                               borough=places["islington"], access_needs=SECRET)  # fmt: skip
    assert registration.user is None and registration.name == "Grace Hopper"
    assert registration.email == "guest@example.org" and registration.organisation_name == "Navy, Inc"
    assert GuestInvitation.objects.get().used_at is not None
    entry = AuditEntry.objects.get(action="workshop.guest_register")
    assert entry.actor is None and entry.changes["access_needs_given"] is True and SECRET not in str(entry.changes)
    message = mail.outbox[-1]
    assert message.to == ["guest@example.org"] and message.subject == "You are registered: Shaping the charter"
    assert message.reply_to == [people[Role.FACILITATOR].email]
    (part,) = message.attachments
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert "BEGIN:VCALENDAR" in part.get_payload(decode=True).decode()
    with pytest.raises(GuestLinkUnusable) as exc:
        services.guest_register(token=token, name="Again")
    assert exc.value.status == 410 and "already been used" in exc.value.reason


def test_bad_guest_details_leave_the_link_usable(workshop, people):
    _inv, token = invite(workshop, people)
    with pytest.raises(ValidationError) as exc:
        services.guest_register(token=token, name="  ", organisation_name="a\nb")
    assert set(exc.value.message_dict) == {"name", "organisation_name"}
    assert GuestInvitation.objects.get().used_at is None
    services.guest_register(token=token, name="Grace")


@pytest.mark.parametrize(
    ("token", "change", "status", "words"),
    [
        ("nonsense", None, 404, "not valid"),
        ("x" * 500, None, 404, "not valid"),
        ("", None, 404, "not valid"),
        (None, {"expires_at": timezone.now() - dt.timedelta(minutes=1)}, 410, "expired"),
        (None, "cancel", 410, "cancelled"),
        (None, "end", 410, "finished"),
    ],
)
def test_unusable_guest_links(workshop, people, token, change, status, words):
    invitation, real = invite(workshop, people)
    if isinstance(change, dict):
        GuestInvitation.objects.filter(pk=invitation.pk).update(**change)
    elif change == "cancel":
        set_state(workshop, State.CANCELLED)
    elif change == "end":
        set_state(workshop, State.ENDED)
    with pytest.raises(GuestLinkUnusable) as exc:
        services.guest_register(token=token if token is not None else real, name="Grace")
    assert exc.value.status == status and words in exc.value.reason


def test_a_new_link_replaces_the_old_one(workshop, people):
    _old, old_token = invite(workshop, people)
    invite(workshop, people)
    with pytest.raises(GuestLinkUnusable, match="expired or was replaced"):
        services.guest_register(token=old_token, name="Grace")


def test_a_guest_already_registered_is_refused(workshop, people):
    _inv, token = invite(workshop, people)
    services.guest_register(token=token, name="Grace")
    with pytest.raises(ValidationError, match="already registered"):
        invite(workshop, people)


def test_guest_email_subjects_cannot_carry_headers(workshop, people, django_capture_on_commit_callbacks):
    Workshop.objects.filter(pk=workshop.pk).update(title="Charter\r\nBcc: everyone@example.org")
    workshop.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        _inv, token = invite(workshop, people, link_builder=lambda t: f"https://x.example/{t}/")
        services.guest_register(token=token, name="Grace")
    for message in mail.outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        assert message.message()["Bcc"] is None


def test_members_who_turned_the_email_off_get_none(workshop, people, django_capture_on_commit_callbacks):
    set_preferences(user=people[Role.MEMBER], enabled=set(KINDS) - {notifications.REGISTERED})
    with django_capture_on_commit_callbacks(execute=True):
        register(workshop, people[Role.MEMBER])
    assert mail.outbox == []


def test_member_confirmation_carries_the_calendar_and_a_link(workshop, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(workshop, people[Role.MEMBER])
    (message,) = mail.outbox
    assert "/register/" in message.body
    (part,) = message.attachments
    body = part.get_payload(decode=True).decode()
    assert f"UID:workshop-{workshop.pk}@" in body and "METHOD:REQUEST" in body
    assert f"mailto:{people[Role.MEMBER].email.lower()}" in body.replace("\r\n ", "")


# Deleting access needs -----------------------------------------------------------------------------


def test_access_needs_are_deleted_only_after_the_workshop(workshop, people):
    register(workshop, people[Role.MEMBER], access_needs=SECRET)
    assert access_needs.access_needs_purge(workshop=workshop) is None  # not due
    later = workshop.ends_at + access_needs.ACCESS_NEEDS_KEPT_FOR + dt.timedelta(minutes=1)
    assert access_needs.access_needs_purge(workshop=workshop, now=later) == 1
    workshop.refresh_from_db()
    assert workshop.access_needs_deleted_at == later
    assert not Registration.objects.exclude(access_needs="").exists()
    entry = AuditEntry.objects.get(action="workshop.delete_access_needs")
    assert entry.changes == {"registrations_with_access_needs": 1} and entry.actor is None
    assert access_needs.access_needs_purge(workshop=workshop, now=later) is None  # once


def test_the_sweep_command_purges_due_and_cancelled_workshops(workshop, people):
    register(workshop, people[Role.MEMBER], access_needs=SECRET)
    call_command("purge_workshop_access_needs", stdout=io.StringIO())
    assert Registration.objects.get().access_needs == SECRET
    past = timezone.now() - dt.timedelta(days=1)
    set_state(workshop, State.ENDED, starts_at=past - dt.timedelta(hours=3), ends_at=past)
    call_command("purge_workshop_access_needs", stdout=io.StringIO())
    assert Registration.objects.get().access_needs == ""
    assert Workshop.objects.get().access_needs_deleted_at is not None


@override_settings(TASKS=DATABASE_QUEUE)
def test_giving_access_needs_queues_the_purge_for_after_the_workshop(workshop, people,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        register(workshop, people[Role.MEMBER], access_needs=SECRET)
        register(workshop, people[Role.CONVENOR])  # no access needs: nothing queued
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="purge_access_needs")
    assert queued.run_after == workshop.ends_at + access_needs.ACCESS_NEEDS_KEPT_FOR


def test_the_task_purges_when_due_and_requeues_a_workshop_moved_later(workshop, people,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    register(workshop, people[Role.MEMBER], access_needs=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.purge_access_needs.call(workshop.pk)  # not due: re-queued (the immediate backend skips it)
    assert Registration.objects.get().access_needs == SECRET
    past = timezone.now() - dt.timedelta(days=1)
    set_state(workshop, State.ENDED, starts_at=past - dt.timedelta(hours=3), ends_at=past)
    tasks.purge_access_needs.call(workshop.pk)
    assert Registration.objects.get().access_needs == ""


# Permissions: role x workshop state -----------------------------------------------------------------

ROLES = [Role.CONVENOR, Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"]
STATES = [State.PLANNED, State.LIVE, State.ENDED, State.PUBLISHED, State.CANCELLED]
ORGANISERS = {Role.CONVENOR, Role.FACILITATOR}
PARTICIPANTS = ORGANISERS | {Role.MEMBER}
OPEN = {State.PLANNED, State.LIVE}
EXPECTED = {
    "workshops.register": lambda role, state: role in PARTICIPANTS and state in OPEN,
    "workshops.invite_guests": lambda role, state: role in ORGANISERS and state in OPEN,
    "workshops.view_access_needs": lambda role, state: role in ORGANISERS,
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_registration_permissions_by_role_and_state(workshop, people, role, state):
    set_state(workshop, state)
    user = people[role]
    got = {perm: user.has_perm(perm, workshop) for perm in EXPECTED}
    assert got == {perm: rule(role, state) for perm, rule in EXPECTED.items()}


# Concurrency (PostgreSQL: SQLite serialises writers) --------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_place_get_one_place_and_one_wait(workshop, people):
    set_state(workshop, State.PLANNED, capacity=1)
    racers = [member(workshop.partnership), member(workshop.partnership)]
    start, errors = threading.Barrier(2), []

    def go(user):
        try:
            start.wait(timeout=10)
            register(Workshop.objects.get(pk=workshop.pk), user)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(u,)) for u in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(Registration.objects.values_list("status", flat=True)) == [Status.CONFIRMED, Status.WAITING]


def test_an_unknown_person_without_a_name_registers_under_their_email(workshop, partnership):
    nameless = UserFactory(full_name="")
    from ..factories import MembershipFactory

    MembershipFactory(partnership=partnership, user=nameless, role=Role.MEMBER)
    assert register(workshop, nameless).name == nameless.email


# A guest cancels through the link in their email --------------------------------------------------


def cancel_token(message) -> str:
    """The token in the cancel link of an email."""
    (link,) = [word for word in message.body.split() if "/workshops/places/" in word]
    return link.rstrip("/").split("/")[-2]


def guest(workshop, people, capture, email="guest@example.org", **details):
    _inv, token = invite(workshop, people, email=email)
    mail.outbox.clear()
    with capture(execute=True):
        registration = services.guest_register(token=token, name="Grace", **details)
    (message,) = mail.outbox
    return registration, cancel_token(message)


def test_the_guests_confirmation_has_a_link_that_cancels_their_place(
    workshop, people, django_capture_on_commit_callbacks
):
    set_state(workshop, State.PLANNED, capacity=1)
    registration, token = guest(workshop, people, django_capture_on_commit_callbacks, access_needs=SECRET)
    waiting = register(workshop, people[Role.MEMBER])
    assert services.guest_place(token) == registration and waiting.status == Status.WAITING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel_by_guest(token=token)
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED and registration.access_needs == ""
    assert Registration.objects.get(pk=waiting.pk).status == Status.CONFIRMED  # the place is offered on
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    entry = AuditEntry.objects.get(action="workshop.cancel_registration")
    assert entry.actor is None and entry.object_id == str(registration.pk)
    assert entry.changes["own"] is True and entry.changes["guest_link"] is True and SECRET not in str(entry.changes)


def test_a_cancelled_place_says_so_and_the_link_works_once(workshop, people, django_capture_on_commit_callbacks):
    _registration, token = guest(workshop, people, django_capture_on_commit_callbacks)
    services.registration_cancel_by_guest(token=token)
    for attempt in (services.guest_place, lambda t: services.registration_cancel_by_guest(token=t)):
        with pytest.raises(GuestLinkUnusable) as exc:
            attempt(token)
        assert exc.value.status == 410 and "already been cancelled" in exc.value.reason
    assert AuditEntry.objects.filter(action="workshop.cancel_registration").count() == 1


def test_one_guests_link_cannot_cancel_anothers_place(workshop, people, django_capture_on_commit_callbacks):
    first, first_token = guest(workshop, people, django_capture_on_commit_callbacks, email="first@example.org")
    second, _ = guest(workshop, people, django_capture_on_commit_callbacks, email="second@example.org")
    services.registration_cancel_by_guest(token=first_token)
    assert Registration.objects.get(pk=second.pk).status == Status.CONFIRMED
    payload = {"r": second.pk, "t": second.created_at.isoformat()}
    forged = [signing.dumps(payload, salt=services.CANCEL_SALT, key="not-our-secret"),
              signing.dumps(payload, salt="compact.workshops.write_up")]  # fmt: skip
    member_place = register(workshop, people[Role.MEMBER])
    for token in (*forged, services.guest_cancel_token(member_place), first_token[:-3], "nonsense", ""):
        with pytest.raises(GuestLinkUnusable) as exc:
            services.registration_cancel_by_guest(token=token)
        assert exc.value.status == 404 and "not valid" in exc.value.reason
    assert Registration.objects.get(pk=second.pk).status == Status.CONFIRMED
    assert Registration.objects.get(pk=member_place.pk).status == Status.CONFIRMED


def test_registering_again_makes_the_old_link_stop_working(workshop, people, django_capture_on_commit_callbacks):
    first, old = guest(workshop, people, django_capture_on_commit_callbacks)
    services.registration_cancel_by_guest(token=old)
    again, new = guest(workshop, people, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and new != old
    with pytest.raises(GuestLinkUnusable, match="older email"):
        services.registration_cancel_by_guest(token=old)
    assert services.registration_cancel_by_guest(token=new).status == Status.CANCELLED


@pytest.mark.parametrize("state", [State.ENDED, State.CANCELLED, State.PUBLISHED])
def test_no_cancelling_by_link_once_the_workshop_is_over(workshop, people, django_capture_on_commit_callbacks, state):
    registration, token = guest(workshop, people, django_capture_on_commit_callbacks)
    set_state(workshop, state)
    with pytest.raises(GuestLinkUnusable) as exc:
        services.registration_cancel_by_guest(token=token)
    assert exc.value.status == 410 and "can no longer be changed" in exc.value.reason
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_a_guest_promoted_from_the_waiting_list_gets_a_cancel_link_too(
    workshop, people, django_capture_on_commit_callbacks
):
    set_state(workshop, State.PLANNED, capacity=1)
    taken = register(workshop, people[Role.MEMBER])
    waiting, _ = guest(workshop, people, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=taken, actor=people[Role.MEMBER])
    (offer,) = mail.outbox
    assert offer.subject == "You have a place: Shaping the charter"
    assert services.guest_place(cancel_token(offer)) == Registration.objects.get(pk=waiting.pk)
