"""Partnership pages. Thin: parse, check permission, call a service, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from compact.activity.selectors import audit_actions_for_partnership, audit_entries_for_partnership
from compact.core.forms import post_data, post_files
from compact.core.validation import add_errors
from compact.organisations.services import organisation_add_identifier

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    AuditFilterForm,
    BodyForm,
    BodyMemberForm,
    DirectoryFilterForm,
    IdentifierForm,
    InviteForm,
    MembershipForm,
    OrganisationForm,
    PartnershipForm,
)
from .models import BodyMember
from .navigation import partnership_context

PAGE_SIZE = 50


def _partnership(request, slug, perm="partnerships.view_partnership"):
    """The partnership, or 404 if the person is not a member; 403 if a member lacks the right."""
    partnership = selectors.partnership_get_for_user(slug=slug, user=request.user)
    if not request.user.has_perm(perm, partnership):
        raise PermissionDenied("Your role in this partnership does not allow this.")
    return partnership


def _render(request, template, partnership, active, title, **context):
    return render(
        request, template, partnership_context(request, partnership, active, page_title_text=title, **context)
    )


# Partnerships ------------------------------------------------------------------------


@login_required
def partnership_create(request):
    form = PartnershipForm(post_data(request), post_files(request))
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{partnership.name} has been created. You are its convenor.")
            return redirect("partnership_detail", partnership.slug)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "page_title_text": "Create a partnership", "creating": True},
    )


@login_required
def partnership_edit(request, slug):
    partnership = _partnership(request, slug, "partnerships.change_partnership")
    initial = {
        "name": partnership.name,
        "brand_name": partnership.brand_name,
        "description": partnership.description,
        "places": partnership.places.all(),
        "brand_colour": partnership.brand_colour,
        "logo_alt": partnership.logo_alt,
    }
    form = PartnershipForm(post_data(request), post_files(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo = data.pop("logo")
        try:
            services.partnership_update(
                partnership=partnership,
                actor=request.user,
                logo=logo,
                clear_logo=bool(request.POST.get("remove_logo")),
                **data,
            )
        except ValidationError as exc:
            partnership.refresh_from_db()  # the service may have changed it in memory before refusing
            add_errors(form, exc)
        else:
            messages.success(request, "Partnership details saved.")
            return redirect("partnership_detail", partnership.slug)
    return _render(
        request, "partnerships/partnership_form.html", partnership, "overview", "Edit partnership", form=form
    )


# Organisations -------------------------------------------------------------------------


def _directory_places(partnership):
    from compact.geography.models import Area

    return Area.objects.filter(organisations__partnership_links__partnership=partnership).distinct().order_by("name")


@login_required
def organisation_directory(request, slug):
    partnership = _partnership(request, slug)
    form = DirectoryFilterForm(request.GET or None, places=_directory_places(partnership))
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_directory(
        partnership=partnership,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        place=filters.get("place", ""),
        size=filters.get("size", ""),
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = (
        "partnerships/partials/directory_results.html" if request.htmx else "partnerships/organisation_directory.html"
    )
    return _render(
        request,
        template,
        partnership,
        "organisations",
        "Organisations",
        form=form,
        page=page,
        query=query.urlencode(),
        filtered=any(filters.values()) if filters else False,
        can_add=request.user.has_perm("partnerships.add_organisation", partnership),
    )


@login_required
def organisation_create(request, slug):
    partnership = _partnership(request, slug, "partnerships.add_organisation")
    form = OrganisationForm(post_data(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        places = data.pop("places_served")
        try:
            organisation = services.partnership_organisation_create(
                partnership=partnership, actor=request.user, places=places, **data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{organisation.name} has been added.")
            return redirect("organisation_detail", partnership.slug, organisation.org_id)
    return _render(
        request, "partnerships/organisation_form.html", partnership, "organisations", "Add an organisation", form=form
    )


@login_required
def organisation_detail(request, slug, org_id):
    partnership = _partnership(request, slug)
    organisation = selectors.organisation_get_for_partnership(partnership=partnership, org_id=org_id)
    can_change = request.user.has_perm("partnerships.change_organisation", partnership)
    identifier_form = IdentifierForm(post_data(request)) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Your role in this partnership does not allow this.")
        if identifier_form.is_valid():
            try:
                organisation_add_identifier(
                    organisation=organisation,
                    actor=request.user,
                    value=identifier_form.cleaned_data["value"],
                    partnership_id=partnership.pk,
                )
            except ValidationError as exc:
                add_errors(identifier_form, exc)
            else:
                messages.success(request, "Identifier added.")
                return redirect("organisation_detail", partnership.slug, organisation.org_id)
    return _render(
        request,
        "partnerships/organisation_detail.html",
        partnership,
        "organisations",
        organisation.name,
        organisation=organisation,
        can_change=can_change,
        identifier_form=identifier_form,
        people=selectors.organisation_people(partnership=partnership, organisation=organisation),
    )


@login_required
def organisation_edit(request, slug, org_id):
    partnership = _partnership(request, slug, "partnerships.change_organisation")
    organisation = selectors.organisation_get_for_partnership(partnership=partnership, org_id=org_id)
    initial = {f: getattr(organisation, f) for f in ["org_id", "name", "kind", "size_band", "website", "description"]}
    initial["places_served"] = organisation.places_served.all()
    form = OrganisationForm(post_data(request), initial=initial, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        places = data.pop("places_served")
        try:
            services.partnership_organisation_update(
                partnership=partnership, actor=request.user, organisation=organisation, places=places, **data
            )
        except ValidationError as exc:
            organisation.refresh_from_db()  # the service may have changed it in memory before refusing
            add_errors(form, exc)
        else:
            messages.success(request, "Organisation details saved.")
            return redirect("organisation_detail", partnership.slug, organisation.org_id)
    return _render(
        request,
        "partnerships/organisation_form.html",
        partnership,
        "organisations",
        f"Edit {organisation.name}",
        form=form,
        organisation=organisation,
    )


# People and invitations ----------------------------------------------------------------


@login_required
def partnership_people(request, slug):
    partnership = _partnership(request, slug, "partnerships.view_members")
    can_manage = request.user.has_perm("partnerships.manage_members", partnership)
    return _render(
        request,
        "partnerships/people.html",
        partnership,
        "people",
        "People",
        memberships=selectors.memberships_for_partnership(partnership=partnership),
        invitations=selectors.invitations_pending(partnership=partnership) if can_manage else [],
        can_manage=can_manage,
        can_invite=request.user.has_perm("partnerships.invite_member", partnership),
    )


@login_required
def invite(request, slug):
    partnership = _partnership(request, slug, "partnerships.invite_member")
    form = InviteForm(post_data(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                partnership=partnership,
                actor=request.user,
                **form.cleaned_data,
                accept_url_builder=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}. The link works for 14 days.")
            return redirect("partnership_people", partnership.slug)
    return _render(request, "partnerships/invite.html", partnership, "people", "Invite someone", form=form)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    partnership = _partnership(request, slug, "partnerships.invite_member")
    invitation = get_object_or_404(partnership.invitations, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("partnership_people", partnership.slug)


@login_required
def membership_edit(request, slug, pk):
    partnership = _partnership(request, slug, "partnerships.manage_members")
    membership = selectors.membership_get(partnership=partnership, pk=pk)
    form = MembershipForm(
        post_data(request),
        partnership=partnership,
        initial={"role": membership.role, "organisation": membership.organisation},
    )
    if request.method == "POST":
        if request.POST.get("remove"):
            try:
                services.membership_remove(membership=membership, actor=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"{membership.user} has been removed from the partnership.")
                return redirect("partnership_people", partnership.slug)
        elif form.is_valid():
            try:
                services.membership_update(membership=membership, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"{membership.user}'s role has been saved.")
                return redirect("partnership_people", partnership.slug)
    return _render(
        request,
        "partnerships/membership_form.html",
        partnership,
        "people",
        f"Change {membership.user}'s role",
        form=form,
        membership=membership,
    )


def invitation_accept(request, token):
    """Open to everyone: the token is the credential. Signed-in people join at once;
    new people create an account here; existing account holders are asked to sign in."""
    invitation = services.invitation_from_token(token)
    try:
        services.invitation_check_usable(invitation)
    except services.InvitationUnusable as exc:
        return render(
            request,
            "partnerships/invitation_unusable.html",
            {"reason": exc.reason, "page_title_text": "Invitation cannot be used"},
            status=410 if invitation else 404,
        )
    context = {"invitation": invitation, "page_title_text": f"Join {invitation.partnership.name}"}
    User = get_user_model()
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(token=token, user=request.user)
            except services.InvitationUnusable as exc:
                context["reason"] = exc.reason
                return render(request, "partnerships/invitation_unusable.html", context, status=409)
            messages.success(request, f"You have joined {invitation.partnership.name}.")
            return redirect("partnership_detail", invitation.partnership.slug)
        return render(request, "partnerships/invitation_accept.html", context)
    if existing:
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "partnerships/invitation_accept.html", context)
    form = AcceptInvitationForm(post_data(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = _create_invited_user(invitation.email, form.cleaned_data)
        try:
            services.invitation_accept(token=token, user=user)
        except services.InvitationUnusable as exc:
            context["reason"] = exc.reason
            return render(request, "partnerships/invitation_unusable.html", context, status=409)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Compact. You have joined {invitation.partnership.name}.")
        return redirect("partnership_detail", invitation.partnership.slug)
    context["form"] = form
    return render(request, "partnerships/invitation_accept.html", context)


def _create_invited_user(email, data):
    """The invitation link proves the address, so it is stored as verified."""
    from allauth.account.models import EmailAddress
    from django.db import transaction

    with transaction.atomic():
        user = get_user_model().objects.create_user(
            email=email, password=data["password1"], full_name=data["full_name"].strip()
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


# Bodies --------------------------------------------------------------------------------


@login_required
def body_create(request, slug):
    partnership = _partnership(request, slug, "partnerships.manage_bodies")
    form = BodyForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(partnership=partnership, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{body.name} has been created.")
            return redirect("body_detail", partnership.slug, body.pk)
    return _render(request, "partnerships/body_form.html", partnership, "overview", "Create a group", form=form)


@login_required
def body_detail(request, slug, pk):
    partnership = _partnership(request, slug)
    body = selectors.body_get(partnership=partnership, pk=pk)
    can_manage = request.user.has_perm("partnerships.manage_bodies", partnership)
    form = BodyMemberForm(post_data(request), partnership=partnership) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Your role in this partnership does not allow this.")
        if request.POST.get("remove_member"):
            try:
                member_pk = int(request.POST["remove_member"])
            except ValueError:
                raise Http404("No such member") from None
            member = get_object_or_404(BodyMember, body=body, pk=member_pk)
            services.body_remove_member(body=body, actor=request.user, member=member)
            messages.success(request, f"{member.user} has left {body.name}.")
            return redirect("body_detail", partnership.slug, body.pk)
        if form.is_valid():
            try:
                services.body_add_member(body=body, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['user']} has joined {body.name}.")
                return redirect("body_detail", partnership.slug, body.pk)
    return _render(
        request,
        "partnerships/body_detail.html",
        partnership,
        "overview",
        body.name,
        body=body,
        form=form,
        can_manage=can_manage,
    )


@login_required
def body_edit(request, slug, pk):
    partnership = _partnership(request, slug, "partnerships.manage_bodies")
    body = selectors.body_get(partnership=partnership, pk=pk)
    form = BodyForm(post_data(request), initial={"name": body.name, "kind": body.kind, "description": body.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            body.refresh_from_db()  # the service may have changed it in memory before refusing
            add_errors(form, exc)
        else:
            messages.success(request, "Group details saved.")
            return redirect("body_detail", partnership.slug, body.pk)
    return _render(
        request, "partnerships/body_form.html", partnership, "overview", f"Edit {body.name}", form=form, body=body
    )


# Audit log -----------------------------------------------------------------------------


@login_required
def audit_log(request, slug):
    partnership = _partnership(request, slug, "partnerships.view_audit_log")
    people = [m.user for m in selectors.memberships_for_partnership(partnership=partnership)]
    form = AuditFilterForm(
        request.GET or None, actions=audit_actions_for_partnership(partnership_id=partnership.pk), people=people
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_for_partnership(
        partnership_id=partnership.pk,
        action=filters.get("action", ""),
        actor_id=int(filters["actor"]) if filters.get("actor") else None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "partnerships/audit_log.html",
        partnership,
        "audit",
        "Audit log",
        form=form,
        page=page,
        query=query.urlencode(),
    )
