"""The evidence section of the process page: the case studies that support each of the
process's key areas (the link is made on the case study's edit page)."""

from __future__ import annotations

from .selectors import case_studies_for_user


def evidence_section(request, process):
    partnership = process.partnership
    found = case_studies_for_user(user=request.user, partnership=partnership).filter(key_areas__process=process)
    by_area: dict = {}
    for case_study in found:
        for key_area in case_study.key_areas.all():
            if key_area.process_id == process.pk:
                by_area.setdefault(key_area, []).append(case_study)
    can_add = request.user.has_perm("casestudies.add_casestudy", partnership)
    if not by_area and not can_add:
        return None
    areas = sorted(by_area.items(), key=lambda pair: (pair[0].position, pair[0].pk))
    return "casestudies/partials/process_section.html", {"areas": areas, "can_add": can_add}
