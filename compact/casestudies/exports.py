"""Case studies as CSV (one row per case study) and as an accessible Word document (DOCX).

Both read what `shown()` gives, so an export never shows more than the page does: the anonymised
version has no organisation names, quotes without an anonymised attribution, images that picture
a person or attachments. CSV cells go through `safe_cell`, so nothing typed runs as a formula.
In the DOCX everything typed goes into runs as plain text: Markdown markers are dropped, HTML is
never interpreted, and every image carries its alt text."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from compact.core.csv import safe_cell
from compact.core.docx import DOCX_TYPE, plain, set_language, table, to_bytes

from .models import SECTIONS
from .presentation import Shown

CSV_HEADER = [
    "title", "summary", "status", "version", "period", "places", "key areas", "Core20PLUS5 tags", "organisations",
    *(name.replace("_", " ") for name in SECTIONS), "quotes", "published",
]  # fmt: skip
MAX_IMAGE_CM = 15
WORD_IMAGE_FORMATS = {"PNG", "JPEG", "GIF"}  # others (WebP) are converted to PNG first
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_BULLET = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")
# Numbered items keep their typed numbers: Word's "List Number" would continue the contents' count.
_NUMBERED = re.compile(r"^\s{0,3}(\d{1,9}[.)]\s+.*)$")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+")


def filename_stem(items: list[Shown], title: str = "") -> str:
    """`case-study-<slug>` for one, `case-studies-<slug of the title>` for a selection. The slug
    is of the title shown, so an anonymised export's name does not give the named title away."""
    if len(items) == 1:
        return f"case-study-{slugify(items[0].title)[:60] or items[0].case_study.pk}"
    return f"case-studies-{slugify(title)[:60]}".rstrip("-")


