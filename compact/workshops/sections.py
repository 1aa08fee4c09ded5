"""The workshops section of the process page (registered with processes.sections)."""

from __future__ import annotations

from . import selectors


def workshops_section(request, process):
    workshops = list(selectors.workshops_for_process(process))
    can_add = request.user.has_perm("workshops.add_workshop", process)
    if not workshops and not can_add:
        return None
    return "workshops/partials/process_section.html", {"workshops": workshops, "can_add": can_add}
