"""A proposal: opening it, its page (vote, results), closing, withdrawing and recording the outcome."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import save_if_valid
from compact.partnerships.navigation import get_partnership, render_in
from compact.processes.models import StageKind
from compact.processes.registry import CLOSED, SETUP
from compact.processes.selectors import current_stage_kind, processes_for_partnership

from .. import selectors, services
from ..display import method_label, results_context, status_label, tied_options
from ..forms import OutcomeForm, ProposalForm, ballot_form_for, proposal_initial
from ..forms.proposals import split_closing
from ..models import Meeting, Proposal, StatementKind
from ..rules import proposals_open_in_stage
from ..services.proposals import REFUSED

DEFAULT_VOTING_HOURS = 48


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _proposal(request, slug, pk):
    partnership = get_partnership(request, slug)
    return partnership, selectors.proposal_get_for_user(partnership=partnership, pk=pk)


def _prefill(request, partnership, bodies, processes):
    """What the query string asks for: ?body=, ?process=&statement=, or ?amends=."""
    body = next((b for b in bodies if b.pk == _int(request.GET.get("body"))), None)
    process = next((p for p in processes if p.pk == _int(request.GET.get("process"))), None)
    amends = None
    if request.GET.get("amends"):
        amends = selectors.proposal_get_for_user(partnership=partnership, pk=request.GET["amends"])
        body = body or amends.body
        process = process or amends.process
    kind = request.GET.get("statement") or (amends.statement_kind if amends else "")
    kind = kind if kind in StatementKind.values and process is not None else ""
    return body, process, kind, amends


@login_required
def proposal_create(request, slug):
    partnership = get_partnership(request, slug)
    bodies = list(partnership.bodies.order_by("name"))
    processes = list(processes_for_partnership(partnership=partnership))
    body, process, kind, amends = _prefill(request, partnership, bodies, processes)
    user = request.user
    if (
        process
        and not body
        and not user.has_perm("decisions.add_proposal", Proposal(partnership=partnership, process=process))
    ):
        # A group's chair who is not an organiser proposes for the process through the group they chair.
        body = next(
            (b for b in bodies
             if user.has_perm("decisions.add_proposal", Proposal(partnership=partnership, body=b, process=process))),
            None,
        )  # fmt: skip
    if body or process:
        allowed = user.has_perm("decisions.add_proposal", Proposal(partnership=partnership, body=body, process=process))
    else:
        allowed = user.has_perm("decisions.add_proposal", Proposal(partnership=partnership)) or any(
            user.has_perm("decisions.add_proposal", Proposal(partnership=partnership, body=b)) for b in bodies
        )
    if not allowed:
        raise PermissionDenied(REFUSED)
    hours = body.voting_hours if body else DEFAULT_VOTING_HOURS
    closes_on, closes_time = split_closing(timezone.now() + dt.timedelta(hours=hours))
    initial = {"body": body, "process": process, "closes_at": closes_on, "closes_time": closes_time}
    if amends:
        initial |= proposal_initial(amends)
    current = selectors.current_statement(process, kind) if kind else None
    if kind:
        initial |= {"statement_kind": kind, "method": "consent"}
        if not amends:
            initial["statement_text"] = current.text if current else ""
            initial["title"] = f"Adopt a new {StatementKind(kind).label.lower()}"
    # Offer only the groups this person may propose for: every group for organisers, the
    # groups they chair otherwise (and then a group is needed).
    organiser = user.has_perm("partnerships.add_organisation", partnership)
    own = [
        b.pk
        for b in bodies
        if organiser or user.has_perm("decisions.add_proposal", Proposal(partnership=partnership, body=b))
    ]
    form = ProposalForm(
        post_data(request), initial=initial, statement=bool(kind), body_required=not organiser,
        bodies=partnership.bodies.filter(pk__in=own).order_by("name"), processes=partnership.processes.order_by("title"),
        meetings=Meeting.objects.filter(body__partnership=partnership).select_related("body").order_by("-starts_at"),
    )  # fmt: skip
    proposal = save_if_valid(
        request, form,
        lambda data: _open(partnership, user, amends, data),
    )  # fmt: skip
    if proposal:
        messages.success(request, f"{proposal.title} is open for votes.")
        return redirect("proposal_detail", partnership.slug, proposal.pk)
    return render_in(
        request, "decisions/proposal_form.html", partnership, "decisions", "Open a proposal",
        form=form, amends=amends, statement_kind=kind, current_statement=current, process=process,
    )  # fmt: skip


def _open(partnership, user, amends, data):
    """Open the proposal; a refusal that depends on what was chosen (a process not at a stage
    that takes proposals) is shown on the form, not as a separate error page."""
    try:
        return services.proposal_create(partnership=partnership, actor=user, amends=amends, **data)
    except PermissionDenied:
        process = data.get("process")
        if process is not None and not proposals_open_in_stage.test(user, process):
            raise ValidationError({"process": _closed_stage_message(process)}) from None
        field = "process" if process else "body"
        raise ValidationError({field: "You cannot open a proposal here: " + REFUSED[0].lower() + REFUSED[1:]}) from None


def _closed_stage_message(process) -> str:
    """Name the stage, so a chair knows why and who can change it."""
    kind = current_stage_kind(process)
    if kind == SETUP:
        where = f"{process.title} has not started yet"
    elif kind == CLOSED:
        where = f"{process.title} has finished"
    else:
        where = f"{process.title} is in its {StageKind(kind).label.lower()} stage, which does not take proposals"
    return f"{where}. A convenor can open proposals for it in the process's stage settings, or leave the process blank."


def _detail(request, partnership, proposal, form=None):
    user = request.user
    vote = selectors.vote_of(user, proposal)
    can_vote = user.has_perm("decisions.vote", proposal)
    if can_vote and form is None:
        form = ballot_form_for(proposal, vote=vote)
    can_close = user.has_perm("decisions.close_proposal", proposal)
    is_open = proposal.status == Proposal.Status.OPEN
    may_propose = user.has_perm(
        "decisions.add_proposal", Proposal(partnership=partnership, body=proposal.body, process=proposal.process)
    )
    outcome = getattr(proposal, "outcome", None) if proposal.status == Proposal.Status.CLOSED else None
    return render_in(
        request, "decisions/proposal_detail.html", partnership, "decisions", proposal.title,
        proposal=proposal, vote=vote, vote_labels=_vote_labels(proposal, vote), form=form if can_vote else None,
        results=results_context(proposal) if user.has_perm("decisions.view_results", proposal) else None,
        status=status_label(proposal), method=method_label(proposal), outcome=outcome,
        can_close=can_close, can_withdraw=is_open and (can_close or proposal.created_by_id == user.pk),
        can_record=outcome is None and user.has_perm("decisions.record_outcome", proposal),
        can_amend=may_propose and proposal.status != Proposal.Status.DRAFT,
    )  # fmt: skip


def _vote_labels(proposal, vote) -> str:
    """The person's own vote in words."""
    if vote is None:
        return ""
    labels = {str(o.pk): o.label for o in proposal.options.all()}
    ballot = vote.ballot
    if "position" in ballot:
        return ballot["position"].capitalize() + (f" ({vote.reason})" if vote.reason else "")
    if "choices" in ballot:
        return ", ".join(labels.get(c, c) for c in ballot["choices"])
    if "dots" in ballot:
        return ", ".join(f"{labels.get(k, k)}: {n}" for k, n in ballot["dots"].items())
    if "ranking" in ballot:
        return ", ".join(f"{n}. {labels.get(k, k)}" for n, k in enumerate(ballot["ranking"], start=1))
    return ", ".join(f"{labels.get(k, k)}: {n}" for k, n in ballot.get("scores", {}).items())


