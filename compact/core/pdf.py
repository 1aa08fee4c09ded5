"""HTML to tagged PDF (PDF/UA-1) with WeasyPrint. WeasyPrint only *logs* accessibility problems
(a missing alt text, say) as ERROR records, so any ERROR while rendering fails the export
instead of producing an inaccessible file."""

from __future__ import annotations

import logging

PDF_VARIANT = "pdf/ua-1"


class PDFRenderError(RuntimeError):
    pass


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_pdf(html: str, *, title: str, lang: str = "en-GB") -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which only PDF exports need

    logger = logging.getLogger("weasyprint")
    collector = _Collect()
    logger.addHandler(collector)
    try:
        document = HTML(string=html).render()
        document.metadata.title = title
        document.metadata.lang = lang
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(collector)
    if collector.messages:
        raise PDFRenderError("; ".join(collector.messages))
    return pdf
