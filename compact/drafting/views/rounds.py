"""Running consultation rounds: the list, setting one up, its page for editors (audience,
questions, invitations and reminders) and changing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compact import theming
from compact.core.forms import post_data
from compact.core.validation import add_errors, error_text, save_if_valid
from compact.workshops.selectors_registration import organisation_choices

from .. import analysis, consultation
from ..forms.rounds import InviteForm, QuestionForm, RoundForm, round_initial
from ..models import Block, BlockKind, Document, Question, Round
from ..selectors import versions_for
from ..services import invitations, rounds
from .common import document_for, render_document

RUN = "drafting.run_consultation"
VIEW = "drafting.view_consultation"


def round_get(document: Document, round_pk) -> Round:
    round = Round.objects.filter(document=document, pk=round_pk).select_related("version", "document").first()
    if round is None:
        raise Http404("No such consultation round")
    return round


def round_url(round: Round, name: str = "round_detail") -> str:
    return reverse(name, args=[round.document.partnership.slug, round.document_id, round.pk])


def public_url(request, round: Round) -> str:
    return request.build_absolute_uri(reverse("round_public", args=[round.public_key]))


@login_required
def round_list(request, slug, pk):
    document = document_for(request, slug, pk)
    organiser = request.user.has_perm(VIEW, document)
    now = timezone.now()
    rounds = list(document.rounds.select_related("version").order_by("-opens_at"))
    answerable = consultation.answerable_now(document, rounds, request.user, now)
    found = []
    for round in rounds:
        may = round.pk in answerable
        if organiser or may:
            found.append({"round": round, "state": consultation.state(round, now), "may_respond": may,
                          "closes": consultation.when(round.closes_at), "opens": consultation.when(round.opens_at)})  # fmt: skip
    return render_document(
        request, "drafting/rounds/list.html", document, "Consultation rounds", rounds=found, organiser=organiser,
        can_run=request.user.has_perm(RUN, document), has_versions=versions_for(document).exists(),
    )  # fmt: skip


def _round_form(request, document, **kwargs) -> RoundForm:
    return RoundForm(
        post_data(request), versions=versions_for(document),
        organisations=organisation_choices(document.partnership), **kwargs,
    )  # fmt: skip


@login_required
def round_create(request, slug, pk):
    document = document_for(request, slug, pk, RUN)
    latest = versions_for(document).first()
    form = _round_form(request, document, initial={"version": latest.pk if latest else None})
    form.submit_label = "Set up the round"
    round = save_if_valid(
        request, form, lambda data: rounds.round_create(document=document, actor=request.user, **data)
    )
    if round:
        messages.success(
            request, "Round set up with a question for each key area. Check the questions, then send the invitations."
        )
        return redirect(round_url(round))
    return render_document(
        request, "drafting/rounds/form.html", document, "Set up a consultation round", form=form,
        cancel_url=reverse("round_list", args=[slug, pk]),
    )  # fmt: skip


@login_required
def round_edit(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, RUN)
    round = round_get(document, round_pk)
    form = _round_form(request, document, initial=round_initial(round))
    form.submit_label = "Save changes"
    if save_if_valid(request, form, lambda data: rounds.round_update(round=round, actor=request.user, **data)):
        messages.success(request, "Round updated")
        return redirect(round_url(round))
    return render_document(
        request, "drafting/rounds/form.html", document, f"Change {round.title}", form=form, cancel_url=round_url(round)
    )


def _invitation_counts(round: Round) -> dict:
    invited = round.invitations.all()
    return {
        "invited": invited.count(),
        "responded": invited.exclude(responses=None).count(),
        "responses": round.responses.count(),
    }


@login_required
def round_detail(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, VIEW)
    round = round_get(document, round_pk)
    questions = list(round.questions.select_related("block"))
    answered = round.responses.exists()
    page = Paginator(
        round.invitations.select_related("organisation").prefetch_related("responses").order_by("email"), 50
    ).get_page(request.GET.get("page"))
    can_run = request.user.has_perm(RUN, document)
    state = consultation.state(round)
    return render_document(
        request, "drafting/rounds/detail.html", document, round.title, round=round, questions=questions,
        answered=answered, state=state, state_label=consultation.STATE_LABELS[state],
        opens=consultation.when(round.opens_at), closes=consultation.when(round.closes_at),
        counts=_invitation_counts(round), invitations=page, can_run=can_run,
        public_link=public_url(request, round) if round.for_public else "",
        question_form=QuestionForm(key_areas=_key_areas(document)) if can_run and not answered else None,
        organisations=list(round.organisations.order_by("name")),
    )  # fmt: skip


def _key_areas(document: Document) -> list[Block]:
    return list(Block.objects.filter(document=document, kind=BlockKind.KEY_AREA, removed_at=None).order_by("position"))


def _act(request, action, success: str):
    """Run an editor's button on the round page, with the outcome as a message."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, error_text(error))
        return None
    messages.success(request, success.format(n=result, s="" if result == 1 else "s"))
    return result


