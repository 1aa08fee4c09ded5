"""Organisation identifiers (org-id.guide): what people can type, and what they are told when it is wrong."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compact.organisations.orgid import MAX_LENGTH, normalise, scheme_choices, schemes, split, validate_org_id


def error_of(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_org_id(value)
    return info.value


@pytest.mark.parametrize(
    "value",
    [
        # Charity Commission: 6 or 7 digits, optionally a subsidiary number.
        "GB-CHC-1090095",
        "GB-CHC-123456",
        "GB-CHC-1090095-1",
        "GB-CHC-1090095-123",
        # Companies House: 8 digits, or two letters and six digits, or two letters, 5 digits and R.
        "GB-COH-04324531",
        "GB-COH-SC123456",
        "GB-COH-NI123456",
        "GB-COH-IP12345R",
        # NHS ODS codes.
        "GB-NHS-QKK",
        "GB-NHS-RJ1",
        "GB-NHS-A3A8R",
        "GB-NHS-RJ1234",
        # English councils.
        "GB-LAE-LBH",
        "GB-LAE-BNES",
        # Schemes without a written-out format accept letters, digits, dots, slashes and dashes.
        "GB-SHPE-4567",
        "GB-CASC-AB/12.3-X",
        # Longest prefix wins: GB-SCOTEDU is not GB-SC.
        "GB-SCOTEDU-5012345",
        "GB-SC-SC012345",
    ],
)
def test_valid_identifiers(value):
    assert validate_org_id(value) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gb-chc-1090095", "GB-CHC-1090095"),
        ("  GB-CHC-1090095  ", "GB-CHC-1090095"),
        ("GB-CHC- 109 0095", "GB-CHC-1090095"),
        ("gb-nhs-qkk\n", "GB-NHS-QKK"),
        ("gb-coh-sc123456", "GB-COH-SC123456"),
        ("\tgb - lae - lbh", "GB-LAE-LBH"),
    ],
)
def test_whitespace_and_lowercase_are_normalised(raw, expected):
    assert validate_org_id(raw) == expected


@pytest.mark.parametrize(
    ("value", "scheme_text", "example"),
    [
        ("GB-CHC-12345", "GB-CHC (Charity Commission/Comisiwn Elusennau)", "GB-CHC-1090095"),
        ("GB-CHC-12345678", "GB-CHC (Charity Commission", "GB-CHC-1090095"),
        ("GB-CHC-ABCDEF", "GB-CHC (Charity Commission", "GB-CHC-1090095"),
        ("GB-CHC-1090095-1234", "GB-CHC (Charity Commission", "GB-CHC-1090095"),
        ("GB-COH-1234567", "GB-COH (Companies House)", "GB-COH-04324531"),
        ("GB-COH-ABC12345", "GB-COH (Companies House)", "GB-COH-04324531"),
        ("GB-COH-SC1234567", "GB-COH (Companies House)", "GB-COH-04324531"),
        ("GB-NHS-QK", "GB-NHS (NHS Digital - Organisation Data Service)", "GB-NHS-QKK"),
        ("GB-NHS-ABCDEFG", "GB-NHS (NHS Digital", "GB-NHS-QKK"),
        ("GB-NHS-Q.K", "GB-NHS (NHS Digital", "GB-NHS-QKK"),
        ("GB-LAE-LB", "GB-LAE (Local Authorities for England Register)", "GB-LAE-LBH"),
        ("GB-LAE-L8H", "GB-LAE (Local Authorities", "GB-LAE-LBH"),
        ("GB-LAE-LBHXY", "GB-LAE (Local Authorities", "GB-LAE-LBH"),
    ],
)
def test_invalid_identifier_message_names_the_scheme_and_shows_an_example(value, scheme_text, example):
    error = error_of(value)
    assert error.code == "bad_format"
    message = error.messages[0]
    assert message.startswith(scheme_text)
    assert f"like {example}" in message
    # The example offered is itself valid.
    assert validate_org_id(example) == example


def test_charity_message_in_full():
    assert error_of("GB-CHC-12").messages == [
        "GB-CHC (Charity Commission/Comisiwn Elusennau) identifiers must be GB-CHC- followed by "
        "a charity number of 6 or 7 digits, like GB-CHC-1090095"
    ]


@pytest.mark.parametrize("value", ["GB-SHPE-", "GB-SHPE-.ABC", "GB-CASC-AB CD_EF", "GB-SHPE-" + "A" * 41])
def test_generic_scheme_refuses_bad_characters_and_names_the_scheme(value):
    error = error_of(value)
    assert error.code == "bad_format"
    prefix = value[:7] if value.startswith("GB-SHPE") else "GB-CASC"
    assert error.messages[0].startswith(f"{prefix} ({schemes()[prefix].name})")
    assert "letters, digits, dots, slashes or dashes" in error.messages[0]


@pytest.mark.parametrize("value", ["XX-ABC-123", "GB-XYZ-123", "1090095", "GBCHC1090095", "GB-CHC1090095"])
def test_unknown_prefix(value):
    error = error_of(value)
    assert error.code == "unknown_scheme"
    message = error.messages[0]
    assert "must start with a known GB scheme" in message
    for scheme in ("GB-CHC (charities)", "GB-COH (companies)", "GB-NHS (NHS bodies)", "GB-LAE (English councils)"):
        assert scheme in message


@pytest.mark.parametrize("value", ["", "   ", "\n\t", None])
def test_empty_is_required_with_an_example(value):
    error = error_of(value)
    assert error.code == "required"
    assert "GB-CHC-1090095" in error.messages[0]


def test_over_long_input_is_rejected():
    error = error_of("GB-CHC-" + "1" * 60)
    assert error.code == "max_length"
    assert error.messages == [f"Organisation identifier must be {MAX_LENGTH} characters or fewer"]
    # Exactly 60 characters is allowed (the generic format limits the local part to 40).
    sixty = "GB-SCOTEDU-" + "1" * 40
    assert len("GB-CASC-" + "A" * 40) <= MAX_LENGTH
    assert validate_org_id("GB-CASC-" + "A" * 40) == "GB-CASC-" + "A" * 40
    assert error_of(sixty + "1" * 10).code == "max_length"


def test_split_uses_the_longest_known_prefix():
    assert split("gb-chc-1090095") == ("GB-CHC", "1090095")
    assert split("GB-SCOTEDU-5012345") == ("GB-SCOTEDU", "5012345")
    assert split("GB-SC-SC012345") == ("GB-SC", "SC012345")
    assert split("GB-GOVUK-DFE") == ("GB-GOVUK", "DFE")
    assert split("XX-1") == ("", "XX-1")


def test_scheme_choices_leave_out_deprecated_schemes():
    codes = [code for code, _ in scheme_choices()]
    assert "GB-CHC" in codes and "GB-NHS" in codes
    assert "GB-GOVUK" not in codes  # deprecated in the register
    assert dict(scheme_choices())["GB-CHC"] == "GB-CHC – Charity Commission/Comisiwn Elusennau"


# Properties ------------------------------------------------------------------------------

VALID = {
    "GB-CHC": st.from_regex(r"[0-9]{6,7}(-[0-9]{1,3})?", fullmatch=True),
    "GB-NHS": st.from_regex(r"[A-Z0-9]{3,6}", fullmatch=True),
    "GB-LAE": st.from_regex(r"[A-Z]{3,4}", fullmatch=True),
}


@st.composite
def valid_ids(draw):
    prefix = draw(st.sampled_from(sorted(VALID)))
    return f"{prefix}-{draw(VALID[prefix])}"


@st.composite
def messy(draw, value: str):
    """The same identifier as someone might type it: any case, stray spaces, tabs, newlines."""
    out = []
    for ch in value:
        if draw(st.booleans()):
            ch = ch.lower()
        out.append(draw(st.sampled_from(["", " ", "\t", "  "])) + ch)
    return "".join(out) + draw(st.sampled_from(["", " ", "\n", " \r\n"]))


@settings(max_examples=150)
@given(data=st.data(), value=valid_ids())
def test_any_valid_id_validates_and_round_trips(data, value):
    assert validate_org_id(value) == value
    assert normalise(value) == value
    typed = data.draw(messy(value))
    assert normalise(typed) == value
    assert validate_org_id(typed) == value


@settings(max_examples=300)
@given(st.text())
@example("\x00")
@example("ß" * 40)
@example("GB-CHC-" + "٣" * 7)  # Arabic-Indic digits are not charity numbers
@example("gb-ﬃ-1")
def test_arbitrary_text_never_raises_anything_but_validation_error(value):
    try:
        result = validate_org_id(value)
    except ValidationError as error:
        assert error.messages and all(error.messages)
        return
    assert result == normalise(value)
    assert 0 < len(result) <= MAX_LENGTH
    assert result.isascii()
    assert validate_org_id(result) == result


@settings(max_examples=200)
@given(prefix=st.sampled_from(sorted(schemes())), local=st.text(max_size=70))
def test_text_after_a_known_prefix_never_raises_anything_but_validation_error(prefix, local):
    try:
        result = validate_org_id(f"{prefix}-{local}")
    except ValidationError:
        return
    assert split(result)[0] == prefix or split(result)[0].startswith(prefix)
    assert len(result) <= MAX_LENGTH and result.isascii()


@settings(max_examples=100)
@given(st.text(alphabet=st.characters(codec="ascii", exclude_categories=["Cc", "Zs"]), min_size=MAX_LENGTH + 1))
def test_anything_longer_than_the_limit_is_rejected(value):
    with pytest.raises(ValidationError) as info:
        validate_org_id(value)
    assert info.value.code == "max_length"
