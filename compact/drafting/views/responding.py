"""Responding to a consultation round, through its three doors: signed-in members, an emailed
invitation link, and the public link. One page for all three: the version's text with each key
area's questions after it, then who is responding. A refused response (not open yet, closed)
is shown again with everything typed, so nothing is lost."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from compact.core.forms import post_data
from compact.core.validation import add_errors
from compact.workshops.services.ideas import rate_limit_ok

from .. import consultation
from ..forms.rounds import ResponseForm, response_initial
from ..models import Round
from ..rendering import text_html
from ..services.responses import About, Door, ResponseRefused, check_door, earlier_response, response_submit
from .common import document_for, render_document

PUBLIC_LIMIT = 20  # responses from one address per hour through a public link: enough for a shared office
TOO_MANY = (
    "We have had a lot of responses from your connection in the last hour. Please wait an hour and send it again."
)


def _sections(round: Round, form: ResponseForm) -> tuple[list[dict], list]:
    """The version's blocks grouped for reading: the front matter, then each key area with its
    commitments and the questions about it. Questions about the whole document come last."""
    by_block: dict[int, list] = {}
    whole = []
    for question in form.questions:
        field = form[f"q{question.pk}"]
        (by_block.setdefault(question.block_id, []) if question.block_id else whole).append(field)
    sections, current = [], None
    for block in round.version.snapshot.get("blocks", []):
        block = block | {"html": text_html(block["body"])}
        if block["kind"] == "key_area":
            current = {"block": block, "children": [], "fields": by_block.pop(block["id"], [])}
            sections.append(current)
        elif block["kind"] == "commitment" and current is not None:
            current["children"].append(block)
        else:
            sections.append({"block": block, "children": [], "fields": []})
    for fields in by_block.values():  # key areas added after the version was saved
        whole.extend(fields)
    return sections, whole


def _respond(request, round: Round, door: Door, *, door_kind: str, inside_partnership: bool):
    check_door(round, door)
    refusal = consultation.refusal(round)
    earlier = earlier_response(round, door)
    organisation = None
    if door.invitation is not None:
        organisation = door.invitation.organisation
    elif door_kind == "member":
        membership = request.user.memberships.filter(partnership_id=round.document.partnership_id).first()
        organisation = membership.organisation if membership else None
    questions = list(round.questions.all())
    form = ResponseForm(
        post_data(request), round=round, questions=questions, door_kind=door_kind, organisation=organisation,
        partnership=round.document.partnership, initial=response_initial(earlier) if earlier else {},
    )  # fmt: skip
    status = 200
    if request.method == "POST" and form.is_valid():
        if door_kind == "public" and not rate_limit_ok(f"round:{round.pk}:{_client(request)}", PUBLIC_LIMIT, 3600):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            try:
                response_submit(
                    round=round, door=door, answers=form.answers(), about=About(**form.about()),
                    request_key=form.cleaned_data.get("request_key", ""),
                )  # fmt: skip
                return redirect(request.path + "?sent=1")
            except ResponseRefused as refused:
                refusal, status = str(refused), 403
            except ValidationError as error:
                add_errors(form, error)
                status = 400
    elif request.method == "POST":
        status = 400
    sections, whole = _sections(round, form)
    context = {
        "round": round, "form": form, "sections": sections, "whole": whole, "refusal": refusal,
        "earlier": earlier, "sent": request.GET.get("sent") == "1" and request.method == "GET",
        "closes": consultation.when(round.closes_at), "organisation": organisation, "door_kind": door_kind,
        "state": consultation.state(round),
        "about_fields": [form[name] for name in form.fields if not name.startswith("q") and name != "request_key"],
    }  # fmt: skip
    if inside_partnership:
        return render_document(
            request, "drafting/rounds/respond.html", round.document, round.title, status=status, **context
        )
    response = render(
        request, "drafting/rounds/respond.html",
        context | {"page_title_text": round.title, "partnership_name": round.document.partnership.name},
        status=status,
    )  # fmt: skip
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"  # the address is the respondent's key: never to another site
    return response


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


@login_required
@never_cache
def round_respond(request, slug, pk, round_pk):
    document = document_for(request, slug, pk)
    round = Round.objects.filter(document=document, pk=round_pk).select_related("version", "document").first()
    if round is None:
        raise Http404("No such consultation round")
    return _respond(request, round, Door(user=request.user), door_kind="member", inside_partnership=True)


@never_cache
def round_invited(request, token):
    invitation = consultation.invitation_from_token(token)
    if invitation is None:
        raise Http404("This invitation link is not valid. Check you copied all of it from the email.")
    round = Round.objects.select_related("version", "document__partnership", "document__process").get(
        pk=invitation.round_id
    )
    return _respond(request, round, Door(invitation=invitation), door_kind="invitation", inside_partnership=False)


@never_cache
def round_public(request, key):
    round = (
        Round.objects.filter(public_key=str(key)[:43], for_public=True)
        .select_related("version", "document__partnership", "document__process")
        .first()
    )
    if round is None:
        raise Http404("No such consultation. Check the link is complete.")
    door = Door(user=request.user, public=True)
    return _respond(request, round, door, door_kind="public", inside_partnership=False)
