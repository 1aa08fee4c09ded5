"""Every write to workshops, by area: planning.py (details, prompts, session), events.py (the
wall's event stream); registration, ideas, moderation, themes, voting and the write-up follow."""

from .planning import (
    prompt_add,
    prompt_close,
    prompt_open,
    prompt_update,
    workshop_cancel,
    workshop_create,
    workshop_end,
    workshop_start,
    workshop_update,
)

__all__ = [
    "prompt_add", "prompt_close", "prompt_open", "prompt_update", "workshop_cancel", "workshop_create",
    "workshop_end", "workshop_start", "workshop_update",
]  # fmt: skip
