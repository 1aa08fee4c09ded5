"""Registration pages: register (members, one click), cancel a place, the list facilitators see,
inviting guests, and the guest links to register and to cancel (no account: the token is the
credential)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from compact.core.forms import post_data
from compact.core.validation import add_errors, error_text, save_if_valid
from compact.partnerships.navigation import partnership_context, render_in

from .. import selectors_registration as selectors
from ..forms.registration import GuestInviteForm, GuestRegistrationForm, MemberRegistrationForm
from ..models import Registration
from ..notifications import calendar_for, location
from ..services import registration as services
from .common import workshop_for

ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)
VIEW_REGISTRATIONS = "workshops.view_registrations"
REFUSED_LIST = "Only convenors and facilitators can see who has registered."


def _args(workshop):
    return [workshop.partnership.slug, workshop.process.slug, workshop.slug]


def _page(request, template, partnership, workshop, title, *, status=200, **context):
    response = render_in(
        request, template, partnership, "overview", title, workshop=workshop, workshop_args=_args(workshop),
        location=location(workshop), **context,
    )  # fmt: skip
    response.status_code = status
    return response


@login_required
def workshop_register(request, slug, process_slug, workshop_slug):
    """GET: the person's place, or the one-click form. POST: register."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    registration = selectors.registration_of(workshop, request.user)
    active = registration if registration is not None and registration.status in ACTIVE else None
    closed = services.closed_reason(workshop)
    form = None
    if active is None and closed is None:
        if not request.user.has_perm("workshops.register", workshop):
            raise PermissionDenied(services.REFUSED_REGISTER)
        membership_org = partnership.memberships.filter(user=request.user).values_list("organisation", flat=True)
        initial = {"organisation": membership_org.first(), **_previous_details(registration)}
        form = MemberRegistrationForm(post_data(request), partnership=partnership, initial=initial)
        created = save_if_valid(
            request, form,
            lambda data: services.registration_create_for_member(
                workshop=workshop, actor=request.user, **form.service_data()
            ),
        )  # fmt: skip
        if created:
            if created.status == Registration.Status.WAITING:
                messages.success(request, "The workshop is full, so you are on the waiting list. We have emailed you.")
            else:
                messages.success(request, "You are registered. We have emailed you a calendar invitation.")
            return redirect("workshop_register", *_args(workshop))
    elif request.method == "POST":
        if active is not None:
            messages.info(request, services.already_message(active, you=True))
            return redirect("workshop_register", *_args(workshop))
        return _page(
            request, "workshops/registration_form.html", partnership, workshop, f"Register for {workshop.title}",
            status=409, closed=closed, counts=selectors.registration_counts(workshop),
        )  # fmt: skip
    return _page(
        request, "workshops/registration_form.html", partnership, workshop, f"Register for {workshop.title}",
        form=form, registration=active, closed=closed, counts=selectors.registration_counts(workshop),
        position=selectors.waiting_position(active) if active else None,
        can_cancel=active is not None and closed is None,
    )  # fmt: skip


def _previous_details(registration):
    """Someone registering again after cancelling starts from what they gave before."""
    if registration is None:
        return {}
    return {"organisation": registration.organisation_id, "borough": registration.borough_id}


def _cancel_page(request, partnership, workshop, registration, *, own: bool, back: str):
    blocker = None
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, actor=request.user)
        except ValidationError as exc:
            blocker = error_text(exc)
        else:
            done = "Your place has been cancelled." if own else f"{registration.name}'s place has been cancelled."
            messages.success(request, done)
            return redirect(back)
    title = "Cancel your place" if own else f"Cancel {registration.name}'s place"
    return _page(
        request, "workshops/registration_cancel.html", partnership, workshop, title,
        status=409 if blocker else 200, registration=registration, own=own, blocker=blocker, back=back,
    )  # fmt: skip


@login_required
def workshop_registration_cancel(request, slug, process_slug, workshop_slug):
    """Cancel your own place: GET asks, POST cancels."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    registration = selectors.registration_of(workshop, request.user)
    back = reverse("workshop_register", args=_args(workshop))
    if registration is None or registration.status not in ACTIVE:
        messages.info(request, "You do not have a place at this workshop.")
        return redirect(back)
    return _cancel_page(request, partnership, workshop, registration, own=True, back=back)


@login_required
def workshop_registration_remove(request, slug, process_slug, workshop_slug, pk):
    """A convenor or facilitator cancels someone's place (e.g. a guest who wrote in)."""
    partnership, workshop = workshop_for(
        request, slug, process_slug, workshop_slug, "workshops.invite_guests", services.REFUSED_CANCEL
    )
    registration = get_object_or_404(workshop.registrations.filter(status__in=ACTIVE), pk=pk)
    back = reverse("workshop_registrations", args=_args(workshop))
    return _cancel_page(request, partnership, workshop, registration, own=False, back=back)


