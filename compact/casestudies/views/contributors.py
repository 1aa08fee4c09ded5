"""Contributors without an account, and the partnership's PLUS groups (both editors' pages).

Contributors: an editor invites them by email; the single-use link starts
their draft and keeps it in their browser session until they submit it; a signed link in the
"changes requested" email brings them back to it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from compact.core.forms import post_data
from compact.core.tokens import token_hash
from compact.core.validation import save_if_valid
from compact.partnerships.navigation import get_partnership, render_in

from .. import contributor_mail, services
from ..forms.workflow import InviteForm, PlusGroupForm, StartForm
from ..models import CaseStudy, Contributor, PlusGroup
from .common import SESSION_KEY


@login_required
def contributor_invite(request, slug):
    partnership = get_partnership(request, slug, "casestudies.invite_contributor")
    form = InviteForm(post_data(request), partnership=partnership)

    def save(data):
        contributor, token = services.contributor_invite(partnership=partnership, actor=request.user, **data)
        contributor_mail.invitation(contributor, token)
        return contributor

    contributor = save_if_valid(request, form, save)
    if contributor:
        messages.success(request, f"An invitation has been emailed to {contributor.name} ({contributor.email}).")
        return redirect("casestudy_library", partnership.slug)
    return render_in(
        request, "casestudies/invite_form.html", partnership, "casestudies", "Invite someone to write a case study",
        form=form, invitations=Contributor.objects.filter(partnership=partnership).order_by("-created_at")[:20],
        now=timezone.now(),
    )  # fmt: skip


def _unusable(request):
    return render(
        request, "casestudies/contribute_unusable.html", {"page_title_text": "This link cannot be used"}, status=410
    )


def contribute_start(request, token):
    """The invitation link. GET shows the first question; the link is used only when they start."""
    contributor = Contributor.objects.select_related("partnership").filter(token_hash=token_hash(token)).first()
    if contributor is None or contributor.used_at is not None or contributor.expires_at <= timezone.now():
        return _unusable(request)
    form = StartForm(post_data(request))
    case_study = save_if_valid(request, form, lambda data: services.contributor_redeem(token=token, **data))
    if case_study:
        contributor_mail.draft_started(case_study)
        request.session.cycle_key()
        request.session[SESSION_KEY] = contributor.pk
        messages.success(
            request, "Your draft is started. Write each part, add a photo if you have one, then submit it."
        )
        return redirect("contribute_edit", case_study.pk)
    partnership = contributor.partnership
    return render(
        request, "casestudies/contribute_start.html",
        {"form": form, "contributor": contributor, "partnership": partnership, "partnership_title": partnership.name,
         "brand_colour": partnership.brand_colour, "page_title_text": f"Share your story with {partnership.name}"},
    )  # fmt: skip


def contribute_return(request, token):
    found = contributor_mail.read_return_token(token)
    case_study = CaseStudy.objects.filter(pk=found[1], contributor_id=found[0]).first() if found is not None else None
    if case_study is None:
        return _unusable(request)
    request.session.cycle_key()
    request.session[SESSION_KEY] = case_study.contributor_id
    return redirect("contribute_detail", case_study.pk)


@login_required
def plus_groups(request, slug):
    """The partnership's locally chosen PLUS groups (Core20PLUS5), which case studies are tagged with."""
    partnership = get_partnership(request, slug, "casestudies.manage_tags")
    form = PlusGroupForm(post_data(request))
    group = save_if_valid(
        request, form, lambda data: services.plus_group_create(partnership=partnership, actor=request.user, **data)
    )
    if group:
        messages.success(request, f"{group.name} is added. Case studies can now be tagged with it.")
        return redirect("casestudy_plus_groups", partnership.slug)
    return render_in(
        request, "casestudies/plus_groups.html", partnership, "casestudies", "PLUS groups",
        form=form, groups=PlusGroup.objects.filter(partnership=partnership),
    )  # fmt: skip
