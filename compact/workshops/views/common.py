"""What every workshop page shares: finding the workshop for the person asking, its URLs, and
whether the browser asked for JSON (wall.js and themes.js do)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from compact.partnerships.navigation import REFUSED, get_partnership
from compact.processes.selectors import process_get_for_user

from .. import selectors


def workshop_for(request, slug, process_slug, workshop_slug, perm=None, message=REFUSED):
    """(partnership, workshop). 404 for people outside the partnership and for missing
    workshops alike; 403 with `message` when the person lacks `perm`."""
    partnership = get_partnership(request, slug)
    process = process_get_for_user(partnership=partnership, slug=process_slug)
    workshop = selectors.workshop_get(process=process, slug=workshop_slug)
    if not request.user.has_perm("workshops.view_workshop", workshop):
        raise Http404("No such workshop")
    if perm and not request.user.has_perm(perm, workshop):
        raise PermissionDenied(message)
    return partnership, workshop


def workshop_url(workshop, name: str = "workshop_detail", *extra) -> str:
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug, *extra])


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
