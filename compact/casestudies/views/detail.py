"""A case study's own page, for members (with the review, consent and publication controls
their role allows) and for a contributor invited by link (their draft and its progress)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from .. import consent, evidence, readability
from ..models import Status, Version
from ..presentation import shown
from ..selectors import case_study_detail, reading_versions
from ..services.workflow import submission_problems
from .common import Editing, case_study_for, contributor_editing, render_editing

ACTIONS = [
    # (perm, the action's URL name, the button)
    ("casestudies.start_review", "start-review", "Start the review"),
    ("casestudies.approve_casestudy", "approve", "Approve"),
    ("casestudies.unpublish_casestudy", "unpublish", "Unpublish"),
]


def texts_with_glossary(view) -> dict:
    """The shown texts with the first use of each known acronym spelt out. Titles stay as
    written (short, and a heading), so the first use counted is in the summary or a section."""
    texts = [view.summary, *(text for _, _, text in view.sections)]
    expanded = readability.expand_first_use(texts)
    sections = [(n, h, t) for (n, h, _), t in zip(view.sections, expanded[1:], strict=True)]
    return {"summary": expanded[0], "sections": sections}


def _page(request, editing: Editing):
    case_study, user = editing.case_study, request.user
    detail = case_study_detail(case_study)
    editor = editing.actor is not None and user.has_perm("casestudies.anonymise_casestudy", case_study)
    version = request.GET.get("version") if editor else None
    if version not in (Version.NAMED, Version.ANONYMISED):
        version = Version.NAMED  # a contributor's own draft, or an editor's default
        if editing.contributor is None:
            version = reading_versions(user, editing.partnership, [case_study])[case_study.pk] or Version.NAMED
    view = shown(case_study, version, media=detail["media"], quotes=detail["quotes"])
    can_change = editing.contributor is not None or user.has_perm("casestudies.change_casestudy", case_study)

    def perm(name):
        return editing.actor is not None and user.has_perm(name, case_study)

    return render_editing(
        request, editing, "casestudies/casestudy_detail.html", case_study.title, view=view,
        shown_texts=texts_with_glossary(view), detail=detail, version=version, is_editor=editor,
        can_change=can_change, can_submit=can_change and case_study.status in (Status.DRAFT, Status.CHANGES_REQUESTED),
        submission_problems=submission_problems(case_study) if can_change else {},
        assessment=readability.assess([view.summary, *(t for _, _, t in view.sections)])
        if can_change or editor else None,
        actions=[(url, label) for name, url, label in ACTIONS if perm(name)],
        can_review=perm("casestudies.review_casestudy"), can_publish=perm("casestudies.publish_casestudy"),
        can_withdraw=perm("casestudies.withdraw_casestudy"), can_anonymise=editor,
        can_record_consent=perm("casestudies.record_consent"), consents=consent.status_rows(case_study),
        can_see_consent=editor or perm("casestudies.record_consent"),
        supports=evidence.supports([case_study.pk]).get(case_study.pk, []), statuses=Status,
    )  # fmt: skip


@login_required
def casestudy_detail(request, slug, pk):
    partnership, case_study = case_study_for(request, slug, pk)
    return _page(request, Editing(partnership, case_study, actor=request.user))


def contribute_detail(request, pk):
    return _page(request, contributor_editing(request, pk, to_change=False))
