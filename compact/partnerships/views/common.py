"""What every partnership page does first: find the partnership for this person, check the
permission, and render inside the partnership's menu and brand."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .. import selectors
from ..navigation import partnership_context

PAGE_SIZE = 50
REFUSED = "Your role in this partnership does not allow this."


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
