"""The emails registration sends, after the transaction commits (core.mail: in the background,
one person each). A confirmed place comes with an iCalendar invitation (text/calendar;
method=REQUEST); a guest's email has the link that cancels their place.

Members' emails respect their notification settings (the kinds registered here); guests have
no account, so their emails are built here, with the same header-injection safety as `notify`.
Call `register()` from WorkshopsConfig.ready()."""

from __future__ import annotations

from email.mime.text import MIMEText
from email.utils import parseaddr
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from compact.activity.notifications import KINDS, preferences_for, register_kind
from compact.core.mail import send_after_commit, site_url, subject_line

from . import ics
from .models import Format, GuestInvitation, Registration, Workshop

REGISTERED = "workshops.registered"
PLACE_OFFERED = "workshops.place_offered"
WRITE_UP_PUBLISHED = "workshops.write_up_published"


def register():
    register_kind(REGISTERED, "You register for a workshop", "confirms your place or your place on the waiting list")
    register_kind(PLACE_OFFERED, "A workshop place comes up", "when you move from the waiting list to a place")
    register_kind(
        WRITE_UP_PUBLISHED, "A workshop write-up is published", "a link to the write-up of a workshop you went to"
    )


def register_url(workshop: Workshop) -> str:
    return site_url(
        reverse("workshop_register", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug])
    )


def location(workshop: Workshop) -> str:
    if workshop.format == Format.ONLINE:
        return f"Online: {workshop.online_link}"
    if workshop.format == Format.HYBRID and workshop.online_link:
        return f"{workshop.venue}, or online: {workshop.online_link}"
    return workshop.venue


def calendar_for(registration: Registration, *, method: str = "REQUEST") -> str:
    workshop = registration.workshop
    host = urlparse(settings.SITE_URL).hostname or "compact.invalid"
    description = workshop.purpose
    if workshop.online_link:
        description = f"{description}\n\nJoin online: {workshop.online_link}".strip()
    event = ics.Event(
        uid=f"workshop-{workshop.pk}@{host}",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        summary=workshop.title,
        organizer_email=parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@" + host,
        organizer_name=workshop.partnership.name,
        attendee_email=registration.email,
        attendee_name=registration.name,
        location=location(workshop),
        description=description,
        url=register_url(workshop) if registration.user_id else "",
    )
    return ics.calendar(event, method=method)


def calendar_part(registration: Registration) -> MIMEText:
    part = MIMEText(calendar_for(registration), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="workshop.ics")
    return part


def _message(to: str, subject: str, template: str, context: dict, *, calendar=None, reply_to=None) -> EmailMessage:
    message = EmailMessage(
        subject=subject_line(subject), body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[to], reply_to=reply_to or None,
    )  # fmt: skip
    if calendar is not None:
        message.attach(calendar_part(calendar))
    return message


def _member_wants(kind: str, user) -> bool:
    return user.is_active and bool(user.email) and preferences_for(user).get(kind, True)


def _guest_reply_to(registration: Registration) -> list[str]:
    from .selectors_registration import guest_invitation_for_email

    invitation = guest_invitation_for_email(registration.workshop, registration.email)
    inviter = invitation.invited_by if invitation else None
    return [inviter.email] if inviter is not None and inviter.is_active and inviter.email else []


def _build(kind: str, registration: Registration, subject: str, template: str, cancel_url: str):
    """The email about a registration, or None for a member who turned that kind off."""
    workshop = registration.workshop
    context = {
        "registration": registration, "workshop": workshop, "partnership": workshop.partnership,
        "location": location(workshop), "guest": registration.user_id is None, "cancel_url": cancel_url,
    }  # fmt: skip
    calendar = registration if registration.status == Registration.Status.CONFIRMED else None
    if registration.user_id is None:
        return _message(registration.email, subject, template, context, calendar=calendar,
                        reply_to=_guest_reply_to(registration))  # fmt: skip
    user = registration.user
    if not _member_wants(kind, user):
        return None
    context |= {"recipient": user, "kind": KINDS.get(kind), "url": register_url(workshop)}
    return _message(user.email, subject, template, context, calendar=calendar)


def _send(kind: str, registration: Registration, subject: str, template: str, cancel_url: str) -> None:
    message = _build(kind, registration, subject, template, cancel_url)
    send_after_commit([message] if message is not None else [])


def registration_made(registration: Registration, *, cancel_url: str = "") -> None:
    """`cancel_url`: a guest's own link to cancel (members cancel from the workshop's page)."""
    title = registration.workshop.title
    if registration.status == Registration.Status.WAITING:
        subject = f"You are on the waiting list: {title}"
    else:
        subject = f"You are registered: {title}"
    _send(REGISTERED, registration, subject, "workshops/email/registration_made.txt", cancel_url)


def place_offered(registration: Registration, *, cancel_url: str = "") -> None:
    _send(
        PLACE_OFFERED, registration, f"You have a place: {registration.workshop.title}",
        "workshops/email/place_offered.txt", cancel_url,
    )  # fmt: skip


def guest_invited(invitation: GuestInvitation, url: str) -> None:
    workshop = invitation.workshop
    context = {"invitation": invitation, "workshop": workshop, "partnership": workshop.partnership,
               "location": location(workshop), "url": url}  # fmt: skip
    inviter = invitation.invited_by
    reply_to = [inviter.email] if inviter is not None and inviter.email else []
    send_after_commit([
        _message(
            invitation.email, f"Invitation to a workshop: {workshop.title}", "workshops/email/guest_invitation.txt",
            context, reply_to=reply_to,
        )
    ])  # fmt: skip
