"""Creating case studies, editing their text and tags, the anonymised version, PLUS groups."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from compact.core.services import require_perm
from compact.geography.models import Area
from compact.processes.models import KeyArea

from ..models import ANONYMISED_FIELDS, CaseStudy, CaseStudyClinicalArea, ClinicalArea, PlusGroup
from ._common import UNSET, clean_text, full_clean_into, lock, record, require_edit

ADD_REFUSED = "Only convenors, facilitators and members of this partnership can start a case study."


def _set_texts(case_study: CaseStudy, texts: dict, errors: dict) -> list[str]:
    changed = []
    for name, value in texts.items():
        if value is None:
            continue
        cleaned = clean_text(value, name, errors, one_line=name.endswith("title"))
        if cleaned != getattr(case_study, name):
            setattr(case_study, name, cleaned)
            changed.append(name)
    case_study.refresh_search_text()
    return changed


@transaction.atomic
def case_study_create(
    *, partnership, actor, title: str, summary: str = "", challenge: str = "", solution: str = "",
    what_we_did: str = "", impact: str = "", request_key: str = "",
) -> CaseStudy:  # fmt: skip
    """Start a draft. The same `request_key` from the same form returns the first case study."""
    require_perm(actor, "casestudies.add_casestudy", partnership, ADD_REFUSED)
    request_key = str(request_key or "")[:64]
    if request_key:
        existing = CaseStudy.objects.filter(partnership=partnership, request_key=request_key).first()
        if existing is not None:
            return existing
    case_study = CaseStudy(partnership=partnership, created_by=actor, request_key=request_key, title="")
    errors: dict = {}
    texts = dict(title=title, summary=summary, challenge=challenge, solution=solution)
    _set_texts(case_study, texts | dict(what_we_did=what_we_did, impact=impact), errors)
    full_clean_into(case_study, errors, whole="title")
    try:
        with transaction.atomic():
            case_study.save()
    except IntegrityError:
        existing = CaseStudy.objects.filter(partnership=partnership, request_key=request_key).first()
        if request_key and existing is not None:
            return existing
        raise
    record(case_study, actor, "casestudy.create", {"after": {"status": case_study.status}})
    return case_study


def _check_tags(case_study, *, key_areas, plus_groups, clinical_areas, errors) -> None:
    if key_areas is not None and any(k.process.partnership_id != case_study.partnership_id for k in key_areas):
        errors["key_areas"] = "Choose key areas from this partnership's processes"
    if plus_groups is not None and any(g.partnership_id != case_study.partnership_id for g in plus_groups):
        errors["plus_groups"] = "Choose PLUS groups from this partnership"
    if clinical_areas is not None and not set(clinical_areas) <= set(ClinicalArea.values):
        errors["clinical_areas"] = "Choose clinical areas from the Core20PLUS5 list"


@transaction.atomic
def case_study_update(
    *, case_study: CaseStudy, actor=None, contributor=None, title: str | None = None, summary: str | None = None,
    challenge: str | None = None, solution: str | None = None, what_we_did: str | None = None,
    impact: str | None = None, period_start=UNSET, period_end=UNSET, core20: bool | None = None,
    plus_groups: list[PlusGroup] | None = None, key_areas: list[KeyArea] | None = None,
    places: list[Area] | None = None, clinical_areas: list[str] | None = None,
) -> CaseStudy:  # fmt: skip
    """Change the text and tags. Arguments left out (None) stay as they are."""
    case_study = lock(case_study)
    require_edit(case_study, actor, contributor)
    errors: dict = {}
    texts = dict(title=title, summary=summary, challenge=challenge, solution=solution, what_we_did=what_we_did)
    changed = _set_texts(case_study, texts | {"impact": impact}, errors)
    for name, value in (("period_start", period_start), ("period_end", period_end), ("core20", core20)):
        if value is not UNSET and (value is not None or name != "core20") and value != getattr(case_study, name):
            setattr(case_study, name, value)
            changed.append(name)
    if key_areas is not None:
        key_areas = list(KeyArea.objects.filter(pk__in=[k.pk for k in key_areas]).select_related("process"))
    _check_tags(case_study, key_areas=key_areas, plus_groups=plus_groups, clinical_areas=clinical_areas, errors=errors)
    if case_study.period_start and case_study.period_end and case_study.period_end < case_study.period_start:
        errors["period_end"] = "The end of the period must be the same as or after its start"
    full_clean_into(case_study, errors, whole="title")
    case_study.save()
    for name, values in (("key_areas", key_areas), ("plus_groups", plus_groups), ("places", places)):
        if values is not None:
            getattr(case_study, name).set(values)
            changed.append(name)
    if clinical_areas is not None:
        case_study.clinical_areas.all().delete()
        CaseStudyClinicalArea.objects.bulk_create(
            [CaseStudyClinicalArea(case_study=case_study, area=a) for a in sorted(set(clinical_areas))]
        )
        changed.append("clinical_areas")
    record(case_study, actor, "casestudy.update", {"fields": sorted(set(changed))})
    return case_study


@transaction.atomic
def case_study_anonymise(*, case_study: CaseStudy, actor, **texts: str) -> CaseStudy:
    """Editors write the anonymised version: anonymised_title, anonymised_summary and the
    anonymised sections. Names are checked when it is published (consent.anonymised_problems)."""
    unknown = set(texts) - set(ANONYMISED_FIELDS)
    if unknown:
        raise TypeError(f"Unknown anonymised fields: {sorted(unknown)}")
    case_study = lock(case_study)
    require_perm(actor, "casestudies.anonymise_casestudy", case_study, "Only editors can write the anonymised version.")
    errors: dict = {}
    changed = _set_texts(case_study, texts, errors)
    full_clean_into(case_study, errors, whole="title")
    case_study.save()
    record(case_study, actor, "casestudy.anonymise", {"fields": changed})
    return case_study


@transaction.atomic
def plus_group_create(*, partnership, actor, name: str, description: str = "") -> PlusGroup:
    require_perm(actor, "casestudies.manage_tags", partnership, "Only convenors and facilitators can add PLUS groups.")
    errors: dict = {}
    group = PlusGroup(partnership=partnership)
    group.name = clean_text(name, "name", errors, one_line=True)
    group.description = clean_text(description, "description", errors)
    full_clean_into(group, errors)
    group.save()
    record(group, actor, "casestudy.plus_group_create", {"name": group.name})
    return group
