"""The library for members (search, filters, selection for export), and the public library of
case studies published on the web, which shows only each one's published version."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from compact.partnerships.models import Partnership
from compact.partnerships.navigation import get_partnership, query_without_page, render_in

from .. import selectors
from ..forms.library import LibraryFilterForm
from ..models import Status, Version
from ..presentation import listed, shown
from ..selectors import case_studies_for_user, case_study_detail, public_case_studies
from .detail import texts_with_glossary

# Each entry is a title, a summary, its tags and a tick box: 20 is about six screens on a phone
# (GOV.UK's search shows 20 too). The download covers every match, not just a page.
PAGE_SIZE = 20


def library_page(request, partnership, *, public: bool):
    is_editor = not public and request.user.has_perm("casestudies.invite_contributor", partnership)

    def search(**filters):
        if public:
            return public_case_studies(partnership=partnership, **filters)
        return case_studies_for_user(user=request.user, partnership=partnership, **filters)

    form = LibraryFilterForm(
        request.GET or None, partnership=partnership, visible=search(), show_status=is_editor, named_only=not is_editor
    )
    filters = form.filters()
    found = search(**filters) if filters is not None else search().none()
    page = selectors.library_page(found, request.GET.get("page"), size=PAGE_SIZE)
    versions = selectors.reading_versions(request.user, partnership, page)
    items = [(cs, listed(cs, versions[cs.pk] or Version.NAMED)) for cs in page]
    context = dict(
        form=form, page=page, items=items, query=query_without_page(request), filtered=filters is None or bool(filters),
        public=public, export_query=request.GET.urlencode(),
    )  # fmt: skip
    if public:
        template = "casestudies/partials/library_results.html" if request.htmx else "casestudies/public_library.html"
        return render(request, template, context | _public_context(partnership, "Case studies"))
    template = "casestudies/partials/library_results.html" if request.htmx else "casestudies/library.html"
    return render_in(
        request, template, partnership, "casestudies", "Case studies", **context, is_editor=is_editor,
        can_add=request.user.has_perm("casestudies.add_casestudy", partnership), statuses=Status,
    )  # fmt: skip


def _public_context(partnership, title) -> dict:
    return {"partnership": partnership, "partnership_title": partnership.name, "brand_colour": partnership.brand_colour,
            "page_title_text": title}  # fmt: skip


@login_required
def casestudy_library(request, slug):
    return library_page(request, get_partnership(request, slug), public=False)


def public_library(request, slug):
    return library_page(request, get_object_or_404(Partnership, slug=slug), public=True)


def public_detail(request, slug, pk):
    """A case study published on the web, as published; 404 for anything else."""
    partnership = get_object_or_404(Partnership, slug=slug)
    case_study = get_object_or_404(
        public_case_studies(partnership=partnership), pk=pk, status=Status.PUBLISHED, published_web=True
    )
    detail = case_study_detail(case_study)
    view = shown(case_study, media=detail["media"], quotes=detail["quotes"])
    return render(
        request, "casestudies/public_detail.html",
        _public_context(partnership, view.title) | {"view": view, "shown_texts": texts_with_glossary(view)},
    )  # fmt: skip
