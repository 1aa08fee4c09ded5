"""What consent a case study needs before it is published, and what is missing.

Needed: every featured organisation and every named or pictured person, each with a current
consent (not withdrawn, not replaced, not past its expiry day) covering every use being
published ("published document" and/or "public web"). An anonymised version needs none of
those, but must not show the name of any person, nor of a featured organisation whose consent
does not cover the use (a withdrawn organisation consent included)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from .models import ANONYMISED_FIELDS, CaseStudy, Consent, Use

PUBLIC_USES = {Use.DOCUMENT, Use.WEB}


@dataclass(frozen=True)
class Subject:
    key: tuple[str, int]  # ("organisation", featured_organisation_id) or ("person", person_id)
    name: str


@dataclass(frozen=True)
class Gap:
    subject: Subject
    reason: str  # missing, withdrawn, expired, uses

    @property
    def message(self) -> str:
        return {
            "missing": f"No consent has been recorded from {self.subject.name}",
            "withdrawn": f"{self.subject.name} has withdrawn their consent",
            "expired": f"The consent from {self.subject.name} has expired",
            "uses": f"The consent from {self.subject.name} does not cover this use",
        }[self.reason]


def subjects(case_study: CaseStudy) -> list[Subject]:
    organisations = [
        Subject(("organisation", fo.pk), fo.organisation.name)
        for fo in case_study.featured_organisations.select_related("organisation").order_by("organisation__name")
    ]
    people = [Subject(("person", p.pk), p.name) for p in case_study.people.order_by("name")]
    return organisations + people


def _key(consent: Consent) -> tuple[str, int]:
    if consent.featured_organisation_id:
        return ("organisation", consent.featured_organisation_id)
    return ("person", consent.person_id)


def latest_consents(case_study: CaseStudy) -> dict[tuple[str, int], Consent]:
    """The newest consent per subject (current or withdrawn; replaced ones are history)."""
    latest: dict[tuple[str, int], Consent] = {}
    for consent in case_study.consents.filter(replaced_at__isnull=True).order_by("-given_at", "-pk"):
        latest.setdefault(_key(consent), consent)
    return latest


def is_valid(consent: Consent | None, uses: set[str], today: dt.date) -> str | None:
    """None when the consent holds for every use, else the reason it does not."""
    if consent is None:
        return "missing"
    if consent.withdrawn_at is not None:
        return "withdrawn"
    if consent.expires_on is not None and consent.expires_on < today:
        return "expired"
    if not set(uses) <= consent.uses:
        return "uses"
    return None


def gaps(case_study: CaseStudy, uses: set[str], today: dt.date | None = None) -> list[Gap]:
    today = today or timezone.localdate()
    latest = latest_consents(case_study)
    found = []
    for subject in subjects(case_study):
        reason = is_valid(latest.get(subject.key), uses, today)
        if reason:
            found.append(Gap(subject, reason))
    return found


def status_rows(case_study: CaseStudy, today: dt.date | None = None) -> list[dict]:
    """For the consent table: each organisation or person featured, their newest consent, and
    why it does not hold (None when it does) for the published document and for the web."""
    today = today or timezone.localdate()
    latest = latest_consents(case_study)
    return [
        {
            "subject": subject,
            "consent": latest.get(subject.key),
            "document": is_valid(latest.get(subject.key), {Use.DOCUMENT}, today),
            "web": is_valid(latest.get(subject.key), {Use.WEB}, today),
        }  # fmt: skip
        for subject in subjects(case_study)
    ]


def anonymised_texts(case_study: CaseStudy) -> dict[str, str]:
    texts = {name: getattr(case_study, name) for name in ANONYMISED_FIELDS}
    for quote in case_study.quotes.all():
        if quote.anonymised_attribution:
            texts[f"quote_{quote.position}"] = f"{quote.text}\n{quote.anonymised_attribution}"
    return texts


def anonymised_problems(case_study: CaseStudy, uses: set[str], today: dt.date | None = None) -> dict[str, str]:
    """{field: message} for an anonymised version that is incomplete or still names someone."""
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    for name in ANONYMISED_FIELDS:
        if not getattr(case_study, name).strip():
            problems[name] = "Write the anonymised version of this part before publishing it"
    latest = latest_consents(case_study)
    hidden = [s.name for s in subjects(case_study) if s.key[0] == "person"]
    hidden += [
        s.name
        for s in subjects(case_study)
        if s.key[0] == "organisation" and is_valid(latest.get(s.key), uses, today) is not None
    ]
    for field, text in anonymised_texts(case_study).items():
        lowered = text.casefold()
        for name in hidden:
            if name.strip() and name.casefold() in lowered:
                problems.setdefault(
                    field if field in ANONYMISED_FIELDS else "quotes",
                    f"The anonymised version still names {name}, who has not consented to being named",
                )
    return problems
