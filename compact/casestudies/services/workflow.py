"""The review and publication workflow.

draft -> submitted -> in review -> (changes requested -> submitted ...) -> consent pending
-> approved -> published; withdrawn from any state. Every change of state is audited with the
states only, never the text."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from compact.core.services import require_perm

from .. import consent
from ..models import CaseStudy, MediaKind, ReviewComment, Status, Use, Version
from ..presentation import SECTION_HEADINGS
from ._common import clean_text, lock, raise_if, record

EDITORS_ONLY = "Only the partnership's convenors and facilitators can do this, and only at this point in the review."
REQUIRED = {"title": "Enter a title", "summary": "Write a summary"} | {
    name: f"Write {heading[0].lower()}{heading[1:]}" for name, heading in SECTION_HEADINGS.items()
}


def _move(case_study: CaseStudy, actor, to: str, action: str, **extra) -> CaseStudy:
    before = case_study.status
    case_study.status = to
    if to != Status.PUBLISHED:
        case_study.published_version, case_study.published_document, case_study.published_web = "", False, False
        case_study.published_at = None
    case_study.full_clean()
    case_study.save()
    record(case_study, actor, action, {"status": [before, to]} | extra)
    return case_study


def submission_problems(case_study: CaseStudy) -> dict[str, str]:
    """What stops a case study being submitted: empty sections, images without alt text or credit."""
    problems = {name: message for name, message in REQUIRED.items() if not getattr(case_study, name).strip()}
    undescribed = [
        m.original_name for m in case_study.media.filter(kind=MediaKind.IMAGE) if not (m.alt_text and m.credit)
    ]
    if undescribed:
        problems["media"] = "Give every image alt text and a credit: " + ", ".join(sorted(undescribed))
    return problems


@transaction.atomic
def case_study_submit(*, case_study: CaseStudy, actor=None, contributor=None) -> CaseStudy:
    """Submit for review. Submitting again (a double click, a second tab) changes nothing."""
    from ..rules import contributor_may_edit

    case_study = lock(case_study)
    if case_study.status == Status.SUBMITTED:
        if contributor is not None:
            if case_study.contributor_id != contributor.pk:
                raise PermissionDenied("This case study cannot be submitted now.")
            return case_study
        require_perm(actor, "casestudies.view_casestudy", case_study)
        return case_study
    if contributor is not None:
        if not contributor_may_edit(contributor, case_study):
            raise ValidationError("This case study cannot be submitted now.")
    else:
        require_perm(actor, "casestudies.submit_casestudy", case_study, "You cannot submit this case study now.")
    raise_if(submission_problems(case_study))
    case_study.submitted_at = timezone.now()
    return _move(case_study, actor, Status.SUBMITTED, "casestudy.submit")


@transaction.atomic
def case_study_start_review(*, case_study: CaseStudy, actor) -> CaseStudy:
    case_study = lock(case_study)
    require_perm(actor, "casestudies.start_review", case_study, EDITORS_ONLY)
    return _move(case_study, actor, Status.IN_REVIEW, "casestudy.start_review")


def _comment(case_study: CaseStudy, actor, text: str, requests_changes: bool) -> ReviewComment:
    errors: dict = {}
    text = clean_text(text, "comment", errors)
    if not text and "comment" not in errors:
        errors["comment"] = "Write what needs to change" if requests_changes else "Write a comment"
    comment = ReviewComment(case_study=case_study, author=actor, text=text, requests_changes=requests_changes)
    if not errors:
        try:
            comment.full_clean()
        except ValidationError as error:
            errors["comment"] = error.messages[0]
    raise_if(errors)
    comment.save()
    return comment


@transaction.atomic
def review_comment_add(*, case_study: CaseStudy, actor, text: str) -> ReviewComment:
    case_study = lock(case_study)
    require_perm(actor, "casestudies.review_casestudy", case_study, EDITORS_ONLY)
    comment = _comment(case_study, actor, text, requests_changes=False)
    record(case_study, actor, "casestudy.review_comment", obj=comment)
    return comment


@transaction.atomic
def case_study_request_changes(*, case_study: CaseStudy, actor, comment: str) -> CaseStudy:
    case_study = lock(case_study)
    require_perm(actor, "casestudies.review_casestudy", case_study, EDITORS_ONLY)
    _comment(case_study, actor, comment, requests_changes=True)
    return _move(case_study, actor, Status.CHANGES_REQUESTED, "casestudy.request_changes")


@transaction.atomic
def case_study_accept(*, case_study: CaseStudy, actor) -> CaseStudy:
    """The review is done: the case study now waits for consent."""
    case_study = lock(case_study)
    require_perm(actor, "casestudies.review_casestudy", case_study, EDITORS_ONLY)
    return _move(case_study, actor, Status.CONSENT_PENDING, "casestudy.accept")


def publishable(case_study: CaseStudy, today=None) -> bool:
    """Publishable in at least one way: named with every consent for a public use, or anonymised."""
    return any(
        not consent.gaps(case_study, {use}, today) or not consent.anonymised_problems(case_study, {use}, today)
        for use in (Use.DOCUMENT, Use.WEB)
    )


@transaction.atomic
def case_study_approve(*, case_study: CaseStudy, actor) -> CaseStudy:
    case_study = lock(case_study)
    require_perm(actor, "casestudies.approve_casestudy", case_study, EDITORS_ONLY)
    if not publishable(case_study):
        problems = [gap.message for gap in consent.gaps(case_study, {Use.DOCUMENT})]
        raise ValidationError(
            {"consent": ["Record every consent needed, or write a complete anonymised version.", *problems]}
        )
    return _move(case_study, actor, Status.APPROVED, "casestudy.approve")


def publication_problems(case_study: CaseStudy, uses: set[str], version: str, today=None) -> dict:
    if not uses or not uses <= consent.PUBLIC_USES:
        return {"uses": "Choose where to publish: the published document, the public website, or both"}
    if version == Version.NAMED:
        found = consent.gaps(case_study, uses, today)
        return {"consent": [gap.message for gap in found]} if found else {}
    if version == Version.ANONYMISED:
        return consent.anonymised_problems(case_study, uses, today)
    return {"version": "Choose the named or the anonymised version"}


@transaction.atomic
def case_study_publish(*, case_study: CaseStudy, actor, uses, version: str = Version.NAMED) -> CaseStudy:
    """Publish (or re-publish with other uses or version). Named publication needs a current
    consent from every featured organisation and person for every use; the anonymised version
    needs none, but must not name anyone without that consent."""
    case_study = lock(case_study)
    require_perm(actor, "casestudies.publish_casestudy", case_study, EDITORS_ONLY)
    uses = {str(u) for u in uses}
    raise_if(publication_problems(case_study, uses, version))
    case_study.published_version = version
    case_study.published_document = Use.DOCUMENT in uses
    case_study.published_web = Use.WEB in uses
    case_study.published_at = timezone.now()
    return _move(case_study, actor, Status.PUBLISHED, "casestudy.publish", uses=sorted(uses), version=version)


@transaction.atomic
def case_study_unpublish(*, case_study: CaseStudy, actor) -> CaseStudy:
    case_study = lock(case_study)
    require_perm(actor, "casestudies.unpublish_casestudy", case_study, EDITORS_ONLY)
    return _move(case_study, actor, Status.APPROVED, "casestudy.unpublish")


@transaction.atomic
def case_study_withdraw(*, case_study: CaseStudy, actor) -> CaseStudy:
    """The author or an editor withdraws it, from any state; it is unpublished everywhere."""
    case_study = lock(case_study)
    if case_study.status == Status.WITHDRAWN:
        require_perm(actor, "casestudies.view_casestudy", case_study)
        return case_study
    require_perm(actor, "casestudies.withdraw_casestudy", case_study, "Only the author or an editor can withdraw it.")
    return _move(case_study, actor, Status.WITHDRAWN, "casestudy.withdraw")


def still_holds(case_study: CaseStudy, today=None) -> bool:
    """Whether an approved or published case study still has the consent its state needs."""
    if case_study.status == Status.PUBLISHED:
        uses = case_study.published_uses
        return not publication_problems(case_study, uses, case_study.published_version, today)
    if case_study.status == Status.APPROVED:
        return publishable(case_study, today)
    return True


def back_to_consent_pending(case_study: CaseStudy, actor, reason: str) -> bool:
    """Take an approved or published case study back to consent pending (unpublished everywhere)
    when its consent no longer holds. Returns whether it was published."""
    was_published = case_study.status == Status.PUBLISHED
    _move(case_study, actor, Status.CONSENT_PENDING, "casestudy.consent_lapsed", reason=reason)
    return was_published
