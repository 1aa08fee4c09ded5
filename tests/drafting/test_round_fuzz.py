"""Any input through the consultation forms, as a browser would send it: a response through the
public link and through the members' door (answers, scale values, who is responding, borough),
and the organisers' forms for a round, a question and invitations by email. Random Unicode
(control characters and NULs included), very long text, Markdown and HTML attacks, scale values
off the scale, ids that name nothing, and dates that are no dates.

Whatever is sent, never a server error. Either it is saved, as typed once line endings are
normalised and the ends trimmed, and shown as text (never markup) where organisers read it; or
the page says what is wrong and still holds every word typed."""

import datetime as dt
import html
import re

import pytest
from django.core.cache import cache
from django.template.defaultfilters import truncatewords
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from compact.drafting.models import Invitation, Question, QuestionKind, Response, Round
from compact.geography.models import AreaKind
from compact.organisations.models import OrganisationKind
from compact.partnerships.models import Role

from ..factories import ERROR_SUMMARY, AreaFactory, OrganisationFactory, PartnershipOrganisationFactory
from . import rounds_helpers
from .conftest import hidden, page
from .test_fuzz_forms import ATTACKS, assert_refused_and_kept, assert_safe, clean, cleaned, field
from .test_round_views import fields, url

pytestmark = pytest.mark.django_db
consulting, round = rounds_helpers.consulting, rounds_helpers.round  # the fixtures, for pytest to find

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # explaining a failure takes minutes
)  # fmt: skip
NOT_IDS = ["", "0", "-1", "abc", "1.5", "99999999999999999999", "\x00", "1 OR 1=1", "<script>", "９" * 30]
junk = st.one_of(st.sampled_from(NOT_IDS), st.text(max_size=12))
# Besides its free text, each form gets good values in every box but one (or none), which gets
# anything at all: so the fuzzing reaches the saved path often, not only the refused one.
GOOD, WILD = 0, 1
SCALE = (
    st.sampled_from(["", "1", "2", "3", "4", "5"]),
    st.one_of(st.sampled_from(["0", "6", "-1", "3.0", " 4", "4 ", "٣", "五", "1e0", "\x00", "99999999999999999999"]),
              st.text(max_size=10)),
)  # fmt: skip
ONE_LINE = (st.one_of(st.just(""), clean), field)
EMAIL = (st.one_of(st.just(""), st.emails()), st.one_of(field, st.sampled_from(ATTACKS)))
KIND = (st.sampled_from(OrganisationKind.values), st.one_of(st.sampled_from(["", "charity", "VCSE"]), junk))
WHO = (st.sampled_from(["self", "organisation"]), st.one_of(st.sampled_from(["", "both", "Self"]), junk))
DAY = (
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.one_of(st.sampled_from(["", "2027-02-30", "2027-13-01", "31/12/2027", "tomorrow", "0001-01-01", "9999-12-31",
                               "２０２７-０３-０１", "2027-3-1", "\x00", "2027-03-01T09:00"]), st.text(max_size=12)),
)  # fmt: skip
TIME = (
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.one_of(st.sampled_from(["", "24:00", "12:60", "9am", "-1:00", "\x00", "１２:００"]), st.text(max_size=6)),
)  # fmt: skip
TICK = (st.just("on"), st.one_of(st.sampled_from(["", "false", "off", "\x00"]), st.text(max_size=4)))


def boxes(*names: str):
    """Which box gets anything at all: none (three times as likely as any one box), or one of `names`."""
    return st.sampled_from([None, None, None, *names])


def filler(data, wild: str | None):
    """Draw a box's value: good, unless it is the one named `wild`."""

    def fill(name: str, kinds: tuple):
        return data.draw(kinds[WILD if name == wild else GOOD], label=name)

    return fill


def shown(value: str) -> str:
    """A text answer as the analysis page shows it: its first 60 words, escaped."""
    return escape(truncatewords(value, 60))


