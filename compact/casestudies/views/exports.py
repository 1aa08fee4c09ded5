"""Exports of one case study or a selection: an accessible web page, Word (DOCX) and CSV.
A selection is the library's current search and filters, or the case studies ticked in it.
Each case study is exported as the person would read it: editors, authors and contacts get
the text as written; other members get the published version."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.text import slugify

from compact.partnerships.navigation import get_partnership

from .. import exports
from ..forms.library import LibraryFilterForm
from ..presentation import shown
from ..selectors import case_studies_for_user, reading_versions
from .detail import texts_with_glossary

MAX_EXPORT = 200
FORMATS = {"html", "docx", "csv"}


@login_required
def casestudy_export(request, slug):
    partnership = get_partnership(request, slug)
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        raise Http404("No such format")
    found = case_studies_for_user(user=request.user, partnership=partnership)
    form = LibraryFilterForm(request.GET or None, partnership=partnership, visible=found, show_status=True,
                             named_only=not request.user.has_perm("casestudies.invite_contributor", partnership))  # fmt: skip
    filters = form.filters()
    found = (
        found.none()
        if filters is None
        else case_studies_for_user(user=request.user, partnership=partnership, **filters)
    )
    ids = [i for i in request.GET.getlist("ids") if i.isdigit()]
    if ids:
        found = found.filter(pk__in=ids)
    chosen = list(found.prefetch_related("media__pictured", "quotes")[:MAX_EXPORT])
    versions = reading_versions(request.user, partnership, chosen)
    items = [
        shown(cs, versions[cs.pk], media=list(cs.media.all()), quotes=list(cs.quotes.all()))
        for cs in chosen
        if versions[cs.pk]
    ]
    if not items:
        raise Http404("No case studies to export")
    title = items[0].title if len(items) == 1 else f"Case studies from {partnership.name}"
    stem = f"case-study-{slugify(items[0].title)[:60]}" if len(items) == 1 else f"case-studies-{partnership.slug}"
    if fmt == "csv":
        return exports.csv_response(items, stem)
    if fmt == "docx":
        return exports.docx_response(items, title, stem)
    return render(
        request, "casestudies/export_page.html",
        {"page_title_text": title, "partnership": partnership, "partnership_title": partnership.name,
         "items": [(view, texts_with_glossary(view)) for view in items], "title": title},
    )  # fmt: skip
