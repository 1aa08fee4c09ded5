"""The decision log: every proposal of a partnership and its outcome, searchable, as CSV and PDF."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from compact.partnerships.navigation import PAGE_SIZE, get_partnership, query_without_page, render_in
from compact.processes.selectors import processes_for_partnership

from .. import selectors
from ..display import method_label, status_label
from ..exports import decision_log_csv as csv_response
from ..exports import decision_log_pdf as pdf_response
from ..forms import DecisionLogFilterForm
from ..models import Proposal


def _filtered(request, partnership):
    bodies = list(partnership.bodies.order_by("name"))
    processes = list(processes_for_partnership(partnership=partnership).prefetch_related(None))
    form = DecisionLogFilterForm(request.GET or None, bodies=bodies, processes=processes)
    return form, selectors.proposals_for_log(partnership=partnership, **form.filters())


@login_required
def decision_log(request, slug):
    partnership = get_partnership(request, slug)
    form, proposals = _filtered(request, partnership)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"proposal": p, "status": status_label(p), "method": method_label(p)} for p in page.object_list]
    can_propose = request.user.has_perm("decisions.add_proposal", Proposal(partnership=partnership))
    return render_in(
        request, "decisions/decision_log.html", partnership, "decisions", "Decisions",
        form=form, page=page, rows=rows, query=query_without_page(request), can_propose=can_propose,
    )  # fmt: skip


@login_required
def decision_log_csv(request, slug):
    partnership = get_partnership(request, slug)
    _form, proposals = _filtered(request, partnership)
    return csv_response(proposals.iterator(chunk_size=500), filename=f"{partnership.slug}-decisions.csv")


@login_required
def decision_log_pdf(request, slug):
    partnership = get_partnership(request, slug)
    form, proposals = _filtered(request, partnership)
    filtered = form.is_bound and any(form.filters().values())
    return pdf_response(
        proposals, partnership=partnership, filtered=filtered, filename=f"{partnership.slug}-decisions.pdf"
    )
