"""The decisions section of the process page (registered with processes.sections)."""

from __future__ import annotations

from .. import selectors
from ..models import Proposal, StatementKind


def statements_section(request, process):
    """The current purpose, vision and priorities, their earlier versions, and links to propose new ones."""
    by_kind = selectors.statements_for_process(process)
    # Organisers, and the chairs of the partnership's groups (who propose through their group).
    may_propose = any(
        request.user.has_perm(
            "decisions.add_proposal", Proposal(partnership_id=process.partnership_id, body=body, process=process)
        )
        for body in [None, *process.partnership.bodies.all()]
    )
    statements = [
        {"kind": kind, "label": label, "current": by_kind[kind][0] if by_kind[kind] else None,
         "earlier": by_kind[kind][1:]}
        for kind, label in StatementKind.choices
    ]  # fmt: skip
    return "processes/partials/statements.html", {
        "statements": statements, "may_propose": may_propose, "slug": process.partnership.slug,
    }  # fmt: skip