def assert_page_safe(content: str) -> None:
    """Nothing typed became markup. The analysis page draws its own charts in SVG; those aside."""
    assert_safe(re.sub(r'<svg class="compact-scale-chart".*?</svg>', "", content, flags=re.S))


def organiser_page(user, address: str) -> str:
    """A page as an organiser sees it, in a browser of their own."""
    browser = Client()
    browser.force_login(user)
    response = browser.get(address)
    assert response.status_code == 200
    return page(response)


def status_of(response, allowed: tuple[int, ...]) -> int:
    """Never a server error, and only the answers the page can give. A refusal names each
    problem on the page (which boxes failed is recorded for the statistics)."""
    event(f"status {response.status_code}")
    assert response.status_code in allowed, response.status_code
    if response.status_code != 302:
        errors = response.context["form"].errors
        assert errors, "refused without saying why"
        for name, messages in errors.items():
            event(f"refused: {name}")
            assert all(escape(message) in page(response) for message in messages), messages
    return response.status_code


def input_kept(response, name: str, value: str) -> None:
    """A one-line box still holds what was typed (an empty box has no value attribute)."""
    kept = hidden(response, name)
    assert html.unescape(kept or "") == value, (name, value[:80])


@pytest.fixture
def borough(partnership):
    area = AreaFactory(name="Lewisham", kind=AreaKind.BOROUGH)
    partnership.places.add(area)
    return area


@pytest.fixture
def organisation(partnership):
    return PartnershipOrganisationFactory(partnership=partnership, organisation=OrganisationFactory()).organisation


@pytest.fixture
def questions(round):
    """The round's questions, as the form names them."""
    return fields(round)


def assert_answers_saved(response_row, questions, answer: str, scale_value: str) -> None:
    saved = {f"q{a.question_id}": a for a in response_row.answers.all()}
    if cleaned(answer):
        assert saved[questions["text"]].text == cleaned(answer)
    else:
        assert questions["text"] not in saved
    if scale_value:
        assert saved[questions["agree"]].scale == int(scale_value)
    else:
        assert questions["agree"] not in saved


# --- responding -------------------------------------------------------------------------------


BOROUGH = (st.sampled_from(["", "mine"]), junk)


@FUZZ
@given(
    answer=field, wild=boxes("scale", "name", "email", "who", "organisation_name", "kind", "borough"), data=st.data()
)
def test_a_public_response_is_saved_as_typed_or_kept_with_the_error(
    client, round, questions, borough, convenor, answer, wild, data
):
    cache.clear()  # the public link's limit per address is tested on its own
    Response.objects.all().delete()
    fill = filler(data, wild)
    typed = {
        "scale": fill("scale", SCALE), "name": fill("name", ONE_LINE), "email": fill("email", EMAIL),
        "who": fill("who", WHO), "organisation_name": fill("organisation_name", ONE_LINE),
        "kind": fill("kind", KIND), "borough": fill("borough", BOROUGH),
    }  # fmt: skip
    borough_id = str(borough.pk) if typed["borough"] == "mine" else typed["borough"]
    form = {
        questions["text"]: answer, questions["agree"]: typed["scale"], "name": typed["name"], "email": typed["email"],
        "responding_as": typed["who"], "organisation_name": typed["organisation_name"],
        "organisation_kind": typed["kind"], "borough": borough_id,
    }  # fmt: skip

    response = client.post(reverse("round_public", args=[round.public_key]), form)

    if status_of(response, (302, 400)) == 400:
        assert not Response.objects.exists()
        assert_refused_and_kept(response, {questions["text"]: answer})
        input_kept(response, "name", typed["name"])
        input_kept(response, "organisation_name", typed["organisation_name"])
        return
    saved = Response.objects.get()
    assert_answers_saved(saved, questions, answer, typed["scale"])
    assert saved.name == cleaned(typed["name"])
    on_behalf = typed["who"] == "organisation"
    assert (saved.organisation_name, saved.organisation_kind) == (
        (cleaned(typed["organisation_name"]), typed["kind"]) if on_behalf else ("", "")
    )
    assert saved.borough == (borough if typed["borough"] == "mine" else None)
    content = organiser_page(convenor, url("round_analysis", round))
    if cleaned(answer):
        assert shown(cleaned(answer)) in content
    assert_page_safe(content)


