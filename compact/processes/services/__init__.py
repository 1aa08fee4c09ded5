"""Writes to processes and their stage timeline."""

from .process import (
    DEFAULT_STAGES,
    STAGE_REFUSAL,
    process_create,
    process_feature_settings_update,
    process_update,
)
from .timeline import StageDates, stage_finish, stage_start, stages_set, timeline_update, validate_timeline

__all__ = [
    "DEFAULT_STAGES", "STAGE_REFUSAL", "StageDates", "process_create", "process_feature_settings_update",
    "process_update", "stage_finish", "stage_start", "stages_set", "timeline_update", "validate_timeline",
]  # fmt: skip
