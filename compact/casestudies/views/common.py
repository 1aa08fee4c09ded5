"""What case study pages share: finding the case study for the person asking (a member, or a
contributor invited by link whose session holds their invitation), and the URLs of the pages
that person uses to edit it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from compact.partnerships.models import Partnership
from compact.partnerships.navigation import REFUSED, get_partnership
from compact.partnerships.selectors import role_in

from ..models import CaseStudy, Contributor
from ..rules import contributor_may_edit, is_featured_contact
from ..selectors import case_study_get_for_user

SESSION_KEY = "casestudies.contributor"
SUBMITTED = "Your case study is with the editors now. They will email you if they would like changes."


@dataclass
class Editing:
    """Who is editing which case study. Exactly one of `actor` (a signed-in member) and
    `contributor` (invited by link, no account) is set; services take both as keywords."""

    partnership: Partnership
    case_study: CaseStudy
    actor: object | None = None
    contributor: Contributor | None = None

    @property
    def who(self) -> dict:
        return {"actor": self.actor, "contributor": self.contributor}

    def url(self, page: str, *extra) -> str:
        """e.g. url("edit"): /p/<slug>/case-studies/<pk>/edit/ or /contribute/<pk>/edit/."""
        if self.contributor is not None:
            return reverse(f"contribute_{page}", args=[self.case_study.pk, *extra])
        return reverse(f"casestudy_{page}", args=[self.partnership.slug, self.case_study.pk, *extra])

    @property
    def urls(self) -> dict:
        return {page: self.url(page) for page in ("detail", "edit", "people", "media", "submit")}


def case_study_for(request, slug, pk, perm: str | None = None) -> tuple[Partnership, CaseStudy]:
    """(partnership, case study) for a member, or for a featured organisation's contact who is
    not one (they give consent for their organisation). 404 for everyone else and for missing
    case studies alike (the public read published ones on the public page); 403 when the person
    may see it but not do `perm`."""
    partnership = get_object_or_404(Partnership, slug=slug)
    case_study = case_study_get_for_user(pk=pk, user=request.user)
    if case_study.partnership_id != partnership.pk:
        raise Http404("No such case study")
    if role_in(request.user, partnership.pk) is None:
        if not is_featured_contact.test(request.user, case_study):
            raise Http404("No such case study")
    else:
        get_partnership(request, slug)  # a member's own checks: suspended, lacking the right
    case_study.partnership = partnership
    if perm and not request.user.has_perm(perm, case_study):
        raise PermissionDenied(REFUSED)
    return partnership, case_study


def member_editing(request, slug, pk) -> Editing:
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.change_casestudy")
    return Editing(partnership, case_study, actor=request.user)


def session_contributor(request) -> Contributor | None:
    pk = request.session.get(SESSION_KEY)
    return Contributor.objects.filter(pk=pk).select_related("partnership").first() if pk else None


def contributor_editing(request, pk, *, to_change: bool = True) -> Editing:
    """A contributor's own case study, found through their session (404 for any other). Pages
    that change it refuse once it is submitted, until the editors ask for changes."""
    contributor = session_contributor(request)
    if contributor is None:
        raise Http404("No such case study")
    case_study = get_object_or_404(CaseStudy.objects.select_related("partnership"), pk=pk, contributor=contributor)
    if to_change and not contributor_may_edit(contributor, case_study):
        raise PermissionDenied(SUBMITTED)
    return Editing(case_study.partnership, case_study, contributor=contributor)


def render_editing(request, editing: Editing, template: str, title: str, **context):
    """Members see the partnership's pages around it; a contributor sees the page alone."""
    from django.shortcuts import render

    from compact.partnerships.navigation import render_in

    context |= {"editing": editing, "case_study": editing.case_study, "urls": editing.urls}
    if editing.contributor is None:
        return render_in(request, template, editing.partnership, "casestudies", title, **context)
    partnership = editing.partnership
    return render(
        request, template,
        {"page_title_text": title, "partnership_title": partnership.name, "brand_colour": partnership.brand_colour,
         "partnership": partnership, **context},
    )  # fmt: skip
