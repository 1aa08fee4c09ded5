"""The partnership menu and page context, shared by every page inside a partnership
(including pages of apps above this one, which import this module, never our views)."""

from django.urls import reverse


def partnership_context(request, current, active: str, **extra) -> dict:
    user, partnership = request.user, current
    items = [
        ("overview", "Overview", reverse("partnership_detail", args=[partnership.slug])),
        ("organisations", "Organisations", reverse("organisation_directory", args=[partnership.slug])),
        ("people", "People", reverse("partnership_people", args=[partnership.slug])),
    ]
    if user.has_perm("partnerships.view_audit_log", partnership):
        items.append(("audit", "Audit log", reverse("audit_log", args=[partnership.slug])))
    return {
        "current_partnership": partnership,
        "partnership": partnership,
        "brand_colour": partnership.brand_colour,
        "partnership_title": partnership.name,
        "partnership_nav": [{"key": k, "label": label, "url": url, "active": k == active} for k, label, url in items],
        **extra,
    }
