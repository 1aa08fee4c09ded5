"""What a reader is shown of a case study: the named text, or the anonymised version.

Pages, the public library and every export read a case study through `shown()`, so all of them
agree on what the anonymised version leaves out: the names of featured organisations, quotes
without an anonymised attribution, images that picture a person, attachments and contacts."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import SECTIONS, CaseStudy, MediaFile, MediaKind, Version

SECTION_HEADINGS = {
    "challenge": "The challenge",
    "solution": "The solution",
    "what_we_did": "What we did",
    "impact": "The impact",
}


@dataclass(frozen=True)
class ShownQuote:
    text: str
    attribution: str


@dataclass(frozen=True)
class Shown:
    case_study: CaseStudy
    version: str
    title: str
    summary: str
    sections: list[tuple[str, str, str]]  # (field name, heading, Markdown text)
    quotes: list[ShownQuote]
    images: list[MediaFile]
    attachments: list[MediaFile] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)

    @property
    def anonymised(self) -> bool:
        return self.version == Version.ANONYMISED

    @property
    def places(self) -> list[str]:
        return [area.name for area in self.case_study.places.all()]

    @property
    def key_areas(self) -> list[str]:
        return [area.title for area in self.case_study.key_areas.all()]

    @property
    def tags(self) -> list[str]:
        """Core20PLUS5 tags, in the order people read them: Core20, PLUS groups, clinical areas."""
        case_study = self.case_study
        tags = ["Core20"] if case_study.core20 else []
        tags += [group.name for group in case_study.plus_groups.all()]
        tags += [area.get_area_display() for area in case_study.clinical_areas.all()]
        return tags

    @property
    def period(self) -> str:
        return period_text(self.case_study)


def period_text(case_study: CaseStudy) -> str:
    start, end = case_study.period_start, case_study.period_end
    if start and end:
        return (
            f"{start:%B %Y} to {end:%B %Y}" if (start.year, start.month) != (end.year, end.month) else f"{start:%B %Y}"
        )
    if start:
        return f"From {start:%B %Y}"
    if end:
        return f"Until {end:%B %Y}"
    return ""


def shown(case_study: CaseStudy, version: str | None = None, *, media=None, quotes=None) -> Shown:
    """The case study as `version` (by default the published one, else the named one).
    `media` and `quotes` may be passed already loaded (the page's detail selector has them)."""
    version = version or case_study.published_version or Version.NAMED
    media = list(case_study.media.prefetch_related("pictured")) if media is None else media
    quotes = list(case_study.quotes.all()) if quotes is None else quotes
    images = [m for m in media if m.kind == MediaKind.IMAGE]
    if version == Version.ANONYMISED:
        return Shown(
            case_study=case_study,
            version=version,
            title=case_study.anonymised_title,
            summary=case_study.anonymised_summary,
            sections=[(n, SECTION_HEADINGS[n], getattr(case_study, f"anonymised_{n}")) for n in SECTIONS],
            quotes=[ShownQuote(q.text, q.anonymised_attribution) for q in quotes if q.anonymised_attribution],
            # An image that pictures someone identifies them, whatever its alt text says.
            images=[m for m in images if not m.pictured.all()],
        )
    return Shown(
        case_study=case_study,
        version=Version.NAMED,
        title=case_study.title,
        summary=case_study.summary,
        sections=[(n, SECTION_HEADINGS[n], getattr(case_study, n)) for n in SECTIONS],
        quotes=[ShownQuote(q.text, q.attribution) for q in quotes],
        images=images,
        attachments=[m for m in media if m.kind == MediaKind.ATTACHMENT],
        organisations=[fo.organisation.name for fo in case_study.featured_organisations.all()],
    )


# What a list leaves in the database: it shows titles and summaries only.
LIST_DEFERRED = [*SECTIONS, *(f"anonymised_{name}" for name in SECTIONS)]


def listed(case_study: CaseStudy, version: str | None = None) -> Shown:
    """The case study as a list shows it (title, summary, tags, organisations when named), from a
    row loaded without its sections (`.defer(*LIST_DEFERRED)`)."""
    version = version or case_study.published_version or Version.NAMED
    anonymised = version == Version.ANONYMISED
    return Shown(
        case_study=case_study,
        version=version,
        title=case_study.anonymised_title if anonymised else case_study.title,
        summary=case_study.anonymised_summary if anonymised else case_study.summary,
        sections=[],
        quotes=[],
        images=[],
        organisations=[] if anonymised else [fo.organisation.name for fo in case_study.featured_organisations.all()],
    )
