"""Writes to processes, their stage timeline and their key areas."""

from .key_areas import key_area_add, key_area_move, key_area_remove, key_area_update
from .process import (
    DEFAULT_STAGES,
    STAGE_REFUSAL,
    process_create,
    process_feature_settings_update,
    process_update,
)
from .timeline import StageDates, stage_finish, stage_start, stages_set, timeline_update, validate_timeline

__all__ = [
    "DEFAULT_STAGES", "STAGE_REFUSAL", "StageDates", "key_area_add", "key_area_move", "key_area_remove",
    "key_area_update", "process_create", "process_feature_settings_update",
    "process_update", "stage_finish", "stage_start", "stages_set", "timeline_update", "validate_timeline",
]  # fmt: skip
