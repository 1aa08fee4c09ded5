"""The role x state matrix through the pages: what each person gets when they open a case study's
pages or press its buttons, in every state.

The expected answers are written out here, from docs/roles_and_permissions.md and rules.py, never
read from `has_perm` (that would test the rules against themselves). A member page answers 302 (to
sign in) to the anonymous public; 404 to whoever may not see the case study, and to outsiders
(they use the public page); 403 to whoever may see it but not do this; 200 to whoever may."""

import pytest
from django.urls import reverse

from compact.casestudies import services
from compact.casestudies.models import CaseStudy, Version

from ..factories import png_upload
from .conftest import ALL_STATES, give_all_consents, put_in

pytestmark = pytest.mark.django_db

ROLES = ["convenor", "facilitator", "author", "member", "observer", "contact", "outsider", "anonymous"]
EDITORS = {"convenor", "facilitator"}
PUBLIC = {"member", "observer", "outsider", "anonymous"}  # see it only once published on the web
DR, SB, RV, CR, CP, AP, PB, WD = ALL_STATES
LIVE = {DR, SB, RV, CR, CP, AP, PB}  # every state but withdrawn


def pairs(roles, states) -> set[tuple[str, str]]:
    return {(role, state) for role in roles for state in states}


# Who may, in which states (role, state). Published here means on the web and in the document.
ALLOWED = {
    "view": pairs(EDITORS | {"author", "contact"}, ALL_STATES) | pairs(PUBLIC, {PB}),
    "change": pairs(EDITORS, {DR, SB, RV, CR, CP, AP}) | pairs({"author"}, {DR, CR}),
    "submit": pairs(EDITORS | {"author"}, {DR, CR}),
    "start-review": pairs(EDITORS, {SB}),
    "review": pairs(EDITORS, {RV}),
    "approve": pairs(EDITORS, {CP}),
    "publish": pairs(EDITORS, {AP, PB}),
    "unpublish": pairs(EDITORS, {PB}),
    "withdraw": pairs(EDITORS | {"author"}, LIVE),
    "anonymise": pairs(EDITORS, {RV, CP, AP, PB}),
    "record_consent": pairs(EDITORS | {"contact"}, LIVE),
}
# Member pages are for members and featured organisations' contacts with an account.
SEES_MEMBER_PAGES = ALLOWED["view"] - pairs({"outsider", "anonymous"}, ALL_STATES)

PAGES = {  # page: (URL name, what it needs)
    "detail": ("casestudy_detail", "view"),
    "edit": ("casestudy_edit", "change"),
    "people": ("casestudy_people", "change"),
    "media": ("casestudy_media", "change"),
    "anonymised": ("casestudy_anonymise", "anonymise"),
    "review": ("casestudy_review", "review"),
    "publish": ("casestudy_publish", "publish"),
    "consent": ("casestudy_consent", "record_consent"),
    "withdraw": ("casestudy_withdraw", "withdraw"),
}
ACTIONS = {  # action: (URL name and extra args, what it needs, the state it moves to)
    "submit": (("casestudy_submit",), "submit", SB),
    "start-review": (("casestudy_action", "start-review"), "start-review", RV),
    "approve": (("casestudy_action", "approve"), "approve", AP),
    "unpublish": (("casestudy_action", "unpublish"), "unpublish", AP),
    "withdraw": (("casestudy_withdraw",), "withdraw", WD),
}


def member_page_status(role: str, state: str, need: str) -> int:
    if role == "anonymous":
        return 302
    if (role, state) not in SEES_MEMBER_PAGES:
        return 404
    return 200 if (role, state) in ALLOWED[need] else 403


def sign_in(client, cast, role):
    client.logout()
    if role != "anonymous":
        client.force_login(cast[role])


