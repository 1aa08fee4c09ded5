"""Reads for registration pages: the workshop, counts of places, the list facilitators see,
and the choices of organisation and borough a registration form offers."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, Value, When

from compact.geography.models import Area, AreaKind
from compact.geography.selectors import areas_valid_on
from compact.organisations.models import Organisation
from compact.partnerships.models import Partnership

from .models import GuestInvitation, Registration, Workshop

Status = Registration.Status


def registration_counts(workshop: Workshop) -> dict:
    """{registered, waiting, places_left}; places_left is None when there is no limit."""
    counts = workshop.registrations.aggregate(
        registered=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )
    if workshop.capacity is None:
        counts["places_left"] = None
    else:
        counts["places_left"] = max(workshop.capacity - counts["registered"], 0)
    return counts


def registrations_for_workshop(workshop: Workshop):
    """Registered first, then the waiting list in order, then cancellations."""
    order = Case(
        When(status=Status.CONFIRMED, then=Value(0)),
        When(status=Status.WAITING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return workshop.registrations.select_related("organisation", "borough").order_by(order, "created_at", "pk")


def registration_of(workshop: Workshop, user) -> Registration | None:
    """This person's registration (in any state), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return workshop.registrations.filter(user=user).first()


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person waiting."""
    if registration.status != Status.WAITING:
        return None
    earlier = registration.workshop.registrations.filter(status=Status.WAITING).filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    return earlier.count() + 1


def organisation_choices(partnership: Partnership):
    return Organisation.objects.filter(partnership_links__partnership=partnership).order_by("name")


def borough_choices(partnership: Partnership):
    """Boroughs valid today within the partnership's places: a borough that is itself a place,
    or one inside a place (its sub-ICB location, its ICB, or the ICB that replaced that one)."""
    places = list(partnership.places.values_list("pk", flat=True))
    if not places:
        return Area.objects.none()
    return (
        areas_valid_on()
        .filter(kind=AreaKind.BOROUGH)
        .filter(
            Q(pk__in=places)
            | Q(parent__in=places)
            | Q(parent__parent__in=places)
            | Q(parent__parent__successor__in=places)
        )
        .distinct()
        .order_by("name")
    )


def guest_invitations_pending(workshop: Workshop, now=None):
    from django.utils import timezone

    return workshop.guest_invitations.filter(used_at__isnull=True, expires_at__gt=now or timezone.now()).order_by(
        "-created_at"
    )


def guest_invitation_for_email(workshop: Workshop, email: str) -> GuestInvitation | None:
    """The latest used invitation for this address (to reply to whoever invited the guest)."""
    return (
        workshop.guest_invitations.filter(email__iexact=email, used_at__isnull=False)
        .select_related("invited_by")
        .order_by("-used_at")
        .first()
    )