@login_required
def proposal_detail(request, slug, pk):
    partnership, proposal = _proposal(request, slug, pk)
    if request.method == "POST":
        return _vote(request, partnership, proposal)
    return _detail(request, partnership, proposal)


@login_required
@require_POST
def proposal_vote(request, slug, pk):
    partnership, proposal = _proposal(request, slug, pk)
    return _vote(request, partnership, proposal)


def _vote(request, partnership, proposal):
    user = request.user
    back = redirect("proposal_detail", partnership.slug, proposal.pk)
    try:
        if not user.has_perm("decisions.vote", proposal):
            # The service explains why (closed, withdrawn) or refuses (403) and saves nothing.
            services.vote_cast(proposal=proposal, voter=user, ballot={})
        if "withdraw_vote" in request.POST:
            services.vote_withdraw(proposal=proposal, voter=user)
            messages.success(request, "Your vote has been withdrawn.")
            return back
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    form = ballot_form_for(proposal, request.POST)
    if form.is_valid():
        try:
            services.vote_cast(proposal=proposal, voter=user, ballot=form.ballot())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(form.error_field(getattr(exc, "code", None)), message)
        else:
            messages.success(request, "Your vote has been saved.")
            return back
    return _detail(request, partnership, proposal, form=form)


@login_required
@require_POST
def proposal_close(request, slug, pk):
    partnership, proposal = _proposal(request, slug, pk)
    if not request.user.has_perm("decisions.close_proposal", proposal):
        raise PermissionDenied("Only a convenor or the group's chair can close voting, and only while it is open.")
    services.proposal_close(proposal=proposal, actor=request.user)
    messages.success(request, "Voting has closed.")
    return redirect("proposal_detail", partnership.slug, proposal.pk)


@login_required
@require_POST
def proposal_withdraw(request, slug, pk):
    partnership, proposal = _proposal(request, slug, pk)
    try:
        services.proposal_withdraw(proposal=proposal, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The proposal has been withdrawn.")
    return redirect("proposal_detail", partnership.slug, proposal.pk)


@login_required
def proposal_outcome(request, slug, pk):
    partnership, proposal = _proposal(request, slug, pk)
    if not request.user.has_perm("decisions.record_outcome", proposal) or hasattr(proposal, "outcome"):
        raise PermissionDenied("Only a convenor or the group's chair can record the outcome, once voting has closed.")
    result = results_context(proposal)
    form = OutcomeForm(post_data(request), tied_options=tied_options(proposal))
    if save_if_valid(
        request, form, lambda data: services.outcome_record(proposal=proposal, actor=request.user, **data)
    ):
        messages.success(request, "The outcome has been recorded.")
        return redirect("proposal_detail", partnership.slug, proposal.pk)
    return render_in(
        request, "decisions/proposal_outcome.html", partnership, "decisions", f"Record the outcome of {proposal.title}",
        form=form, proposal=proposal, results=result, method=method_label(proposal),
        cancel_url=reverse("proposal_detail", args=[partnership.slug, proposal.pk]),
    )  # fmt: skip