@FUZZ
@given(answer=field, wild=boxes("scale", "who", "organisation_name", "kind"), data=st.data())
def test_a_members_response_is_saved_as_typed_or_kept_with_the_error(
    client, round, questions, people, convenor, answer, wild, data
):
    member = people[Role.MEMBER]
    client.force_login(member)
    fill = filler(data, wild)
    typed = {
        "scale": fill("scale", SCALE), "who": fill("who", WHO),
        "organisation_name": fill("organisation_name", ONE_LINE), "kind": fill("kind", KIND),
    }  # fmt: skip
    before = list(Response.objects.values_list("pk", "answers__text", "answers__scale").order_by("pk", "answers"))
    form = {
        questions["text"]: answer, questions["agree"]: typed["scale"], "responding_as": typed["who"],
        "organisation_name": typed["organisation_name"], "organisation_kind": typed["kind"],
    }  # fmt: skip

    response = client.post(url("round_respond", round), form)

    if status_of(response, (302, 400)) == 400:
        after = list(Response.objects.values_list("pk", "answers__text", "answers__scale").order_by("pk", "answers"))
        assert after == before  # an earlier response stays as it was
        assert_refused_and_kept(response, {questions["text"]: answer})
        input_kept(response, "organisation_name", typed["organisation_name"])
        return
    saved = Response.objects.get(respondent=member)
    assert_answers_saved(saved, questions, answer, typed["scale"])
    on_behalf = typed["who"] == "organisation"
    assert saved.speaks_for == (cleaned(typed["organisation_name"]) if on_behalf else "")
    content = organiser_page(convenor, url("round_analysis", round))
    if cleaned(answer):
        assert shown(cleaned(answer)) in content
    assert_page_safe(content)


# --- the organisers' forms --------------------------------------------------------------------

VERSION = (st.just("saved"), junk)
ORGANISATIONS = (st.lists(st.just("ours"), max_size=1), st.lists(junk, min_size=1, max_size=3))


@FUZZ
@given(title=field, introduction=field, length=st.integers(min_value=0, max_value=400),
       wild=boxes("version", "opens_on", "opens_time", "closes_on", "closes_time", "for_members", "organisations"),
       data=st.data())  # fmt: skip
def test_a_round_is_saved_as_typed_or_kept_with_the_error(
    client, consulting, convenor, organisation, title, introduction, length, wild, data
):
    client.force_login(convenor)
    before = set(Round.objects.values_list("pk", flat=True))
    fill = filler(data, wild)
    opens_on, version = fill("opens_on", DAY), fill("version", VERSION)
    if wild == "closes_on":
        closes_on = data.draw(DAY[WILD], label="closes_on")
    elif isinstance(opens_on, dt.date):
        closes_on = opens_on + dt.timedelta(days=length)
    else:
        closes_on = data.draw(DAY[GOOD], label="closes_on")
    form = {
        "title": title, "introduction": introduction,
        "version": str(consulting.versions.get().pk) if version == "saved" else version,
        "opens_on": str(opens_on), "opens_time": fill("opens_time", TIME),
        "closes_on": str(closes_on), "closes_time": fill("closes_time", TIME),
        "for_members": fill("for_members", TICK), "for_public": "",
        "organisations": [str(organisation.pk) if o == "ours" else o for o in fill("organisations", ORGANISATIONS)],
    }  # fmt: skip

    response = client.post(reverse("round_create", args=[consulting.partnership.slug, consulting.pk]), form)

    if status_of(response, (200, 302)) == 200:
        assert set(Round.objects.values_list("pk", flat=True)) == before
        assert_refused_and_kept(response, {"introduction": introduction})
        input_kept(response, "title", title)
        return
    made = Round.objects.exclude(pk__in=before).get()
    assert (made.title, made.introduction) == (cleaned(title), cleaned(introduction))
    assert made.closes_at > made.opens_at
    content = organiser_page(convenor, url("round_detail", made))
    assert escape(made.title) in content
    for line in made.introduction.split("\n"):
        assert escape(line) in content
    assert_page_safe(content)


