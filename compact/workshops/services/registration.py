"""Registration: members register in one click, guests through a single-use emailed link (and
cancel through another link in their confirmation email). A full workshop puts people on a
waiting list; a cancellation promotes the first person waiting. Access needs are kept only until
a few hours after the workshop ends (services/access_needs.py).

Every function is keyword-only and atomic, checks permission, validates (ValidationError with
field keys) and audits. The audit log records whether access needs were given, never the text."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from compact.activity.services import audit_record
from compact.core.mail import site_url
from compact.core.services import require_perm
from compact.core.tokens import new_token, token_hash
from compact.core.validators import no_control_characters, single_line

from .. import notifications
from ..models import GuestInvitation, Registration, Workshop
from ..selectors_registration import borough_choices

GUEST_LINK_LIFETIME = dt.timedelta(days=14)
CANCEL_SALT = "compact.workshops.guest_cancel"
MAX_NAME = Registration._meta.get_field("name").max_length
MAX_ORGANISATION_NAME = Registration._meta.get_field("organisation_name").max_length
MAX_ACCESS_NEEDS = Registration._meta.get_field("access_needs").max_length

State = Workshop.State
Status = Registration.Status
ACTIVE = (Status.CONFIRMED, Status.WAITING)
OPEN_STATES = (State.PLANNED, State.LIVE)

REFUSED_REGISTER = (
    "Only convenors, facilitators and members can register, and only while the workshop is planned or running."
)
REFUSED_INVITE = "Only a convenor or facilitator can invite guests, and only while the workshop is planned or running."
REFUSED_CANCEL = "Only a convenor or facilitator can cancel someone else's place."
LINK_NOT_VALID = "This link is not valid. Check you copied the whole link from the email."
CLOSED_FOR_CHANGES = "This workshop has finished or been cancelled, so places can no longer be changed."


class GuestLinkUnusable(Exception):
    """A guest link that cannot be used: `status` is 404 for an unknown link, 410 for a spent one."""

    def __init__(self, reason: str, status: int):
        super().__init__(reason)
        self.reason, self.status = reason, status


def closed_reason(workshop: Workshop, now: dt.datetime | None = None) -> str | None:
    """Why nobody can register now, or None while registration is open."""
    now = now or timezone.now()
    if workshop.state == State.CANCELLED:
        return "This workshop has been cancelled."
    if workshop.state not in OPEN_STATES or workshop.ends_at <= now:
        return "This workshop has finished."
    return None


def _lock(workshop: Workshop) -> Workshop:
    """The workshop row, locked: places are counted one registration at a time."""
    return Workshop.objects.select_for_update().select_related("partnership", "process").get(pk=workshop.pk)


def _new_status(workshop: Workshop) -> str:
    if workshop.capacity is None:
        return Status.CONFIRMED
    confirmed = workshop.registrations.filter(status=Status.CONFIRMED).count()
    return Status.CONFIRMED if confirmed < workshop.capacity else Status.WAITING


def _one_line(value, field: str, errors: dict, *, required_message: str = "", max_length: int) -> str:
    text = " ".join(str(value or "").split())
    if not text and required_message:
        errors[field] = required_message
    elif len(text) > max_length:
        errors[field] = f"Enter {max_length} characters or fewer"
    else:
        try:
            single_line(str(value or ""))
        except ValidationError as exc:
            errors[field] = exc.messages[0]
    return text


def _clean_details(workshop: Workshop, *, organisation, organisation_name, borough, access_needs, errors) -> dict:
    partnership = workshop.partnership
    if organisation is not None and not partnership.member_links.filter(organisation_id=organisation.pk).exists():
        errors["organisation"] = "Choose an organisation in this partnership"
    organisation_name = _one_line(organisation_name, "organisation_name", errors, max_length=MAX_ORGANISATION_NAME)
    if borough is not None and not borough_choices(partnership).filter(pk=borough.pk).exists():
        errors["borough"] = "Choose a borough in the partnership's area"
    access_needs = str(access_needs or "").replace("\r\n", "\n").strip()
    if len(access_needs) > MAX_ACCESS_NEEDS:
        errors["access_needs"] = f"Describe your access needs in {MAX_ACCESS_NEEDS} characters or fewer"
    else:
        try:
            no_control_characters(access_needs)
        except ValidationError as exc:
            errors["access_needs"] = exc.messages[0]
    return {
        "organisation": organisation,
        "organisation_name": organisation_name,
        "borough": borough,
        "access_needs": access_needs,
    }


def already_message(registration: Registration, *, you: bool) -> str:
    who = "You are" if you else f"{registration.email} is"
    if registration.status == Status.WAITING:
        return f"{who} already on the waiting list for this workshop."
    return f"{who} already registered for this workshop."


def _save(workshop: Workshop, existing: Registration | None, **fields) -> Registration:
    """A new registration, or a cancelled one taken up again (at the back of any queue)."""
    if existing is None:
        return Registration.objects.create(workshop=workshop, **fields)
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.created_at = timezone.now()
    existing.save()
    return existing


def _audit_registration(actor, action: str, registration: Registration, **changes) -> None:
    audit_record(
        actor=actor, action=action, obj=registration, partnership_id=registration.workshop.partnership_id,
        changes={
            "workshop": registration.workshop.title, "status": registration.status,
            "organisation": str(registration.organisation or registration.organisation_name or ""),
            "borough": str(registration.borough or ""), "access_needs_given": bool(registration.access_needs),
            **changes,
        },
    )  # fmt: skip


def _after_registering(registration: Registration) -> None:
    if registration.access_needs:
        from .. import tasks  # tasks import this module

        tasks.schedule_access_needs_purge(registration.workshop)
    notifications.registration_made(registration, cancel_url=_guest_cancel_url(registration))


@transaction.atomic
def registration_create_for_member(
    *, workshop: Workshop, actor, organisation=None, borough=None, access_needs: str = ""
) -> Registration:
    """Register the signed-in person (one click; the details are optional)."""
    require_perm(actor, "workshops.register", workshop, REFUSED_REGISTER)
    workshop = _lock(workshop)
    if reason := closed_reason(workshop):
        raise ValidationError(reason)
    errors: dict = {}
    details = _clean_details(
        workshop, organisation=organisation, organisation_name="", borough=borough, access_needs=access_needs,
        errors=errors,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    email = actor.email.strip().lower()
    existing = workshop.registrations.filter(Q(user=actor) | Q(email__iexact=email)).first()
    if existing is not None and existing.status in ACTIVE:
        raise ValidationError(already_message(existing, you=True))
    registration = _save(
        workshop, existing, user=actor, name=(actor.full_name or actor.email)[:MAX_NAME], email=email,
        status=_new_status(workshop), **details,
    )  # fmt: skip
    _audit_registration(actor, "workshop.register", registration)
    _after_registering(registration)
    return registration


# Guests --------------------------------------------------------------------------------------


@transaction.atomic
def guest_invite(
    *, workshop: Workshop, actor, email: str, name: str = "", link_builder=None
) -> tuple[GuestInvitation, str]:
    """Email a single-use registration link to someone without an account. Returns the
    invitation and the raw token (only ever emailed). A new link replaces an unused older one."""
    require_perm(actor, "workshops.invite_guests", workshop, REFUSED_INVITE)
    workshop = _lock(workshop)
    if reason := closed_reason(workshop):
        raise ValidationError(reason)
    errors: dict = {}
    email = str(email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter an email address in the correct format, like name@example.org"
    name = _one_line(name, "name", errors, max_length=MAX_NAME)
    if errors:
        raise ValidationError(errors)
    existing = workshop.registrations.filter(email__iexact=email, status__in=ACTIVE).first()
    if existing is not None:
        raise ValidationError({"email": already_message(existing, you=False)})
    if workshop.partnership.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(
            {"email": f"{email} belongs to a member of this partnership. Members register from the workshop page."}
        )
    now = timezone.now()
    workshop.guest_invitations.filter(email__iexact=email, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = new_token()
    invitation = GuestInvitation.objects.create(
        workshop=workshop, email=email, name=name, token_hash=token_hash(token), invited_by=actor,
        expires_at=min(now + GUEST_LINK_LIFETIME, workshop.ends_at),
    )  # fmt: skip
    audit_record(
        actor=actor, action="workshop.invite_guest", obj=invitation, partnership_id=workshop.partnership_id,
        changes={"workshop": workshop.title, "email": email},
    )  # fmt: skip
    if link_builder is not None:
        notifications.guest_invited(invitation, link_builder(token))
    return invitation, token


def guest_invitation_from_token(token: str) -> GuestInvitation | None:
    if not token or len(token) > 100:
        return None
    return (
        GuestInvitation.objects.select_related("workshop__partnership", "workshop__process", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def guest_link_check(invitation: GuestInvitation | None, now: dt.datetime | None = None) -> GuestInvitation:
    """The invitation if its link can be used now; otherwise GuestLinkUnusable with the reason."""
    now = now or timezone.now()
    if invitation is None:
        raise GuestLinkUnusable(LINK_NOT_VALID, 404)
    if invitation.used_at is not None:
        raise GuestLinkUnusable(
            "This link has already been used. Each link works once. To cancel your place, use the link "
            "in your confirmation email.",
            410,
        )
    if reason := closed_reason(invitation.workshop, now):
        raise GuestLinkUnusable(f"{reason} Registration is closed.", 410)
    if invitation.expires_at <= now:
        raise GuestLinkUnusable(
            "This link has expired or was replaced by a newer one. Check your email for a newer link, "
            "or ask the person who invited you to send one.",
            410,
        )
    return invitation


@transaction.atomic
def guest_register(
    *, token: str, name: str, organisation_name: str = "", borough=None, access_needs: str = ""
) -> Registration:
    """Register through a guest link, which is then used up. Bad details leave the link usable."""
    invitation = guest_invitation_from_token(token)
    if invitation is not None:
        invitation = (
            GuestInvitation.objects.select_for_update(of=("self",))
            .select_related("workshop__partnership", "invited_by")
            .get(pk=invitation.pk)
        )
    invitation = guest_link_check(invitation)
    workshop = _lock(invitation.workshop)
    errors: dict = {}
    name = _one_line(name, "name", errors, required_message="Enter your name", max_length=MAX_NAME)
    details = _clean_details(
        workshop, organisation=None, organisation_name=organisation_name, borough=borough,
        access_needs=access_needs, errors=errors,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    existing = workshop.registrations.filter(email__iexact=invitation.email).first()
    if existing is not None and existing.status in ACTIVE:
        raise ValidationError(already_message(existing, you=True))
    registration = _save(
        workshop, existing, user=None, name=name, email=invitation.email, status=_new_status(workshop), **details
    )
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at", "updated_at"])
    _audit_registration(None, "workshop.guest_register", registration, email=invitation.email)
    _after_registering(registration)
    return registration


# Cancelling and the waiting list ---------------------------------------------------------------


def _promote(workshop: Workshop, actor) -> list[Registration]:
    """Fill free places from the waiting list, first come first served. The caller holds the
    workshop's lock."""
    waiting = workshop.registrations.select_for_update().filter(status=Status.WAITING).order_by("created_at", "pk")
    if workshop.capacity is not None:
        confirmed = workshop.registrations.filter(status=Status.CONFIRMED).count()
        waiting = waiting[: max(workshop.capacity - confirmed, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.workshop = workshop
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        _audit_registration(actor, "workshop.promote_registration", registration, from_status=Status.WAITING)
        notifications.place_offered(registration, cancel_url=_guest_cancel_url(registration))
    return promoted


def _cancel(registration: Registration, workshop: Workshop, actor, **audit) -> Registration:
    """Cancel a place the caller has locked and checked. Access needs go with it; a freed place
    goes to the first person waiting, who is emailed."""
    before = registration.status
    registration.workshop = workshop
    registration.status = Status.CANCELLED
    registration.access_needs = ""
    registration.save(update_fields=["status", "access_needs", "updated_at"])
    _audit_registration(actor, "workshop.cancel_registration", registration, from_status=before, **audit)
    if before == Status.CONFIRMED:
        _promote(workshop, actor)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Give up a place (your own, or anyone's for a convenor or facilitator)."""
    workshop = registration.workshop
    own = registration.user_id is not None and registration.user_id == getattr(actor, "pk", None)
    if not own:
        require_perm(actor, "workshops.invite_guests", workshop, REFUSED_CANCEL)
    workshop = _lock(workshop)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        raise ValidationError("This place has already been cancelled.")
    if workshop.state not in OPEN_STATES:
        raise ValidationError(CLOSED_FOR_CHANGES)
    return _cancel(registration, workshop, actor, own=own)


# A guest's cancel link: signed for the registration as it was made, so a place taken again after
# cancelling gets a new link and the old one stops working. Only guests get one.


def _made_at(registration: Registration) -> str:
    return registration.created_at.astimezone(dt.UTC).isoformat()


def guest_cancel_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "t": _made_at(registration)}, salt=CANCEL_SALT, compress=True)


def _guest_cancel_url(registration: Registration) -> str:
    if registration.user_id is not None:
        return ""
    return site_url(reverse("workshop_guest_cancel", args=[guest_cancel_token(registration)]))


def guest_place(token: str, *, lock: bool = False) -> Registration:
    """The guest registration a cancel link stands for, if it can be cancelled now; otherwise
    GuestLinkUnusable (404 for a link that is not ours, 410 for one that is spent)."""
    try:
        data = signing.loads(str(token), salt=CANCEL_SALT)
        pk, made_at = int(data["r"]), str(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise GuestLinkUnusable(LINK_NOT_VALID, 404) from None
    rows = Registration.objects.select_related("workshop__partnership", "workshop__process")
    if lock:
        rows = rows.select_for_update(of=("self",))
    registration = rows.filter(pk=pk, user__isnull=True).first()
    if registration is None:
        raise GuestLinkUnusable(LINK_NOT_VALID, 404)
    if _made_at(registration) != made_at:
        raise GuestLinkUnusable("This link is from an older email. Use the link in the latest email we sent you.", 410)
    if registration.status == Status.CANCELLED:
        raise GuestLinkUnusable("Your place has already been cancelled. You do not need to do anything else.", 410)
    if registration.workshop.state not in OPEN_STATES:
        raise GuestLinkUnusable(CLOSED_FOR_CHANGES, 410)
    return registration


@transaction.atomic
def registration_cancel_by_guest(*, token: str) -> Registration:
    """A guest cancels their own place through the link in their email (the link is the
    credential). Audited like a member cancelling their own place, with no actor."""
    workshop = _lock(guest_place(token).workshop)
    registration = guest_place(token, lock=True)  # again, now that nothing can change under us
    return _cancel(registration, workshop, None, own=True, guest_link=True)


@transaction.atomic
def waiting_list_promote(*, workshop: Workshop, actor) -> list[Registration]:
    """Offer places to people waiting, e.g. after the number of places goes up."""
    require_perm(actor, "workshops.change_workshop", workshop)
    return _promote(_lock(workshop), actor)
