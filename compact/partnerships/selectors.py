"""Reads for partnership pages. `*_get_for_user` raise Http404 alike for missing and
forbidden objects, so nothing leaks about partnerships a person does not belong to."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from compact.organisations.models import Organisation

from .models import Body, BodyMember, Invitation, Membership, Partnership, PartnershipOrganisation, Role

ROLE_ORDER = [r.value for r in Role]


def roles_for_user(user) -> dict[int, str]:
    """{partnership_id: role} for a user, loaded once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_compact_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("partnership_id", "role"))
        user._compact_roles = cached
    return cached


def forget_roles(user) -> None:
    """Call after a membership change so the next check reloads."""
    if hasattr(user, "_compact_roles"):
        del user._compact_roles


def role_in(user, partnership_id: int) -> str | None:
    return roles_for_user(user).get(partnership_id)


def _count_per_partnership(model):
    """A correlated COUNT subquery. Two Count() annotations over different relations would
    join them (memberships x organisations: 6 million rows for an ICS of 3,000 people and
    2,000 organisations) before counting distinct; subqueries count each on its own index."""
    return Coalesce(
        Subquery(
            model.objects.filter(partnership=OuterRef("pk"))
            .order_by()
            .values("partnership")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def partnerships_for_user(user):
    return (
        Partnership.objects.filter(pk__in=list(roles_for_user(user)))
        .annotate(
            member_count=_count_per_partnership(Membership),
            organisation_count=_count_per_partnership(PartnershipOrganisation),
        )
        .order_by("name")
    )


def partnership_get_for_user(*, slug: str, user) -> Partnership:
    try:
        partnership = Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None
    if role_in(user, partnership.pk) is None:
        raise Http404("No such partnership")
    return partnership


def partnership_overview(*, partnership: Partnership) -> dict:
    places = list(partnership.places.order_by("kind", "name"))
    bodies = list(partnership.bodies.annotate(member_count=Count("body_members")).order_by("name"))
    role_counts = dict(partnership.memberships.values_list("role").annotate(n=Count("id")).values_list("role", "n"))
    return {
        "places": places,
        "bodies": bodies,
        "role_counts": [(r.label, role_counts.get(r.value, 0)) for r in Role],
        "organisation_count": partnership.member_links.count(),
        "member_count": sum(role_counts.values()),
    }


def memberships_for_partnership(*, partnership: Partnership):
    return partnership.memberships.select_related("user", "organisation").order_by("user__full_name", "user__email")


def membership_get(*, partnership: Partnership, pk: int) -> Membership:
    try:
        return partnership.memberships.select_related("user").get(pk=pk)
    except (Membership.DoesNotExist, ValueError):
        raise Http404("No such member") from None


def invitations_pending(*, partnership: Partnership):
    return partnership.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
        "invited_by"
    )


def invitations_for_email(*, email: str):
    from django.utils import timezone

    return Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("partnership")


def body_get(*, partnership: Partnership, pk: int) -> Body:
    try:
        return partnership.bodies.prefetch_related(
            Prefetch("body_members", queryset=BodyMember.objects.select_related("user", "organisation"))
        ).get(pk=pk)
    except (Body.DoesNotExist, ValueError):
        raise Http404("No such group") from None


def organisation_directory(*, partnership: Partnership, q: str = "", kind: str = "", place: str = "", size: str = ""):
    qs = Organisation.objects.filter(partnership_links__partnership=partnership)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(org_id__icontains=q) | Q(identifiers__value__icontains=q)).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    if size:
        qs = qs.filter(size_band=size)
    if place:
        qs = qs.filter(places_served__code=place).distinct()
    return qs.prefetch_related("places_served").order_by("name")


def organisation_get_for_partnership(*, partnership: Partnership, org_id: str) -> Organisation:
    try:
        return (
            Organisation.objects.filter(partnership_links__partnership=partnership)
            .prefetch_related("places_served", "identifiers")
            .get(org_id=org_id.upper())
        )
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None


def organisation_people(*, partnership: Partnership, organisation: Organisation):
    return partnership.memberships.filter(organisation=organisation).select_related("user")