def _attachment(response: HttpResponse, stem: str, ext: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{slugify(stem)[:100] or "case-studies"}.{ext}"'
    return response


# CSV ------------------------------------------------------------------------------------------


def _published(item: Shown) -> str:
    published_at = item.case_study.published_at
    return timezone.localdate(published_at).isoformat() if published_at else ""


def csv_rows(items: list[Shown]):
    yield CSV_HEADER
    for item in items:
        values = [
            item.title, item.summary, item.case_study.get_status_display(), item.version, item.period,
            "; ".join(item.places), "; ".join(item.key_areas), "; ".join(item.tags), "; ".join(item.organisations),
            *(text for _name, _heading, text in item.sections),
            "\n\n".join(f"{q.text} — {q.attribution}" for q in item.quotes), _published(item),
        ]  # fmt: skip
        yield [safe_cell(value) for value in values]


def csv_response(items: list[Shown], filename_stem: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so Excel reads UTF-8 (names with accents, non-Latin scripts)
    csv.writer(response).writerows(csv_rows(items))
    return _attachment(response, filename_stem, "csv")


# DOCX: Markdown as plain paragraphs ---------------------------------------------------------------


def _unemphasise(text: str) -> str:
    previous = None
    while previous != text:  # nested emphasis (**_x_**) loses one layer per pass
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def _inline(text: str) -> str:
    """Markdown inline markup as a reader would say it: no emphasis markers, links as "text (url)"."""
    out, last = [], 0
    for link in _LINK.finditer(text):
        out += [_unemphasise(text[last : link.start()]), f"{_unemphasise(link[1])} ({link[2]})"]
        last = link.end()
    return "".join([*out, _unemphasise(text[last:])])


def _markdown(document, text: str) -> None:
    """Blocks split on blank lines; list items become list paragraphs, other lines run together
    as Markdown joins them. Nothing is interpreted: HTML stays literal text."""
    for block in re.split(r"\n\s*\n", plain(text).strip()):
        lines: list[str] = []
        for line in block.splitlines():
            item = _BULLET.match(line) or _NUMBERED.match(line)
            if item:
                _paragraph(document, " ".join(lines))
                lines = []
                style = "List Bullet" if _BULLET.match(line) else "List Paragraph"
                _paragraph(document, item[1], style)
            else:
                lines.append(_HEADING_MARK.sub("", line).strip())
        _paragraph(document, " ".join(lines))


def _paragraph(document, text: str, style: str | None = None) -> None:
    text = _inline(text.strip())
    if text:
        document.add_paragraph(style=style).add_run(text)


# DOCX: the parts of a case study ------------------------------------------------------------------


def _details(document, item: Shown) -> None:
    rows = [
        [label, value]
        for label, value in (
            ("Period", item.period),
            ("Places", ", ".join(item.places)),
            ("Key areas", ", ".join(item.key_areas)),
            ("Core20PLUS5", ", ".join(item.tags)),
            ("Organisations", ", ".join(item.organisations)),
        )  # fmt: skip
        if value
    ]
    if rows:
        table(document, ["Detail", "Value"], rows, f"Details: {item.title}")


def _quotes(document, item: Shown) -> None:
    if item.quotes:
        document.add_heading("Quotes", level=2)
    for quote in item.quotes:
        paragraph = document.add_paragraph(style="Quote")
        paragraph.add_run(f"“{plain(quote.text).strip()}”")
        paragraph.add_run().add_break()
        paragraph.add_run(f"— {plain(quote.attribution)}")


def _image_stream(media) -> io.BytesIO | None:
    """The stored image in a format Word reads, or None if the file is missing or unreadable."""
    from PIL import Image

    try:
        with media.file.open("rb") as stored:
            data = stored.read()
        with Image.open(io.BytesIO(data)) as image:
            if image.format in WORD_IMAGE_FORMATS:
                return io.BytesIO(data)
            converted = io.BytesIO()
            image.convert("RGBA").save(converted, "PNG")
            converted.seek(0)
            return converted
    except Exception:  # noqa: BLE001 - a missing or broken file must not stop the export
        return None


def _image(document, media) -> None:
    from docx.shared import Cm

    alt_text = plain(media.alt_text).strip()
    stream = _image_stream(media)
    paragraph = document.add_paragraph()
    try:
        shape = paragraph.add_run().add_picture(stream) if stream else None
    except Exception:  # noqa: BLE001 - python-docx could not read it after all
        shape = None
    if shape is None:
        paragraph.add_run(f"[Image not available: {alt_text}]")
        return
    if shape.width > Cm(MAX_IMAGE_CM):
        shape.height, shape.width = int(shape.height * Cm(MAX_IMAGE_CM) / shape.width), Cm(MAX_IMAGE_CM)
    shape._inline.docPr.set("descr", alt_text)
    credit = plain(media.credit).strip()
    if credit:
        prefix = "" if credit.lower().startswith("photo") else "Photo: "
        document.add_paragraph(style="Caption").add_run(prefix + credit)


def _case_study(document, item: Shown) -> None:
    document.add_heading(plain(item.title), level=1)
    _markdown(document, item.summary)
    _details(document, item)
    for _name, heading, text in item.sections:
        if text.strip():
            document.add_heading(heading, level=2)
            _markdown(document, text)
    _quotes(document, item)
    if item.images:
        document.add_heading("Images", level=2)
    for media in item.images:
        _image(document, media)


def docx_bytes(items: list[Shown], title: str) -> bytes:
    from docx import Document

    document = Document()
    title = plain(title).strip() or "Case studies"
    document.core_properties.title = title[:250]
    document.core_properties.comments = ""
    set_language(document)
    document.add_heading(title, level=0)
    if len(items) > 1:
        document.add_heading("Contents", level=1)
        for item in items:
            document.add_paragraph(style="List Number").add_run(plain(item.title))
    for item in items:
        _case_study(document, item)
    return to_bytes(document)


def docx_response(items: list[Shown], title: str, filename_stem: str) -> HttpResponse:
    return _attachment(HttpResponse(docx_bytes(items, title), content_type=DOCX_TYPE), filename_stem, "docx")