QUESTION_KIND = (st.sampled_from(QuestionKind.values), st.one_of(st.sampled_from(["", "scale", "Agree"]), junk))
KEY_AREA = (st.sampled_from(["", "area"]), junk)


@FUZZ
@given(text=field, wild=boxes("kind", "block"), data=st.data())
def test_a_question_is_saved_as_typed_or_kept_with_the_error(client, round, areas, convenor, text, wild, data):
    client.force_login(convenor)
    before = round.questions.count()
    fill = filler(data, wild)
    kind, block = fill("kind", QUESTION_KIND), fill("block", KEY_AREA)

    response = client.post(
        url("round_question_add", round),
        {"text": text, "kind": kind, "block": str(areas[0].pk) if block == "area" else block},
    )

    if status_of(response, (302, 400)) == 400:
        assert round.questions.count() == before
        assert ERROR_SUMMARY in page(response)
        input_kept(response, "text", text)
        assert_safe(page(response))
        return
    added = Question.objects.filter(round=round).latest("position")
    assert (added.text, added.kind) == (cleaned(text), kind)
    assert added.block == (areas[0] if block == "area" else None)
    content = organiser_page(convenor, url("round_detail", round))
    assert escape(added.text) in content
    assert_page_safe(content)


ADDRESS = st.one_of(st.emails(), st.sampled_from(ATTACKS), field, st.sampled_from([
    '"<script>alert(1)</script>"@example.org', "<ok@example.org>", "Jo Bloggs <jo@example.org>", "a@b", "@example.org",
    "a@@example.org", "a@example.org\x00", "ünï@example.org", "x" * 300 + "@example.org", "a@example.org\nBcc: b@x.org",
]))  # fmt: skip
SEPARATOR = st.sampled_from([",", ";", "\n", "\r\n", " , ", "\n\n"])
EMAILS = (
    st.builds(lambda parts, glue: glue.join(parts), st.lists(st.emails(), min_size=1, max_size=6), SEPARATOR),
    st.one_of(st.builds(lambda parts, glue: glue.join(parts), st.lists(ADDRESS, max_size=6), SEPARATOR), field),
)  # fmt: skip
CONTACT_FOR = (st.sampled_from(["", "ours"]), junk)


@FUZZ
@given(wild=boxes("emails", "organisation"), data=st.data())
def test_invitations_are_added_as_typed_or_kept_with_the_error(client, round, convenor, organisation, wild, data):
    client.force_login(convenor)
    Invitation.objects.filter(round=round).delete()
    fill = filler(data, wild)
    emails, contact_for = fill("emails", EMAILS), fill("organisation", CONTACT_FOR)

    response = client.post(
        url("round_invite", round),
        {"emails": emails, "organisation": str(organisation.pk) if contact_for == "ours" else contact_for},
    )

    if status_of(response, (302, 400)) == 400:
        assert not Invitation.objects.filter(round=round).exists()
        assert_refused_and_kept(response, {"emails": emails})
        return
    added = list(Invitation.objects.filter(round=round).order_by("email"))
    assert added and all(invitation.email in emails for invitation in added)
    assert {i.organisation for i in added} == {organisation if contact_for == "ours" else None}
    content = organiser_page(convenor, url("round_detail", round))
    for invitation in added[:50]:  # the first page of people invited
        assert escape(invitation.email) in content
    assert_page_safe(content)
