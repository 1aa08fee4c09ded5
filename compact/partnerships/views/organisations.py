from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect

from compact.core.forms import post_data
from compact.core.validation import save_if_valid
from compact.geography.models import Area
from compact.organisations.services import organisation_add_identifier

from .. import selectors, services
from ..forms import DirectoryFilterForm, IdentifierForm, OrganisationForm
from .common import PAGE_SIZE, REFUSED, get_partnership, query_without_page, render_in

ORGANISATION_FIELDS = ["org_id", "name", "kind", "size_band", "website", "description"]


def _directory_places(partnership):
    return Area.objects.filter(organisations__partnership_links__partnership=partnership).distinct().order_by("name")


@login_required
def organisation_directory(request, slug):
    partnership = get_partnership(request, slug)
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
    # HTMX asks for the results alone when a filter changes; everyone else gets the page.
    template = (
        "partnerships/partials/directory_results.html" if request.htmx else "partnerships/organisation_directory.html"
    )
    return render_in(
        request,
        template,
        partnership,
        "organisations",
        "Organisations",
        form=form,
        page=page,
        query=query_without_page(request),
        filtered=any(filters.values()),
        can_add=request.user.has_perm("partnerships.add_organisation", partnership),
    )


@login_required
def organisation_create(request, slug):
    partnership = get_partnership(request, slug, "partnerships.add_organisation")
    form = OrganisationForm(post_data(request), partnership=partnership)

    def save(data):
        places = data.pop("places_served")
        return services.partnership_organisation_create(
            partnership=partnership, actor=request.user, places=places, **data
        )

    organisation = save_if_valid(request, form, save)
    if organisation:
        messages.success(request, f"{organisation.name} has been added.")
        return redirect("organisation_detail", partnership.slug, organisation.org_id)
    return render_in(
        request, "partnerships/organisation_form.html", partnership, "organisations", "Add an organisation", form=form
    )


@login_required
def organisation_detail(request, slug, org_id):
    partnership = get_partnership(request, slug)
    organisation = selectors.organisation_get_for_partnership(partnership=partnership, org_id=org_id)
    can_change = request.user.has_perm("partnerships.change_organisation", partnership)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(REFUSED)
    identifier_form = IdentifierForm(post_data(request)) if can_change else None

    def add_identifier(data):
        return organisation_add_identifier(
            organisation=organisation, actor=request.user, value=data["value"], partnership_id=partnership.pk
        )

    if identifier_form is not None and save_if_valid(request, identifier_form, add_identifier):
        messages.success(request, "Identifier added.")
        return redirect("organisation_detail", partnership.slug, organisation.org_id)
    return render_in(
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
    partnership = get_partnership(request, slug, "partnerships.change_organisation")
    organisation = selectors.organisation_get_for_partnership(partnership=partnership, org_id=org_id)
    initial = {f: getattr(organisation, f) for f in ORGANISATION_FIELDS}
    initial["places_served"] = organisation.places_served.all()
    form = OrganisationForm(post_data(request), initial=initial, partnership=partnership)

    def save(data):
        places = data.pop("places_served")
        return services.partnership_organisation_update(
            partnership=partnership, actor=request.user, organisation=organisation, places=places, **data
        )

    if save_if_valid(request, form, save, refused=organisation.refresh_from_db):
        messages.success(request, "Organisation details saved.")
        return redirect("organisation_detail", partnership.slug, organisation.org_id)
    return render_in(
        request,
        "partnerships/organisation_form.html",
        partnership,
        "organisations",
        f"Edit {organisation.name}",
        form=form,
        organisation=organisation,
    )
