from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import add_errors, save_if_valid

from .. import selectors, services
from ..forms import AcceptInvitationForm, InviteForm, MembershipForm
from .common import get_partnership, render_in


@login_required
def partnership_people(request, slug):
    partnership = get_partnership(request, slug, "partnerships.view_members")
    can_manage = request.user.has_perm("partnerships.manage_members", partnership)
    return render_in(
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
    partnership = get_partnership(request, slug, "partnerships.invite_member")
    form = InviteForm(post_data(request), partnership=partnership)

    def save(data):
        invitation, _token = services.invitation_create(
            partnership=partnership,
            actor=request.user,
            accept_url_builder=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])),
            **data,
        )
        return invitation

    invitation = save_if_valid(request, form, save)
    if invitation:
        messages.success(request, f"Invitation sent to {invitation.email}. The link works for 14 days.")
        return redirect("partnership_people", partnership.slug)
    return render_in(request, "partnerships/invite.html", partnership, "people", "Invite someone", form=form)


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    partnership = get_partnership(request, slug, "partnerships.invite_member")
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
    partnership = get_partnership(request, slug, "partnerships.manage_members")
    membership = selectors.membership_get(partnership=partnership, pk=pk)
    initial = {"role": membership.role, "organisation": membership.organisation}
    form = MembershipForm(post_data(request), partnership=partnership, initial=initial)
    if request.method == "POST" and request.POST.get("remove"):
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"{membership.user} has been removed from the partnership.")
            return redirect("partnership_people", partnership.slug)
    elif save_if_valid(
        request, form, lambda data: services.membership_update(membership=membership, actor=request.user, **data)
    ):
        messages.success(request, f"{membership.user}'s role has been saved.")
        return redirect("partnership_people", partnership.slug)
    title = f"Change {membership.user}'s role"
    return render_in(
        request, "partnerships/membership_form.html", partnership, "people", title, form=form, membership=membership
    )


def _unusable(request, reason, status, **context):
    context |= {"reason": reason, "page_title_text": "Invitation cannot be used"}
    return render(request, "partnerships/invitation_unusable.html", context, status=status)


def invitation_accept(request, token):
    """Open to everyone: the token is the credential. Signed-in people join at once;
    new people create an account here; existing account holders are asked to sign in."""
    invitation = services.invitation_from_token(token)
    try:
        services.invitation_check_usable(invitation)
    except services.InvitationUnusable as exc:
        return _unusable(request, exc.reason, 410 if invitation else 404)
    context = {"invitation": invitation, "page_title_text": f"Join {invitation.partnership.name}"}
    if request.user.is_authenticated:
        if request.method == "POST":
            return _join(request, token, invitation, request.user, f"You have joined {invitation.partnership.name}.")
        return render(request, "partnerships/invitation_accept.html", context)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "partnerships/invitation_accept.html", context)
    form = AcceptInvitationForm(post_data(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = _create_invited_user(invitation.email, form.cleaned_data)
        welcome = f"Welcome to Compact. You have joined {invitation.partnership.name}."
        return _join(request, token, invitation, user, welcome, sign_in=True)
    return render(request, "partnerships/invitation_accept.html", context | {"form": form})


def _join(request, token, invitation, user, message, *, sign_in=False):
    try:
        services.invitation_accept(token=token, user=user)
    except services.InvitationUnusable as exc:
        return _unusable(request, exc.reason, 409, invitation=invitation)
    if sign_in:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, message)
    return redirect("partnership_detail", invitation.partnership.slug)


def _create_invited_user(email, data):
    """The invitation link proves the address, so it is stored as verified."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = get_user_model().objects.create_user(
            email=email, password=data["password1"], full_name=data["full_name"].strip()
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user
