"""The process page's "Document" section: the process's documents, and a link to start one."""

from __future__ import annotations

from .selectors import documents_for_process


def document_section(request, process):
    documents = list(documents_for_process(process))
    can_add = request.user.has_perm("drafting.add_document", process)
    if not documents and not can_add:
        return None
    return "drafting/partials/process_section.html", {"documents": documents, "can_add": can_add}
