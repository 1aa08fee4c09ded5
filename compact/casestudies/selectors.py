"""Reads for the case study library. `case_study_get_for_user` raises 404 alike for missing and
forbidden case studies. The library's search and filters cost a fixed number of queries
whatever the number of case studies (tags are prefetched)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from compact.partnerships.models import Role
from compact.partnerships.selectors import role_in

from .models import (
    CaseStudy,
    CaseStudyClinicalArea,
    Contact,
    FeaturedOrganisation,
    Status,
    Version,
)  # fmt: skip
from .presentation import LIST_DEFERRED

EDITOR_ROLES = {Role.CONVENOR, Role.FACILITATOR}


def _with_tags(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("partnership", "created_by", "contributor").prefetch_related(
        "key_areas",
        "places",
        "plus_groups",
        "clinical_areas",
        Prefetch("featured_organisations", FeaturedOrganisation.objects.select_related("organisation")),
    )


def visible_to(user, partnership) -> Q:
    """Which of a partnership's case studies a person may see in the library."""
    role = role_in(user, partnership.pk)
    if role in EDITOR_ROLES:
        return Q()
    public_web = Q(status=Status.PUBLISHED, published_web=True)
    if not getattr(user, "is_authenticated", False):
        return public_web
    contact_of = Contact.objects.filter(
        user=user, case_study__featured_organisations__organisation=F("organisation")
    ).values("case_study")
    mine = Q(created_by=user) | Q(pk__in=contact_of)
    if role is not None:
        return Q(status=Status.PUBLISHED) | mine
    return public_web | mine


def reading_versions(user, partnership, case_studies) -> dict[int, str | None]:
    """{case study id: the version this person reads}. Editors, the author and featured
    organisations' contacts read the text as written (named); everyone else reads a published
    case study's published version, and nothing (None) of one that is not published. One query
    however many case studies, for lists and exports."""
    case_studies = list(case_studies)
    signed_in = getattr(user, "is_authenticated", False)
    editor = signed_in and role_in(user, partnership.pk) in EDITOR_ROLES
    contact_of: set[int] = set()
    if signed_in and not editor:
        contact_of = set(
            Contact.objects.filter(
                user=user, case_study__in=[cs.pk for cs in case_studies],
                case_study__featured_organisations__organisation=F("organisation"),
            ).values_list("case_study_id", flat=True)
        )  # fmt: skip
    versions = {}
    for cs in case_studies:
        as_written = editor or cs.pk in contact_of or (signed_in and cs.created_by_id == user.pk)
        published = cs.published_version if cs.status == Status.PUBLISHED else None
        versions[cs.pk] = Version.NAMED if as_written else published
    return versions


def _search(queryset: QuerySet, q: str, *, public: bool) -> QuerySet:
    """Match every text of a version at once, in its stored lower-cased search column."""
    q = " ".join((q or "").split())[:200].lower()
    if not q:
        return queryset
    named, anonymised = Q(search_named__contains=q), Q(search_anonymised__contains=q)
    if public:
        # Only the published version is read: never match words of the named text in an
        # anonymised case study. Unpublished ones reach this person only as their own.
        return queryset.filter(
            (Q(published_version=Version.NAMED) & named)
            | (Q(published_version=Version.ANONYMISED) & anonymised)
            | (~Q(status=Status.PUBLISHED) & named)
        )
    return queryset.filter(named | anonymised)


def case_studies_for_user(
    *, user, partnership, q: str = "", key_area=None, place=None, organisation=None, core20: bool | None = None,
    plus_group=None, clinical_area: str = "", status: str = "",
) -> QuerySet:  # fmt: skip
    """The library for one person: search text, filter by key area, place, organisation,
    Core20PLUS5 tag (Core20, a PLUS group, a clinical area) and status."""
    queryset = CaseStudy.objects.filter(partnership=partnership).filter(visible_to(user, partnership))
    # Everyone but editors reads a published case study in its published version, so search
    # and the organisation filter must not reveal what an anonymised one leaves out.
    public = role_in(user, partnership.pk) not in EDITOR_ROLES
    queryset = _search(queryset, q, public=public)
    # Tag filters are subqueries, not joins: no row repeats, so no DISTINCT (which on PostgreSQL
    # hashes every text column of every row: 80 to 120 ms on 2,000 case studies).
    tagged = {
        "key_area": (CaseStudy.key_areas.through, "keyarea", key_area),
        "place": (CaseStudy.places.through, "area", place),
        "plus_group": (CaseStudy.plus_groups.through, "plusgroup", plus_group),
    }
    for model, field, value in tagged.values():
        if value is not None:
            queryset = queryset.filter(pk__in=model.objects.filter(**{field: value}).values("casestudy_id"))
    if organisation is not None:
        featuring = FeaturedOrganisation.objects.filter(organisation=organisation).values("case_study_id")
        queryset = queryset.filter(pk__in=featuring)
        if public:
            queryset = queryset.exclude(status=Status.PUBLISHED, published_version=Version.ANONYMISED)
    if core20 is not None:
        queryset = queryset.filter(core20=core20)
    if clinical_area:
        queryset = queryset.filter(
            pk__in=CaseStudyClinicalArea.objects.filter(area=clinical_area).values("case_study_id")
        )
    if status:
        queryset = queryset.filter(status=status)
    return _with_tags(queryset.order_by("-updated_at", "-pk"))


def public_case_studies(*, partnership, q: str = "", **filters) -> QuerySet:
    """The public library: published on the web only, searched in the published version."""
    from django.contrib.auth.models import AnonymousUser

    return case_studies_for_user(user=AnonymousUser(), partnership=partnership, q=q, **filters)


def case_study_get_for_user(*, pk, user) -> CaseStudy:
    try:
        case_study = _with_tags(CaseStudy.objects.all()).get(pk=pk)
    except (CaseStudy.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case study") from None
    if not user.has_perm("casestudies.view_casestudy", case_study):
        raise Http404("No such case study")
    return case_study


def case_study_detail(case_study: CaseStudy) -> dict:
    """Everything the case study page shows, in a fixed number of queries."""
    return {
        "people": list(case_study.people.select_related("organisation")),
        "quotes": list(case_study.quotes.select_related("person")),
        "contacts": list(case_study.contacts.select_related("organisation")),
        "media": list(case_study.media.prefetch_related("pictured")),
        "comments": list(case_study.review_comments.select_related("author")),
        "consents": list(
            case_study.consents.select_related("featured_organisation__organisation", "person", "recorded_by")
        ),
    }


def library_page(found: QuerySet, number, *, size: int) -> Page:
    """One page of a library search, reading the matching rows once: their ids in order (which
    also gives the count), then the page's rows with their tags by id. A Paginator over the
    queryset would run the search twice, once to count and once for the page, and a text search
    reads every case study's text each time."""
    ids = list(found.values_list("pk", flat=True))
    page = Paginator(ids, size).get_page(number)
    rows = _with_tags(CaseStudy.objects.filter(pk__in=list(page.object_list)).defer(*LIST_DEFERRED)).in_bulk()
    page.object_list = [rows[pk] for pk in page.object_list]
    return page
