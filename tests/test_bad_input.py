"""Every form, tried with bad input: empty, too long, the wrong type, hostile text. The page
comes back (200) with a GOV.UK error summary and a message beside the field, keeps what the
person typed, and saves nothing. Hostile text that is valid is saved and shown escaped.
Then property-based fuzzing: no input makes any form fail with a server error."""

import datetime as dt
import functools
import html
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from compact.accounts.models import User
from compact.activity.models import AuditEntry
from compact.organisations.models import Organisation, OrganisationIdentifier
from compact.partnerships.models import (
    Body,
    BodyMember,
    Invitation,
    Membership,
    Partnership,
    PartnershipOrganisation,
    Role,
)
from compact.processes.models import Process, Stage
from tests.factories import (
    ERROR_SUMMARY,
    AreaFactory,
    BodyFactory,
    OrganisationFactory,
    PartnershipOrganisationFactory,
    field_errors,
    invitation_for,
    png_bytes,
    png_upload,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE partnerships_partnership; --"
UNESCAPED = [SCRIPT, "<img src=x onerror"]

MODELS = [
    Partnership,
    Membership,
    PartnershipOrganisation,
    Organisation,
    OrganisationIdentifier,
    Body,
    BodyMember,
    Invitation,
    Process,
    Stage,
    User,
    AuditEntry,
]


def db_state():
    """Every row of every model a form could touch, so 'nothing was saved' is exact."""
    state = {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
    for row in state["User"]:
        row.pop("last_login")  # signing in to try the form is not a change the form made
    return state


@pytest.fixture
def ctx(partnership, people, process):
    place = AreaFactory(name="Lewisham", code="E09000023")
    org = OrganisationFactory(org_id="GB-CHC-1090095", name="Age UK Lewisham")
    PartnershipOrganisationFactory(partnership=partnership, organisation=org)
    elsewhere = OrganisationFactory(org_id="GB-CHC-2000002", name="Not in this partnership")
    body = BodyFactory(partnership=partnership, name="Leadership group")
    BodyMember.objects.create(body=body, user=people["member"])
    _, token = invitation_for(partnership, by=people["convenor"], email="newcomer@example.org")
    return SimpleNamespace(
        p=partnership,
        people=people,
        process=process,
        place=place,
        org=org,
        elsewhere=elsewhere,
        body=body,
        token=token,
        observer_membership=Membership.objects.get(partnership=partnership, user=people["observer"]),
        convenor_membership=Membership.objects.get(partnership=partnership, user=people["convenor"]),
    )


def _timeline_valid(c):
    data = {}
    for s in c.process.stages.all():
        data |= {f"stage_{s.pk}_starts_on": "", f"stage_{s.pk}_ends_on": "", f"stage_{s.pk}_title": ""}
    first = c.process.stages.get(kind="leadership")
    data |= {f"stage_{first.pk}_starts_on": "2027-01-04", f"stage_{first.pk}_ends_on": "2027-02-26"}
    return data


# form key: (who posts, url, valid data)
FORMS = {
    "partnership_create": (
        "outsider",
        lambda c: reverse("partnership_create"),
        lambda c: {
            "name": "Lambeth Together",
            "brand_name": "LT",
            "description": "About us",
            "brand_colour": "#1d4f7a",
            "logo_alt": "",
            "places": [c.place.pk],
        },
    ),
    "partnership_edit": (
        "convenor",
        lambda c: reverse("partnership_edit", args=[c.p.slug]),
        lambda c: {
            "name": "South East London ICS",
            "brand_name": "",
            "description": "",
            "brand_colour": "#1d4f7a",
            "logo_alt": "",
        },
    ),
    "organisation_create": (
        "facilitator",
        lambda c: reverse("organisation_create", args=[c.p.slug]),
        lambda c: {
            "org_id": "GB-CHC-1234567",
            "name": "Lambeth Food Bank",
            "kind": "vcse",
            "size_band": "small",
            "website": "https://example.org",
            "description": "Food",
            "places_served": [c.place.pk],
        },
    ),
    "organisation_edit": (
        "convenor",
        lambda c: reverse("organisation_edit", args=[c.p.slug, c.org.org_id]),
        lambda c: {
            "org_id": "GB-CHC-1090095",
            "name": "Age UK Lewisham and Southwark",
            "kind": "vcse",
            "size_band": "",
            "website": "",
            "description": "",
        },
    ),
    "identifier": (
        "convenor",
        lambda c: reverse("organisation_detail", args=[c.p.slug, c.org.org_id]),
        lambda c: {"value": "GB-COH-04324531"},
    ),
    "invite": (
        "convenor",
        lambda c: reverse("invite", args=[c.p.slug]),
        lambda c: {"email": "robin@example.org", "role": "member", "organisation": ""},
    ),
    "membership": (
        "convenor",
        lambda c: reverse("membership_edit", args=[c.p.slug, c.observer_membership.pk]),
        lambda c: {"role": "member", "organisation": c.org.pk},
    ),
    "membership_convenor": (
        "convenor",
        lambda c: reverse("membership_edit", args=[c.p.slug, c.convenor_membership.pk]),
        lambda c: {"role": "convenor", "organisation": c.org.pk},
    ),
    "body_create": (
        "convenor",
        lambda c: reverse("body_create", args=[c.p.slug]),
        lambda c: {"name": "ICP board", "kind": "governance", "description": ""},
    ),
    "body_edit": (
        "convenor",
        lambda c: reverse("body_edit", args=[c.p.slug, c.body.pk]),
        lambda c: {"name": "Charter leadership group", "kind": "leadership", "description": "Agrees the vision"},
    ),
    "body_member": (
        "convenor",
        lambda c: reverse("body_detail", args=[c.p.slug, c.body.pk]),
        lambda c: {"user": c.people["facilitator"].pk, "organisation": ""},
    ),
    "process_create": (
        "convenor",
        lambda c: reverse("process_create", args=[c.p.slug]),
        lambda c: {
            "title": "Charter 2027",
            "kind": "charter",
            "purpose_summary": "",
            "stage_kinds": ["leadership", "drafting"],
        },
    ),
    "process_edit": (
        "convenor",
        lambda c: reverse("process_edit", args=[c.p.slug, c.process.slug]),
        lambda c: {"title": "SEL VCSE Compact", "kind": "compact", "purpose_summary": "Why"},
    ),
    "timeline": ("facilitator", lambda c: reverse("timeline_edit", args=[c.p.slug, c.process.slug]), _timeline_valid),
    "settings": (
        "convenor",
        lambda c: reverse("process_settings", args=[c.p.slug, c.process.slug]),
        lambda c: {"features": ["processes.edit_purpose"]},
    ),
    "accept": (
        None,
        lambda c: reverse("invitation_accept", args=[c.token]),
        lambda c: {
            "full_name": "Nia Newcomer",
            "password1": "plum-orchard-lantern",
            "password2": "plum-orchard-lantern",
        },
    ),
}

TEXT_FIELDS = {
    "name",
    "brand_name",
    "description",
    "logo_alt",
    "brand_colour",
    "org_id",
    "website",
    "value",
    "email",
    "title",
    "purpose_summary",
    "full_name",
}


def _post(client, c, form, overrides=None):
    who, url, valid = FORMS[form]
    if who:
        client.force_login(c.people[who])
    data = valid(c)
    for key, value in (overrides or {}).items():
        data[key] = value() if callable(value) else value
    return client.post(url(c), data)


@pytest.mark.parametrize("form", [f for f in FORMS if f != "membership_convenor"])
def test_the_valid_data_used_below_really_is_valid(client, ctx, form):
    """So each bad-input case below fails for its one bad field, not for another."""
    response = _post(client, ctx, form)
    assert response.status_code == 302, field_errors(response, "name") or response.content.decode()[:3000]


# Bad input ------------------------------------------------------------------------------


@functools.cache
def _big_png():
    data = png_bytes(650, 650, noise=True)
    assert len(data) > 1024 * 1024
    return data


def big_logo():
    return SimpleUploadedFile("big.png", _big_png(), content_type="image/png")


def text_as_logo():
    return SimpleUploadedFile("logo.png", b"this is not an image at all", content_type="image/png")


def script_as_logo():
    return SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")


def gif_logo():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "GIF")
    return SimpleUploadedFile("logo.gif", buf.getvalue(), content_type="image/gif")


TOO_LONG = "Ensure this value has at most"
CHOICE = "Select a valid choice."
ONE_LINE = "Enter this on one line, without line breaks or control characters"
NULL = "Null characters are not allowed."
CONTROL = "Remove the hidden control characters from this text"

# (form, overrides, field the message is beside (None: top of the page only), message)
CASES = [
    # Empty
    ("partnership_create", {"name": ""}, "name", "Enter the name"),
    ("partnership_create", {"name": "   "}, "name", "Enter the name"),
    ("partnership_create", {"brand_colour": ""}, "brand_colour", "Enter the brand colour"),
    ("partnership_edit", {"name": ""}, "name", "Enter the name"),
    ("organisation_create", {"org_id": ""}, "org_id", "Enter the organisation identifier"),
    ("organisation_create", {"name": ""}, "name", "Enter the name"),
    ("organisation_create", {"kind": ""}, "kind", "Choose the type of organisation"),
    ("organisation_edit", {"name": ""}, "name", "Enter the name"),
    ("identifier", {"value": ""}, "value", "Enter another identifier"),
    ("invite", {"email": ""}, "email", "Enter the email address"),
    ("invite", {"role": ""}, "role", "Choose the role"),
    ("membership", {"role": ""}, "role", "Choose the role"),
    ("body_create", {"name": ""}, "name", "Enter the name"),
    ("body_create", {"kind": ""}, "kind", "Choose the type of group"),
    ("body_edit", {"name": ""}, "name", "Enter the name"),
    ("body_member", {"user": ""}, "user", "Choose the person"),
    ("process_create", {"title": ""}, "title", "Enter the title"),
    ("process_create", {"stage_kinds": []}, "stage_kinds", "Choose at least one stage"),
    ("process_edit", {"title": ""}, "title", "Enter the title"),
    ("process_edit", {"kind": ""}, "kind", "Choose what you are making"),
    ("accept", {"full_name": ""}, "full_name", "Enter the full name"),
    ("accept", {"password1": ""}, "password1", "Create a password"),
    # Too long
    ("partnership_create", {"name": "N" * 151}, "name", "at most 150 characters (it has 151)"),
    ("partnership_create", {"brand_name": "B" * 81}, "brand_name", "at most 80 characters"),
    ("partnership_create", {"description": "D" * 3001}, "description", "at most 3000 characters"),
    ("partnership_create", {"logo_alt": "A" * 201}, "logo_alt", "at most 200 characters"),
    ("partnership_create", {"brand_colour": "#1d4f7a0"}, "brand_colour", "at most 7 characters"),
    ("partnership_edit", {"name": "N" * 151}, "name", "at most 150 characters"),
    ("organisation_create", {"name": "O" * 201}, "name", "at most 200 characters"),
    ("organisation_create", {"org_id": "GB-CHC-" + "1" * 54}, "org_id", "at most 60 characters"),
    ("organisation_create", {"website": "https://example.org/" + "a" * 290}, "website", "at most 300 characters"),
    ("organisation_create", {"description": "d" * 2001}, "description", "at most 2000 characters"),
    ("organisation_edit", {"name": "O" * 201}, "name", "at most 200 characters"),
    ("identifier", {"value": "GB-CHC-" + "1" * 54}, "value", "at most 60 characters"),
    ("invite", {"email": "a" * 245 + "@example.org"}, "email", "at most 254 characters"),
    ("body_create", {"name": "G" * 151}, "name", "at most 150 characters"),
    ("body_create", {"description": "d" * 2001}, "description", "at most 2000 characters"),
    ("body_edit", {"description": "d" * 2001}, "description", "at most 2000 characters"),
    ("process_create", {"title": "T" * 201}, "title", "at most 200 characters"),
    ("process_create", {"purpose_summary": "p" * 3001}, "purpose_summary", "at most 3000 characters"),
    ("process_edit", {"title": "T" * 201}, "title", "at most 200 characters"),
    ("accept", {"full_name": "F" * 151}, "full_name", "at most 150 characters"),
    # Wrong type or not one of the choices
    ("partnership_create", {"places": ["999999"]}, "places", CHOICE),
    ("partnership_create", {"places": ["abc"]}, "places", "is not a valid value"),
    ("partnership_create", {"brand_colour": "red"}, "brand_colour", "Enter the colour as a hex code"),
    ("partnership_create", {"brand_colour": "#ffff00"}, "brand_colour", "Choose a darker colour"),
    ("partnership_create", {"logo": text_as_logo, "logo_alt": "Logo"}, "logo", "Upload a valid image"),
    ("partnership_create", {"logo": script_as_logo, "logo_alt": "Logo"}, "logo", "Upload a valid image"),
    ("partnership_create", {"logo": big_logo, "logo_alt": "Logo"}, "logo", "The logo must be 1 MB or smaller"),
    ("partnership_create", {"logo": gif_logo, "logo_alt": "Logo"}, "logo", "File extension “gif” is not allowed"),
    ("partnership_create", {"logo": png_upload}, "logo_alt", "Describe the logo for people who cannot see it"),
    ("partnership_edit", {"logo": big_logo, "logo_alt": "Logo"}, "logo", "The logo must be 1 MB or smaller"),
    ("partnership_edit", {"logo": text_as_logo, "logo_alt": "Logo"}, "logo", "Upload a valid image"),
    ("partnership_edit", {"logo": png_upload}, "logo_alt", "Describe the logo for people who cannot see it"),
    ("organisation_create", {"kind": "spaceship"}, "kind", CHOICE),
    ("organisation_create", {"size_band": "huge"}, "size_band", CHOICE),
    ("organisation_create", {"website": "not a web address"}, "website", "Enter a valid URL."),
    ("organisation_create", {"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
    ("organisation_create", {"places_served": ["abc"]}, "places_served", "is not a valid value"),
    ("organisation_edit", {"kind": "12"}, "kind", CHOICE),
    ("invite", {"email": "not-an-email"}, "email", "Enter a valid email address."),
    ("invite", {"role": "admin"}, "role", CHOICE),
    ("invite", {"organisation": "abc"}, "organisation", CHOICE),
    ("invite", {"organisation": "999999"}, "organisation", CHOICE),
    ("membership", {"role": "superuser"}, "role", CHOICE),
    ("body_create", {"kind": "cabal"}, "kind", CHOICE),
    ("body_member", {"user": "abc"}, "user", CHOICE),
    ("body_member", {"organisation": "1.5"}, "organisation", CHOICE),
    ("process_create", {"kind": "novel"}, "kind", CHOICE),
    ("process_create", {"stage_kinds": ["leadership", "party"]}, "stage_kinds", CHOICE),
    ("settings", {"features": ["processes.nope"]}, "features", CHOICE),
    ("accept", {"password2": "another-long-phrase"}, "password2", "The passwords do not match"),
    ("accept", {"password1": "password", "password2": "password"}, "password1", "This password is too common."),
    (
        "accept",
        {"password1": "12345678901", "password2": "12345678901"},
        "password1",
        "This password is entirely numeric.",
    ),
    # Hostile: null bytes, control characters and line breaks
    ("partnership_create", {"name": "Lambeth\x00Together"}, "name", NULL),
    ("partnership_create", {"description": "About\x00us"}, "description", NULL),
    ("partnership_create", {"description": "Ring the bell\x07"}, "description", CONTROL),
    ("partnership_create", {"name": "Lambeth\nTogether"}, "name", ONE_LINE),
    ("partnership_create", {"name": "Lambeth\rTogether"}, "name", ONE_LINE),
    ("partnership_create", {"brand_name": "LT\nX"}, "brand_name", ONE_LINE),
    ("partnership_create", {"logo": png_upload, "logo_alt": "Logo\r\nBcc: x@example.org"}, "logo_alt", ONE_LINE),
    ("partnership_edit", {"name": "South East\nLondon"}, "name", ONE_LINE),
    ("organisation_create", {"name": "Food\nBank"}, "name", ONE_LINE),
    ("organisation_create", {"name": "Food\x00Bank"}, "name", NULL),
    ("organisation_create", {"description": "Tab is fine\tbut not \x1b"}, "description", CONTROL),
    ("organisation_edit", {"name": "Age UK\nLewisham"}, "name", ONE_LINE),
    ("identifier", {"value": "GB-CHC-1\x001"}, "value", NULL),
    ("invite", {"email": "robin\x00@example.org"}, "email", NULL),
    ("invite", {"email": "robin@example.org\nBcc: x@example.org"}, "email", "Enter a valid email address."),
    ("invite", {"email": SCRIPT}, "email", "Enter a valid email address."),
    ("body_create", {"name": "ICP\nboard"}, "name", ONE_LINE),
    ("body_create", {"description": "\x00"}, "description", NULL),
    ("body_create", {"kind": SCRIPT}, "kind", CHOICE),
    ("body_edit", {"name": "Bo\x0bard"}, "name", ONE_LINE),
    ("process_create", {"title": "Charter\n2027"}, "title", ONE_LINE),
    ("process_create", {"title": "Charter\x002027"}, "title", NULL),
    ("process_create", {"purpose_summary": "Wh\x1fy"}, "purpose_summary", CONTROL),
    ("process_edit", {"title": "SEL\nCharter"}, "title", ONE_LINE),
    ("accept", {"full_name": "Nia\nNewcomer"}, "full_name", ONE_LINE),
    ("accept", {"full_name": "Nia\x00"}, "full_name", NULL),
    # Hostile: identifiers that are not org-ids
    (
        "organisation_create",
        {"org_id": "GB-CHC-ABC"},
        "org_id",
        "must be GB-CHC- followed by a charity number of 6 or 7 digits",
    ),
    ("organisation_create", {"org_id": "GB-XXX-1"}, "org_id", "must start with a known GB scheme"),
    ("organisation_create", {"org_id": SCRIPT}, "org_id", "must start with a known GB scheme"),
    ("organisation_create", {"org_id": SQL}, "org_id", "must start with a known GB scheme"),
    ("organisation_create", {"org_id": "GB-COH-1234"}, "org_id", "an 8-character company number"),
    ("organisation_edit", {"org_id": "GB-XXX-1"}, "org_id", "must start with a known GB scheme"),
    ("identifier", {"value": "GB-CHC-ABC"}, "value", "must be GB-CHC- followed by a charity number"),
    ("identifier", {"value": "GB-XXX-1"}, "value", "must start with a known GB scheme"),
    ("identifier", {"value": SQL}, "value", "must start with a known GB scheme"),
    # Clashes with what is already there
    ("partnership_create", {"name": "South East London"}, "name", "already exists"),
    ("organisation_create", {"org_id": "gb-chc-1090095"}, "org_id", "GB-CHC-1090095 is already in the directory"),
    ("organisation_create", {"org_id": "GB-CHC-2000002"}, "org_id", "GB-CHC-2000002 is already in the directory"),
    ("organisation_edit", {"org_id": "GB-CHC-2000002"}, "org_id", "GB-CHC-2000002 is already in the directory"),
    ("identifier", {"value": "GB-CHC-1090095"}, "value", "GB-CHC-1090095 is already in the directory"),
    ("invite", {"email": "PERSON-OF-CONVENOR"}, "email", "is already a member of this partnership"),
    ("membership", {"organisation": "ELSEWHERE"}, "organisation", CHOICE),
    ("membership_convenor", {"role": "member"}, None, "A partnership needs at least one convenor"),
    ("membership_convenor", {"remove": "1"}, None, "A partnership needs at least one convenor"),
    ("body_create", {"name": "Leadership group"}, None, "already exists"),
    ("body_member", {"user": "MEMBER"}, "user", "is already in Leadership group"),
    ("body_member", {"user": "OUTSIDER"}, "user", CHOICE),
]


def _resolve(c, overrides):
    """Placeholders for values that depend on the fixture."""
    out = {}
    for key, value in overrides.items():
        if value == "PERSON-OF-CONVENOR":
            value = c.people["convenor"].email.upper()
        elif value == "ELSEWHERE":
            value = c.elsewhere.pk
        elif value == "MEMBER":
            value = c.people["member"].pk
        elif value == "OUTSIDER":
            value = c.people["outsider"].pk
        out[key] = value
    return out


def _check_rejected(response, field, message, before, typed):
    assert response.status_code == 200
    text = response.content.decode()
    assert ERROR_SUMMARY in text
    assert 'class="govuk-error-summary' in text
    summary = html.unescape(text[text.index(ERROR_SUMMARY) : text.index("</ul>", text.index(ERROR_SUMMARY))])
    assert message in summary
    if field:
        assert any(message in e for e in field_errors(response, field)), field_errors(response, field)
    for key, value in typed.items():
        if key in TEXT_FIELDS and isinstance(value, str) and value.strip():
            assert escape(value) in text, f"{key} not kept"
    for raw in UNESCAPED:
        assert raw not in text
    assert db_state() == before


def _cases_for(form):
    return [case for case in CASES if case[0] == form]


@pytest.mark.parametrize("form", sorted({case[0] for case in CASES}))
def test_bad_input_is_refused_with_a_message_beside_the_field(client, ctx, form):
    """Every case for one form (one fixture set-up per form keeps this quick)."""
    for _, overrides, field, message in _cases_for(form):
        overrides = _resolve(ctx, overrides)
        before = db_state()
        response = _post(client, ctx, form, overrides)
        try:
            _check_rejected(response, field, message, before, overrides)
        except AssertionError as exc:
            raise AssertionError(f"{form} {overrides!r}: {exc}") from exc


def test_a_refused_edit_does_not_show_the_unsaved_values_as_if_saved(client, ctx):
    """The header, caption and heading keep the saved name when the service refuses."""
    response = _post(
        client, ctx, "partnership_edit", {"name": "Renamed ICS", "brand_colour": "#0b0c0c", "logo": png_upload}
    )
    assert field_errors(response, "logo_alt") == ["Describe the logo for people who cannot see it"]
    header = response.content.decode().split("</header>")[0]
    assert "South East London" in header and "Renamed ICS" not in header
    assert "<img" not in header  # no link to a logo that was never stored
    assert "--compact-brand: #1d4f7a" in response.content.decode()

    board = BodyFactory(partnership=ctx.p, name="Board")
    response = client.post(
        reverse("body_edit", args=[ctx.p.slug, board.pk]), {"name": "Leadership group", "kind": "governance"}
    )
    assert response.status_code == 200 and ERROR_SUMMARY in response.content.decode()
    assert '<h1 class="govuk-heading-l">Edit Board</h1>' in response.content.decode()


def test_tampered_hidden_values_are_404_not_500(client, ctx):
    """Buttons carry ids in hidden values; edited ones must not crash the page."""
    client.force_login(ctx.people["convenor"])
    url = reverse("body_detail", args=[ctx.p.slug, ctx.body.pk])
    before = db_state()
    for value in ["abc", "1.5", "\x00", SCRIPT, SQL, "99999999999999999999999", "-1"]:
        assert client.post(url, {"remove_member": value}).status_code == 404, value
    other = BodyFactory(partnership=ctx.p, name="Other group")
    stranger = BodyMember.objects.create(body=other, user=ctx.people["facilitator"])
    assert client.post(url, {"remove_member": stranger.pk}).status_code == 404
    BodyMember.objects.filter(pk=stranger.pk).delete()
    other.delete()
    assert db_state() == before


# Timeline: dates -----------------------------------------------------------------------


def _stage(c, kind):
    return c.process.stages.get(kind=kind)


def _timeline_case(c, **by_kind):
    data = _timeline_valid(c)
    for kind, (start, end, title) in by_kind.items():
        s = _stage(c, kind)
        data |= {f"stage_{s.pk}_starts_on": start, f"stage_{s.pk}_ends_on": end, f"stage_{s.pk}_title": title}
    return data


TIMELINE_CASES = [
    ({"workshops": ("next tuesday", "2027-04-30", "")}, "workshops", "starts_on", "Enter a valid date."),
    ({"workshops": ("2027-03-01", "2027-02-30", "")}, "workshops", "ends_on", "Enter a valid date."),
    ({"workshops": ("2027-03-01", SCRIPT, "")}, "workshops", "ends_on", "Enter a valid date."),
    (
        {"workshops": ("2027-04-30", "2027-03-01", "")},
        "workshops",
        "starts_on",
        "Workshops must end on or after the day it starts",
    ),
    (
        {"workshops": ("2027-02-15", "2027-03-30", "")},
        "workshops",
        "starts_on",
        "Workshops must start after Leadership group ends (26 February 2027), because stages follow one another",
    ),
    (
        {"workshops": ("2027-02-26", "2027-03-30", "")},
        "workshops",
        "starts_on",
        "must start after Leadership group ends",
    ),
    (
        {"workshops": ("2027-03-01", "", "")},
        "workshops",
        "starts_on",
        "Enter both a start and an end date for Workshops, or neither",
    ),
    ({"workshops": ("2027-03-01", "2027-03-30", "Community\nworkshops")}, "workshops", "title", ONE_LINE),
    ({"workshops": ("2027-03-01", "2027-03-30", "W" * 121)}, "workshops", "title", "at most 120 characters"),
    ({"workshops": ("2027-03-01", "2027-03-30", "W\x00")}, "workshops", "title", NULL),
]


@pytest.mark.parametrize(("stages", "kind", "part", "message"), TIMELINE_CASES)
def test_bad_timeline_is_refused_beside_the_stage(client, ctx, stages, kind, part, message):
    client.force_login(ctx.people["facilitator"])
    data = _timeline_case(ctx, **stages)
    before = db_state()
    response = client.post(reverse("timeline_edit", args=[ctx.p.slug, ctx.process.slug]), data)
    s = _stage(ctx, kind)
    typed = {"title": stages[kind][2]}
    _check_rejected(response, f"stage_{s.pk}_{part}", message, before, typed)
    # What was typed is shown back in the date boxes.
    for value in stages[kind][:2]:
        if value:
            assert f'value="{escape(value)}"' in response.content.decode()
    # The valid stage's dates were not half-saved either.
    assert _stage(ctx, "leadership").starts_on is None


def test_overlap_with_a_stage_further_on_is_caught(client, ctx):
    """Stage 5 dated before stage 1 ends: the later stage gets the message."""
    client.force_login(ctx.people["convenor"])
    data = _timeline_case(ctx, consultation=("2027-01-10", "2027-01-20", ""))
    response = client.post(reverse("timeline_edit", args=[ctx.p.slug, ctx.process.slug]), data)
    assert response.status_code == 200
    assert field_errors(response, f"stage_{_stage(ctx, 'consultation').pk}_starts_on") == [
        "Consultation must start after Leadership group ends (26 February 2027), because stages follow one another"
    ]


# Audit log filters and the directory search -----------------------------------------------


def test_audit_filters_with_bad_values(client, ctx):
    client.force_login(ctx.people["convenor"])
    url = reverse("audit_log", args=[ctx.p.slug])
    for query, field, message in [
        ({"since": "not a date"}, "since", "Enter a valid date."),
        ({"until": "2027-13-45"}, "until", "Enter a valid date."),
        (
            {"since": "2027-01-10", "until": "2027-01-01"},
            "until",
            "The 'to' date must be the same as or after the 'from' date",
        ),
        ({"action": SCRIPT}, "action", CHOICE),
        ({"actor": "999999"}, "actor", CHOICE),
        ({"actor": SQL}, "actor", CHOICE),
    ]:
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert ERROR_SUMMARY in response.content.decode(), query
        assert any(message in e for e in field_errors(response, field)), (query, field_errors(response, field))
        for raw in UNESCAPED:
            assert raw not in response.content.decode()


def test_directory_search_with_hostile_text(client, ctx):
    client.force_login(ctx.people["member"])
    url = reverse("organisation_directory", args=[ctx.p.slug])
    for q in [SCRIPT, IMG, SQL, "%", "_", "\x00", "x" * 500, "😀"]:
        response = client.get(url, {"q": q, "kind": SCRIPT, "place": IMG, "size": SQL, "page": SQL})
        assert response.status_code == 200, q
        for raw in UNESCAPED:
            assert raw not in response.content.decode()
        assert Partnership.objects.count() >= 1


# Hostile text that is valid ---------------------------------------------------------------


def _assert_escaped_everywhere(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for raw in UNESCAPED:
            assert raw not in text, url


def test_hostile_text_is_saved_as_typed_and_shown_escaped(client, ctx):
    c = ctx
    client.force_login(c.people["convenor"])
    # Partnership details
    response = _post(
        client,
        c,
        "partnership_edit",
        {"name": SQL, "brand_name": IMG, "description": SCRIPT, "logo": png_upload, "logo_alt": IMG},
    )
    assert response.status_code == 302
    c.p.refresh_from_db()
    assert (c.p.name, c.p.brand_name, c.p.description, c.p.logo_alt) == (SQL, IMG, SCRIPT, IMG)
    assert Partnership.objects.filter(name=SQL).count() == 1  # the table is still there
    # An organisation
    assert _post(client, c, "organisation_create", {"name": IMG, "description": SCRIPT}).status_code == 302
    org = Organisation.objects.get(org_id="GB-CHC-1234567")
    assert (org.name, org.description) == (IMG, SCRIPT)
    # A group
    assert _post(client, c, "body_create", {"name": IMG, "description": SCRIPT}).status_code == 302
    body = Body.objects.get(name=IMG)
    # A process and its timeline
    assert _post(client, c, "process_create", {"title": IMG, "purpose_summary": SCRIPT}).status_code == 302
    process = Process.objects.get(title=IMG)
    stage = process.stages.first()
    timeline = {f"stage_{s.pk}_{f}": "" for s in process.stages.all() for f in ("starts_on", "ends_on", "title")}
    timeline[f"stage_{stage.pk}_title"] = IMG
    assert client.post(reverse("timeline_edit", args=[c.p.slug, process.slug]), timeline).status_code == 302
    # A new member whose name is hostile
    client.logout()
    assert _post(client, c, "accept", {"full_name": IMG}).status_code == 302
    assert User.objects.get(email="newcomer@example.org").full_name == IMG

    client.force_login(c.people["convenor"])
    slug = c.p.slug
    _assert_escaped_everywhere(
        client,
        [
            "/dashboard/",
            reverse("partnership_detail", args=[slug]),
            reverse("partnership_edit", args=[slug]),
            reverse("organisation_directory", args=[slug]),
            reverse("organisation_detail", args=[slug, org.org_id]),
            reverse("organisation_edit", args=[slug, org.org_id]),
            reverse("partnership_people", args=[slug]),
            reverse("body_detail", args=[slug, body.pk]),
            reverse("body_edit", args=[slug, body.pk]),
            reverse("process_detail", args=[slug, process.slug]),
            reverse("process_edit", args=[slug, process.slug]),
            reverse("timeline_edit", args=[slug, process.slug]),
            reverse("audit_log", args=[slug]),
        ],
    )
    overview = client.get(reverse("partnership_detail", args=[slug])).content.decode()
    assert escape(IMG) in overview and "&lt;script&gt;alert(1)&lt;/script&gt;" in overview


def test_hostile_text_in_an_invitation_email_is_plain_text(client, ctx, mailoutbox):
    """The email is plain text, so it is not escaped, but the partnership name in the subject
    cannot carry a line break (names are single-line)."""
    _post(client, ctx, "partnership_edit", {"name": IMG})
    assert _post(client, ctx, "invite").status_code == 302
    message = mailoutbox[-1]
    assert "\n" not in message.subject and IMG in message.subject


# Fuzzing ----------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _field(*valid):
    """Arbitrary text, or (three times in four) a valid value, so that examples often have
    just one or two bad fields and the checks after the form's own get exercised too."""
    if not valid:
        return TEXT
    return st.integers(0, 3).flatmap(lambda n: TEXT if n == 0 else st.sampled_from(valid))


def _multi(*valid):
    return st.lists(_field(*valid), max_size=3)


def _fuzz(client, c, form, data):
    who, url, _ = FORMS[form]
    if who:
        client.force_login(c.people[who])
    response = client.post(url(c), data)
    assert response.status_code in (200, 302), response.status_code
    event(f"status {response.status_code}")  # --hypothesis-show-statistics: both outcomes are reached
    if response.status_code == 200:
        assert ERROR_SUMMARY in response.content.decode()
    for raw in UNESCAPED:
        assert raw not in response.content.decode()


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "name": _field("Lambeth Together", SQL, IMG),
            "brand_name": _field("", "LT"),
            "description": _field("", SCRIPT),
            "places": _multi("1", "2"),
            "brand_colour": _field("#1d4f7a", "#0B0C0C"),
            "logo_alt": _field(""),
        }
    )
)
def test_fuzz_partnership_form(client, ctx, data):
    _fuzz(client, ctx, "partnership_create", data)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "org_id": _field("GB-CHC-1234567", "gb-coh-04324531", "GB-NHS-QKK"),
            "name": _field("Food bank"),
            "kind": _field("vcse", "icb"),
            "size_band": _field("", "small"),
            "website": _field("", "example.org"),
            "description": _field(""),
            "places_served": _multi("1"),
        }
    )
)
def test_fuzz_organisation_form(client, ctx, data):
    _fuzz(client, ctx, "organisation_create", data)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "email": _field("robin@example.org", "ROBIN@example.org", "a@b.co"),
            "role": _field(*Role.values),
            "organisation": _field("", "1"),
        }
    )
)
def test_fuzz_invite_form(client, ctx, data):
    _fuzz(client, ctx, "invite", data)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "name": _field("ICP board", "Leadership group"),
            "kind": _field("leadership", "other"),
            "description": _field(""),
        }
    )
)
def test_fuzz_body_form(client, ctx, data):
    _fuzz(client, ctx, "body_create", data)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "title": _field("Charter 2027"),
            "kind": _field("charter", "memorandum"),
            "purpose_summary": _field(""),
            "stage_kinds": _multi("leadership", "drafting", "delivery"),
        }
    )
)
def test_fuzz_process_form(client, ctx, data):
    _fuzz(client, ctx, "process_create", data)


DATES = [""] + [(dt.date(2027, 1, 1) + dt.timedelta(days=n)).isoformat() for n in range(0, 365, 20)]


@FUZZ
@given(data=st.data())
def test_fuzz_timeline_form(client, ctx, data):
    values = {}
    for s in ctx.process.stages.all():
        for part in ("starts_on", "ends_on"):
            values[f"stage_{s.pk}_{part}"] = data.draw(_field(*DATES), label=f"{s.kind}_{part}")
        values[f"stage_{s.pk}_title"] = data.draw(_field(""), label=f"{s.kind}_title")
    _fuzz(client, ctx, "timeline", values)
