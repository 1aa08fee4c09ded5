"""Process permissions: a role in the partnership AND a stage that allows the feature."""

import rules

from compact.partnerships.rules import is_convenor, is_organiser, is_partnership_member

from .registry import registry
from .selectors import current_stage_kind


def stage_allows(feature: str):
    """True when the process's current stage allows the feature, or the process's settings
    open it outside that stage."""

    @rules.predicate(name=f"stage_allows({feature})")
    def predicate(user, process) -> bool:
        if process is None:
            return False
        if registry.allows(current_stage_kind(process), feature):
            return True
        return bool((process.feature_settings or {}).get(feature))

    return predicate


rules.add_perm("processes.view_process", is_partnership_member)
rules.add_perm("processes.change_process", is_convenor & stage_allows("processes.edit_purpose"))
rules.add_perm("processes.edit_timeline", is_organiser & stage_allows("processes.edit_timeline"))
rules.add_perm("processes.advance_stage", is_convenor & stage_allows("processes.edit_timeline"))
rules.add_perm("processes.change_settings", is_convenor)
rules.add_perm("processes.edit_key_areas", is_organiser & stage_allows("processes.edit_purpose"))
