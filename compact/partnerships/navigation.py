"""What every page inside a partnership shares: finding the partnership for this person, the
permission check, the menu and brand, pagination links. Pages of apps above this one import
this module, never partnership views.

Apps above this one add their own menu items with `register_menu_item` from AppConfig.ready(),
so this module never imports them."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from . import selectors

PAGE_SIZE = 50
REFUSED = "Your role in this partnership does not allow this."


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url_name: str  # reversed with the partnership's slug
    perm: str  # checked against the partnership
    order: int


_MENU: list[MenuItem] = [
    MenuItem("overview", "Overview", "partnership_detail", "partnerships.view_partnership", 10),
    MenuItem("organisations", "Organisations", "organisation_directory", "partnerships.view_partnership", 30),
    MenuItem("people", "People", "partnership_people", "partnerships.view_members", 40),
    MenuItem("audit", "Audit log", "audit_log", "partnerships.view_audit_log", 90),
]


def register_menu_item(key: str, label: str, url_name: str, *, perm: str, order: int) -> None:
    if any(item.key == key for item in _MENU):
        raise ValueError(f"Menu item {key!r} is registered twice")
    _MENU.append(MenuItem(key, label, url_name, perm, order))
    _MENU.sort(key=lambda item: item.order)


def partnership_context(request, current, active: str, **extra) -> dict:
    user, partnership = request.user, current
    nav = [
        {"key": item.key, "label": item.label, "url": reverse(item.url_name, args=[partnership.slug]),
         "active": item.key == active}
        for item in _MENU
        if user.has_perm(item.perm, partnership)
    ]  # fmt: skip
    return {
        "current_partnership": partnership,
        "partnership": partnership,
        "brand_colour": partnership.brand_colour,
        "partnership_title": partnership.name,
        "partnership_nav": nav,
        **extra,
    }


def get_partnership(request, slug, perm="partnerships.view_partnership"):
    """The partnership, or 404 if the person is not a member; 403 if a member lacks the right."""
    partnership = selectors.partnership_get_for_user(slug=slug, user=request.user)
    if not request.user.has_perm(perm, partnership):
        raise PermissionDenied(REFUSED)
    return partnership


def render_in(request, template, partnership, active, title, **context):
    return render(
        request, template, partnership_context(request, partnership, active, page_title_text=title, **context)
    )


def query_without_page(request) -> str:
    """The current filters, for pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
