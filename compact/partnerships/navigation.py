"""The partnership menu and page context, shared by every page inside a partnership
(including pages of apps above this one, which import this module, never our views).

Apps above this one add their own menu items with `register_menu_item` from AppConfig.ready(),
so this module never imports them."""

from dataclasses import dataclass

from django.urls import reverse


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
