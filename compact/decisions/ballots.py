"""Checking one person's ballot before it is stored, for each way the leadership group can decide.

Each validator takes what the form sent (which may be anything), and either returns the ballot in a
normal form -- options in the order they were offered, repeats and empty entries dropped -- or raises
ValidationError with a message the voter sees. Nothing else is raised, whatever the input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from .tally import POSITIONS

REASON_MAX = 2_000
SCORE_MAX = 5
UNKNOWN = "Choose from the options given"


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _choices(value: Any) -> list[str]:
    """A list of option names; a lone string (one radio button) counts as one choice."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple | set | frozenset):
        raise _refuse(UNKNOWN, "unknown_option")
    if not all(isinstance(v, str) for v in value):
        raise _refuse(UNKNOWN, "unknown_option")
    return sorted(value) if isinstance(value, set | frozenset) else list(value)


def _whole_number(value: Any) -> int | None:
    """An int from an int or a form's digit string; None if it is not a whole number 0 or more."""
    if isinstance(value, bool):  # True is an int in Python, but not a number of dots
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str):
        text = value.strip()
        # ASCII digits only, and short: int() would accept other scripts' digits and choke on huge strings.
        if text.isascii() and text.isdecimal() and len(text) <= 9:
            return int(text)
    return None


def _option_map(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _refuse(UNKNOWN, "unknown_option")
    return value


def validate_consent(position: str, reason: str) -> tuple[str, str]:
    """Agree, abstain, object or block; objecting or blocking needs a reason the group can respond to."""
    if not isinstance(position, str) or position.strip().lower() not in POSITIONS:
        raise _refuse("Choose agree, abstain, object or block", "invalid_position")
    position = position.strip().lower()
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise _refuse("Enter your reason as text", "invalid_reason")
    reason = reason.strip()
    if not reason and position == "object":
        raise _refuse("Give a reason for your objection", "reason_required")
    if not reason and position == "block":
        raise _refuse("Give a reason for blocking", "reason_required")
    if len(reason) > REASON_MAX:
        raise _refuse(f"Keep your reason to {REASON_MAX:,} characters or fewer", "reason_too_long")
    return position, reason


def validate_poll(choices: list[str], *, options: list[str], multiple: bool, max_choices: int | None) -> list[str]:
    """The options chosen, once each, in the order offered."""
    if choices is None or choices == "":
        raise _refuse("Choose an option", "required")
    picked = set(_choices(choices))
    if not picked:
        raise _refuse("Choose an option", "required")
    if not picked <= set(options):
        raise _refuse(UNKNOWN, "unknown_option")
    if not multiple and len(picked) > 1:
        raise _refuse("Choose one option", "too_many")
    if multiple and max_choices is not None and len(picked) > max_choices:
        raise _refuse(f"Choose up to {max_choices} option{'' if max_choices == 1 else 's'}", "too_many")
    return [o for o in options if o in picked]


def validate_dots(allocation: dict[str, int], *, options: list[str], budget: int) -> dict[str, int]:
    """Dots per option (no zero entries), within the voter's budget."""
    given = _option_map(allocation)
    if not set(given) <= set(options):
        raise _refuse(UNKNOWN, "unknown_option")
    dots = {option: _whole_number(value) for option, value in given.items()}
    if any(n is None for n in dots.values()):
        raise _refuse("Dots must be whole numbers, 0 or more", "invalid_dots")
    placed = sum(dots.values())
    if placed > budget:
        raise _refuse(f"You have {budget} dot{'' if budget == 1 else 's'}; you placed {placed}", "over_budget")
    if placed == 0:
        raise _refuse("Place at least one dot", "required")
    return {o: dots[o] for o in options if dots.get(o)}


def validate_ranking(ranking: list[str], *, options: list[str]) -> list[str]:
    """Options in order of preference; ranking only some of them is fine."""
    if ranking is None or isinstance(ranking, set | frozenset):  # a set has no order to keep
        raise _refuse("Rank at least one option", "required")
    ranked = _choices(ranking)
    if not ranked:
        raise _refuse("Rank at least one option", "required")
    if not set(ranked) <= set(options):
        raise _refuse(UNKNOWN, "unknown_option")
    if len(set(ranked)) != len(ranked):
        raise _refuse("Rank each option only once", "duplicate")
    return ranked


def validate_scores(scores: dict[str, int], *, options: list[str]) -> dict[str, int]:
    """A score from 0 to 5 for every option, in the order offered."""
    given = _option_map(scores)
    if not set(given) <= set(options):
        raise _refuse(UNKNOWN, "unknown_option")
    checked = {option: _whole_number(value) for option, value in given.items()}
    if set(checked) != set(options) or any(n is None or n > SCORE_MAX for n in checked.values()):
        raise _refuse(f"Score every option from 0 to {SCORE_MAX}", "invalid_scores")
    return {o: checked[o] for o in options}