@pytest.fixture
def study(case_study, cast):
    """The conftest case study with every consent given, so approving it can succeed."""
    give_all_consents(case_study, cast["convenor"])
    return case_study


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_page_for_every_role(client, study, cast, state, settings):
    put_in(study, state)
    login = reverse(settings.LOGIN_URL)
    wrong = []
    for role in ROLES:
        sign_in(client, cast, role)
        for page, (name, need) in PAGES.items():
            response = client.get(reverse(name, args=[study.partnership.slug, study.pk]))
            want = member_page_status(role, state, need)
            if response.status_code != want or (want == 302 and not response.url.startswith(login)):
                wrong.append((role, page, response.status_code, want))
    assert not wrong, f"{state}: (role, page, got, expected) {wrong}"


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_button_for_every_role(client, study, cast, state):
    wrong = []
    for action, (url, need, to) in ACTIONS.items():
        for role in ROLES:
            put_in(study, state)
            sign_in(client, cast, role)
            response = client.post(reverse(url[0], args=[study.partnership.slug, study.pk, *url[1:]]))
            after = CaseStudy.objects.get(pk=study.pk).status
            allowed = (role, state) in ALLOWED[need]
            if action == "submit" and state == SB and (role, state) in SEES_MEMBER_PAGES:
                want = (302, SB)  # submitting again (a double click) changes nothing
            elif allowed:
                want = (302, to)
            else:
                want = (member_page_status(role, state, need), state)
            if (response.status_code, after) != want:
                wrong.append((role, action, (response.status_code, after), want))
    assert not wrong, f"{state}: (role, action, (got status, state after), expected) {wrong}"


def test_starting_and_inviting_by_role(client, partnership, cast):
    may = {"casestudy_create": EDITORS | {"author", "member"}, "casestudy_invite": EDITORS}
    wrong = []
    for role in ROLES:
        sign_in(client, cast, role)
        for name, roles in may.items():
            got = client.get(reverse(name, args=[partnership.slug])).status_code
            member = role in EDITORS | {"author", "member", "observer"}
            want = 302 if role == "anonymous" else 404 if not member else 200 if role in roles else 403
            if got != want:
                wrong.append((role, name, got, want))
    assert not wrong


def test_an_unknown_action_is_not_found(client, study, cast):
    client.force_login(cast["convenor"])
    put_in(study, SB)
    response = client.post(reverse("casestudy_action", args=[study.partnership.slug, study.pk, "frobnicate"]))
    assert response.status_code == 404
    assert CaseStudy.objects.get(pk=study.pk).status == SB


# The public page and the files ------------------------------------------------------------------


@pytest.mark.parametrize("state", ALL_STATES)
def test_public_page_only_when_published_on_the_web(client, study, cast, state):
    put_in(study, state)
    url = reverse("public_case_study", args=[study.partnership.slug, study.pk])
    want = 200 if state == PB else 404
    for role in ROLES:
        sign_in(client, cast, role)
        assert client.get(url).status_code == want, (role, state)


def test_public_page_not_when_published_only_in_the_document(client, study, cast):
    put_in(study, PB)
    CaseStudy.objects.filter(pk=study.pk).update(published_web=False)
    url = reverse("public_case_study", args=[study.partnership.slug, study.pk])
    for role in ROLES:
        sign_in(client, cast, role)
        assert client.get(url).status_code == 404, role


def _image(study, cast, name, pictured=()):
    return services.media_add(
        case_study=study, actor=cast["author"], file=png_upload(name), alt_text="A hub", credit="Photo: Mind",
        pictured=list(pictured),
    )  # fmt: skip


@pytest.mark.parametrize("state", ALL_STATES)
def test_files_follow_who_may_see_the_case_study(client, study, cast, state):
    image = _image(study, cast, "hub.png")
    put_in(study, state)
    url = reverse("casestudy_file", args=[image.pk])
    wrong = []
    for role in ROLES:
        sign_in(client, cast, role)
        got, want = client.get(url).status_code, 200 if (role, state) in ALLOWED["view"] else 404
        if got != want:
            wrong.append((role, got, want))
    assert not wrong, f"{state}: {wrong}"


def test_anonymised_publication_never_serves_a_picture_of_a_person(client, study, cast):
    of_priya = _image(study, cast, "priya.png", pictured=[study.person])
    of_no_one = _image(study, cast, "hall.png")
    put_in(study, PB)
    CaseStudy.objects.filter(pk=study.pk).update(published_version=Version.ANONYMISED)
    for role in ROLES:
        sign_in(client, cast, role)
        reads_as_written = role in EDITORS | {"author", "contact"}
        person = client.get(reverse("casestudy_file", args=[of_priya.pk])).status_code
        assert person == (200 if reads_as_written else 404), role
        assert client.get(reverse("casestudy_file", args=[of_no_one.pk])).status_code == 200, role
