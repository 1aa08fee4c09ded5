"""Organisation identifiers in the org-id.guide form: PREFIX-IDENTIFIER (e.g. GB-CHC-1090095).

The list of schemes comes from the org-id register (data/orgid_gb_schemes.json). The register
does not say what a valid number looks like, so the formats of the schemes Compact meets most
are written out here, each with an example a person can copy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError

DATA = Path(__file__).resolve().parent / "data" / "orgid_gb_schemes.json"


@dataclass(frozen=True)
class Format:
    pattern: str
    description: str
    example: str


FORMATS: dict[str, Format] = {
    "GB-CHC": Format(r"[0-9]{6,7}(-[0-9]{1,3})?", "a charity number of 6 or 7 digits", "GB-CHC-1090095"),
    "GB-COH": Format(
        r"[0-9]{8}|[A-Z]{2}[0-9]{6}|[A-Z]{2}[0-9]{5}R",
        "an 8-character company number, such as 01234567 or SC123456",
        "GB-COH-04324531",
    ),
    "GB-NHS": Format(r"[A-Z0-9]{3,6}", "an ODS code of 3 to 6 letters and digits", "GB-NHS-QKK"),
    "GB-LAE": Format(r"[A-Z]{3,4}", "a council code of 3 or 4 letters", "GB-LAE-LBH"),
    "GB-SC": Format(r"SC[0-9]{6}", "a Scottish charity number, SC and 6 digits", "GB-SC-SC012345"),
    "GB-NIC": Format(r"[0-9]{5,6}", "a Northern Ireland charity number of 5 or 6 digits", "GB-NIC-101234"),
    "GB-MPR": Format(r"[A-Z0-9]{1,10}", "a mutuals register number of letters and digits", "GB-MPR-30094R"),
    "GB-EDU": Format(r"[0-9]{6}", "a 6-digit school URN", "GB-EDU-100000"),
    "GB-UKPRN": Format(r"1[0-9]{7}", "an 8-digit UK provider reference number starting with 1", "GB-UKPRN-10007774"),
}
GENERIC = Format(r"[A-Z0-9][A-Z0-9./-]{0,39}", "letters, digits, dots, slashes or dashes", "")
MAX_LENGTH = 60


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    url: str
    deprecated: bool


@cache
def schemes() -> dict[str, Scheme]:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    return {r["code"]: Scheme(r["code"], r["name"], r["url"], r["deprecated"]) for r in rows}


def scheme_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.code} – {s.name}") for s in schemes().values() if not s.deprecated]


def normalise(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def split(value: str) -> tuple[str, str]:
    """'GB-CHC-1090095' -> ('GB-CHC', '1090095'), matching the longest known prefix."""
    value = normalise(value)
    for code in sorted(schemes(), key=len, reverse=True):
        if value.startswith(code + "-"):
            return code, value[len(code) + 1 :]
    return "", value


def validate_org_id(value: str) -> str:
    """Return the normalised identifier or raise ValidationError with a message that names
    the scheme and shows an example."""
    value = normalise(value)
    if not value:
        raise ValidationError("Enter an organisation identifier, like GB-CHC-1090095", code="required")
    if len(value) > MAX_LENGTH:
        raise ValidationError(f"Organisation identifier must be {MAX_LENGTH} characters or fewer", code="max_length")
    prefix, local = split(value)
    if not prefix:
        raise ValidationError(
            "Organisation identifier must start with a known GB scheme, such as GB-CHC (charities), "
            "GB-COH (companies), GB-NHS (NHS bodies) or GB-LAE (English councils)",
            code="unknown_scheme",
        )
    scheme = schemes()[prefix]
    fmt = FORMATS.get(prefix, GENERIC)
    if not re.fullmatch(fmt.pattern, local):
        example = f", like {fmt.example}" if fmt.example else ""
        raise ValidationError(
            f"{prefix} ({scheme.name}) identifiers must be {prefix}- followed by {fmt.description}{example}",
            code="bad_format",
        )
    return value
