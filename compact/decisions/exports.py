"""The decision log as CSV and as a tagged PDF. Every CSV cell goes through `safe_cell`, so
nothing a person typed can run as a spreadsheet formula; the PDF's HTML is autoescaped. Outcomes are only recorded after voting closes, so no hidden
result is ever written here; counts never are."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from compact.core.csv import safe_cell
from compact.core.pdf import render_pdf

from .display import method_label, status_label

HEADER = ["title", "group", "process", "method", "status", "opened", "closes", "passed", "decision", "rationale",
          "review date"]  # fmt: skip


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def decision_log_rows(proposals):
    yield HEADER
    for p in proposals:
        outcome = getattr(p, "outcome", None)
        yield [
            safe_cell(value)
            for value in (
                p.title, p.body.name if p.body else "", p.process.title if p.process else "", method_label(p),
                status_label(p), _when(p.opens_at), _when(p.closes_at),
                ("yes" if outcome.passed else "no") if outcome else "",
                outcome.decision if outcome else "", outcome.rationale if outcome else "",
                outcome.review_on.isoformat() if outcome and outcome.review_on else "",
            )
        ]  # fmt: skip


def decision_log_csv(proposals, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    for row in decision_log_rows(proposals):
        writer.writerow(row)
    return response


def decision_log_pdf(proposals, *, partnership, filtered: bool, filename: str) -> HttpResponse:
    rows = [dict(zip(["title", "group", "process", "method", "status", "opened", "closes", "passed", "decision",
                      "rationale", "review"], row, strict=True))
            for row in list(decision_log_rows(proposals))[1:]]  # fmt: skip
    html = render_to_string(
        "decisions/decision_log_pdf.html",
        {
            "partnership": partnership,
            "rows": rows,
            "count": len(rows),
            "filtered": filtered,
            "now": timezone.localtime(),
        },
    )
    pdf = render_pdf(html, title=f"Decision log – {partnership.name}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
