"""What every workshop page shares: finding the workshop for the person asking, its URLs, and
whether the browser asked for JSON (wall.js and themes.js do). A service's ValidationError
becomes words for the page with core.validation.error_text and error_messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from compact.partnerships.navigation import REFUSED, get_partnership

from ..models import Workshop


def workshop_for(request, slug, process_slug, workshop_slug, perm=None, message=REFUSED):
    """(partnership, workshop). 404 for people outside the partnership and for missing
    workshops alike; 403 with `message` when the person lacks `perm`. One query finds the
    workshop with its process and stage."""
    partnership = get_partnership(request, slug)
    workshop = (
        Workshop.objects.select_related("process", "stage")
        .filter(
            partnership=partnership, process__partnership=partnership, process__slug=process_slug, slug=workshop_slug
        )
        .first()
    )
    if workshop is None:
        raise Http404("No such workshop")
    workshop.partnership = workshop.process.partnership = partnership  # the one the page already has
    if not request.user.has_perm("workshops.view_workshop", workshop):
        raise Http404("No such workshop")
    if perm and not request.user.has_perm(perm, workshop):
        raise PermissionDenied(message)
    return partnership, workshop


def workshop_url(workshop, name: str = "workshop_detail", *extra) -> str:
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug, *extra])


def events_url(workshop) -> str:
    """The wall's event stream (Channels, mounted in config/asgi.py, not in urls.py)."""
    return f"/live/workshops/{workshop.pk}/events/"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
