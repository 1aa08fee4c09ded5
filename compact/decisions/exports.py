"""The decision log as CSV. Every cell goes through `safe_cell`, so nothing a person typed can
run as a spreadsheet formula. Outcomes are only recorded after voting closes, so no hidden
result is ever written here; counts never are."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils import timezone

from compact.core.csv import safe_cell

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