@login_required
def workshop_registration_ics(request, slug, process_slug, workshop_slug):
    """Your confirmed place as a calendar file."""
    _partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug)
    registration = selectors.registration_of(workshop, request.user)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise Http404("You do not have a place at this workshop")
    registration.workshop = workshop
    response = HttpResponse(calendar_for(registration, method="PUBLISH"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="workshop.ics"'
    return response


@login_required
def workshop_registrations(request, slug, process_slug, workshop_slug):
    """Who is coming: counts, the list (access needs for facilitators only), guest links waiting."""
    partnership, workshop = workshop_for(request, slug, process_slug, workshop_slug, VIEW_REGISTRATIONS, REFUSED_LIST)
    return _page(
        request, "workshops/registration_list.html", partnership, workshop, f"Registrations: {workshop.title}",
        registrations=selectors.registrations_for_workshop(workshop), counts=selectors.registration_counts(workshop),
        show_access_needs=request.user.has_perm("workshops.view_access_needs", workshop),
        can_manage=request.user.has_perm("workshops.invite_guests", workshop),
        invitations=selectors.guest_invitations_pending(workshop),
    )  # fmt: skip


@login_required
def workshop_invite_guest(request, slug, process_slug, workshop_slug):
    partnership, workshop = workshop_for(
        request, slug, process_slug, workshop_slug, "workshops.invite_guests", services.REFUSED_INVITE
    )
    form = GuestInviteForm(post_data(request))

    def save(data):
        invitation, _token = services.guest_invite(
            workshop=workshop, actor=request.user, email=data["email"], name=data.get("name", ""),
            link_builder=lambda token: request.build_absolute_uri(reverse("workshop_guest_register", args=[token])),
        )  # fmt: skip
        return invitation

    invitation = save_if_valid(request, form, save)
    if invitation:
        messages.success(
            request,
            f"Invitation sent to {invitation.email}. The link works once, until "
            f"{date_format(timezone.localtime(invitation.expires_at), 'j F Y')}.",
        )
        return redirect("workshop_registrations", *_args(workshop))
    return _page(
        request, "workshops/registration_invite.html", partnership, workshop, "Invite a guest", form=form,
        cancel_url=reverse("workshop_registrations", args=_args(workshop)),
    )  # fmt: skip


# Guests (no account) -------------------------------------------------------------------------

UNUSABLE = "workshops/registration_guest_unusable.html"


def _guest_render(request, template, workshop, title, *, status=200, **context):
    """A page for someone without an account: the workshop's partnership, without its menu."""
    if workshop is not None:
        base = partnership_context(request, workshop.partnership, "", page_title_text=title)
        base["partnership_nav"] = []
        context = base | {"workshop": workshop, "location": location(workshop)} | context
    else:
        context = {"page_title_text": title} | context
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    # The token is in the address: never sent to another site (same-origin, not no-referrer, which
    # makes browsers send "Origin: null" on the form's POST, and CSRF checking refuses that).
    response["Referrer-Policy"] = "same-origin"
    return response


def _unusable(request, exc: services.GuestLinkUnusable):
    return _guest_render(request, UNUSABLE, None, "This link cannot be used", status=exc.status, reason=exc.reason)


def workshop_guest_register(request, token):
    """Open to everyone: the emailed token is the credential, and works once."""
    invitation = services.guest_invitation_from_token(token)
    try:
        services.guest_link_check(invitation)
    except services.GuestLinkUnusable as exc:
        return _unusable(request, exc)
    workshop = invitation.workshop
    form = GuestRegistrationForm(
        post_data(request), partnership=workshop.partnership, initial={"name": invitation.name}
    )
    registration = None
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.guest_register(token=token, **form.service_data())
        except services.GuestLinkUnusable as exc:  # used in another tab a moment ago
            return _unusable(request, exc)
        except ValidationError as exc:
            add_errors(form, exc)
    if registration is not None:
        return _guest_render(
            request, "workshops/registration_guest_done.html", workshop,
            "You are on the waiting list" if registration.status == Registration.Status.WAITING else "You are registered",
            registration=registration,
        )  # fmt: skip
    return _guest_render(
        request, "workshops/registration_guest.html", workshop, f"Register for {workshop.title}", form=form,
        counts=selectors.registration_counts(workshop), invitation=invitation,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def workshop_guest_cancel(request, token):
    """A guest cancels their place from the link in their email: GET asks, POST cancels."""
    try:
        registration = services.guest_place(token)
        if request.method == "POST":
            registration = services.registration_cancel_by_guest(token=token)
            return _guest_render(
                request, "workshops/registration_guest_cancelled.html", registration.workshop,
                "Your place has been cancelled", registration=registration,
            )  # fmt: skip
    except services.GuestLinkUnusable as exc:
        return _unusable(request, exc)
    return _guest_render(
        request, "workshops/registration_guest_cancel.html", registration.workshop, "Cancel your place",
        registration=registration,
    )  # fmt: skip
