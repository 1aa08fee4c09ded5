"""What a case study is evidence for: the key areas it supports (chosen on its edit page, stored
in CaseStudy.key_areas) and whatever a higher app links it to. The drafting app links case
studies to commitments in its own model and registers a source here from its ready(), so this
app never imports it (docs/decisions/0005).

A source is `fn(case_study_ids: set[int]) -> list[Support]` and must answer in a bounded number
of queries for any number of ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .models import CaseStudy


@dataclass(frozen=True)
class Support:
    case_study_id: int
    kind: str  # "key area", "commitment", ...
    label: str  # e.g. "Sustainability and funding (SEL VCSE Charter)"
    url: str


_SOURCES: list[Callable] = []


def register_evidence_source(source: Callable) -> None:
    _SOURCES.append(source)


def key_areas_supported(case_study_ids: set[int]) -> list[Support]:
    through = CaseStudy.key_areas.through.objects.filter(casestudy_id__in=case_study_ids).select_related(
        "keyarea__process__partnership"
    )
    return [
        Support(
            link.casestudy_id,
            "key area",
            f"{link.keyarea.title} ({link.keyarea.process.title})",
            reverse("key_areas", args=[link.keyarea.process.partnership.slug, link.keyarea.process.slug]),
        )  # fmt: skip
        for link in through.order_by("keyarea__process__title", "keyarea__position")
    ]


def supports(case_study_ids) -> dict[int, list[Support]]:
    """{case study id: what it is evidence for}, key areas first."""
    found: dict[int, list[Support]] = defaultdict(list)
    ids = set(case_study_ids)
    if not ids:
        return {}
    for source in [key_areas_supported, *_SOURCES]:
        for support in source(ids):
            found[support.case_study_id].append(support)
    return dict(found)
