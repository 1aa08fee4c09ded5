from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from compact.activity.selectors import audit_actions_for_partnership, audit_entries_for_partnership

from .. import selectors
from ..forms import AuditFilterForm
from .common import PAGE_SIZE, get_partnership, query_without_page, render_in


@login_required
def audit_log(request, slug):
    partnership = get_partnership(request, slug, "partnerships.view_audit_log")
    people = [m.user for m in selectors.memberships_for_partnership(partnership=partnership)]
    actions = audit_actions_for_partnership(partnership_id=partnership.pk)
    form = AuditFilterForm(request.GET or None, actions=actions, people=people)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_for_partnership(
        partnership_id=partnership.pk,
        action=filters.get("action", ""),
        actor_id=int(filters["actor"]) if filters.get("actor") else None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_in(
        request, "partnerships/audit_log.html", partnership, "audit", "Audit log",
        form=form, page=page, query=query_without_page(request),
    )  # fmt: skip