@login_required
@require_POST
def round_question_add(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, RUN)
    round = round_get(document, round_pk)
    form = QuestionForm(request.POST, key_areas=_key_areas(document))
    if save_if_valid(request, form, lambda data: rounds.question_add(round=round, actor=request.user, **data)):
        messages.success(request, "Question added")
        return redirect(round_url(round) + "#questions")
    return render_document(
        request, "drafting/rounds/question_form.html", document, "Add a question", form=form, round=round,
        cancel_url=round_url(round), status=400,
    )  # fmt: skip


@login_required
@require_POST
def round_question_remove(request, slug, pk, round_pk, question_pk):
    document = document_for(request, slug, pk, RUN)
    round = round_get(document, round_pk)
    question = Question.objects.filter(round=round, pk=question_pk).first()
    if question is None:
        raise Http404("No such question")
    _act(request, lambda: rounds.question_remove(question=question, actor=request.user), "Question removed")
    return redirect(round_url(round) + "#questions")


@login_required
def round_invite(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, RUN)
    round = round_get(document, round_pk)
    form = InviteForm(post_data(request), organisations=organisation_choices(document.partnership))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = invitations.invitations_add(
                round=round, actor=request.user, emails=data["emails"], organisation=data["organisation"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            who = "person" if added == 1 else "people"
            messages.success(request, f"{added} {who} added. Send the invitations when you are ready.")
            return redirect(round_url(round) + "#invitations")
    return render_document(
        request, "drafting/rounds/invite_form.html", document, "Invite people by email", form=form, round=round,
        cancel_url=round_url(round), status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
@require_POST
def round_send(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, RUN)
    round = round_get(document, round_pk)
    _act(request, lambda: invitations.invitations_send(round=round, actor=request.user), "{n} invitation{s} sent")
    return redirect(round_url(round) + "#invitations")


@login_required
@require_POST
def round_remind(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, RUN)
    round = round_get(document, round_pk)
    _act(request, lambda: invitations.reminders_send(round=round, actor=request.user), "{n} reminder{s} sent")
    return redirect(round_url(round) + "#invitations")


@login_required
def round_analysis(request, slug, pk, round_pk):
    document = document_for(request, slug, pk, VIEW)
    round = round_get(document, round_pk)
    key_areas, whole = analysis.key_area_results(round)
    by_kind, by_borough = analysis.response_rates(round)
    return render_document(
        request, "drafting/rounds/analysis.html", document, f"Responses to {round.title}", round=round,
        key_areas=key_areas, whole=whole, by_kind=by_kind, by_borough=by_borough, not_heard=analysis.not_heard(round),
        counts=analysis.counts(round), semantic=theming.embedding_backend().is_semantic,
        state_label=consultation.STATE_LABELS[consultation.state(round)],
    )  # fmt: skip
