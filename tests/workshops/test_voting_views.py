"""Voting and write-up pages: status codes (404 for strangers, 403 with a reason for roles that
lack the right), the ballot for members and guests, errors beside the fields, nothing leaked
before results are revealed, query counts, escaping, and hypothesis fuzzing of both forms."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact.partnerships.models import Role
from compact.workshops.live.guest import SALT, cookie_name
from compact.workshops.models import DotVote, Registration, Theme, VoteTarget, WallEvent, Workshop, WriteUp
from compact.workshops.services import voting
from compact.workshops.services import writeup as writeup_services
from compact.workshops.services.participants import participant_join_guest

from ..factories import ERROR_SUMMARY
from .test_voting import add_idea
from .test_writeup import ACCESS_NEED, SCRIPT, _kinds, _no_language_model, wall_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


def url(name, workshop):
    return reverse(name, args=[workshop.partnership.slug, workshop.process.slug, workshop.slug])


@pytest.fixture
def voting_open(live_workshop, people):
    ideas = [add_idea(live_workshop, people[Role.MEMBER], text) for text in ("Pay on time", SCRIPT, "Plain words")]
    voting.voting_open(workshop=live_workshop, actor=people[Role.FACILITATOR])
    live_workshop.refresh_from_db()
    return live_workshop, ideas


def guest_client(client, workshop, name="Ada"):
    participant, raw_key = participant_join_guest(workshop=workshop, display_name=name)
    client.cookies[cookie_name(workshop.pk)] = signing.get_cookie_signer(salt=cookie_name(workshop.pk) + SALT).sign(
        raw_key
    )
    return participant


def test_a_member_votes_and_sees_only_their_own_dots(client, voting_open, people, django_assert_max_num_queries):
    workshop, (a, b, c) = voting_open
    voting.dots_save(workshop=workshop, actor=people[Role.CONVENOR], dots={a.pk: 5})
    client.force_login(people[Role.MEMBER])
    with django_assert_max_num_queries(15):
        page = client.get(url("workshop_vote", workshop))
    html = page.content.decode()
    assert page.status_code == 200 and "You have <strong>5</strong> dots left." in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html and SCRIPT not in html
    assert 'id="results"' not in html  # the convenor's 5 dots are nowhere
    with django_assert_max_num_queries(30):
        response = client.post(url("workshop_vote", workshop), {f"dots_{a.pk}": "2", f"dots_{b.pk}": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "You have <strong>2</strong> dots left." in page.content.decode()
    assert f'name="dots_{a.pk}" type="text" inputmode="numeric" spellcheck="false" value="2"' in page.content.decode()


def test_bad_input_is_shown_beside_the_field_and_nothing_saved(client, voting_open, people):
    workshop, (a, b, c) = voting_open
    client.force_login(people[Role.MEMBER])
    page = client.post(url("workshop_vote", workshop), {f"dots_{a.pk}": "3", f"dots_{b.pk}": "-2"})
    html = page.content.decode()
    assert page.status_code == 200 and ERROR_SUMMARY in html and "<title>Error:" in html
    assert f'id="dots_{b.pk}-error"' in html and voting.NEGATIVE in html
    page = client.post(url("workshop_vote", workshop), {f"dots_{a.pk}": "4", f"dots_{b.pk}": "4"})
    assert "You have 5 dots and this would use 8. Take 3 off first." in page.content.decode()
    assert 'value="4"' in page.content.decode()  # what they typed comes back
    assert not DotVote.objects.exists()


def test_observers_get_403_and_outsiders_404(client, voting_open, people):
    workshop, ideas = voting_open
    client.force_login(people[Role.OBSERVER])
    assert client.get(url("workshop_vote", workshop)).status_code == 403
    assert client.post(url("workshop_vote", workshop), {f"dots_{ideas[0].pk}": "1"}).status_code == 403
    client.force_login(people["outsider"])
    for name in ("workshop_vote", "workshop_voting", "workshop_results", "workshop_write_up", "workshop_write_up_csv"):
        assert client.get(url(name, workshop)).status_code == 404
    assert not DotVote.objects.exists()


def test_when_voting_is_closed_the_ballot_says_so(client, live_workshop, people):
    idea = add_idea(live_workshop, people[Role.MEMBER], "An idea")
    client.force_login(people[Role.MEMBER])
    page = client.get(url("workshop_vote", live_workshop))
    assert page.status_code == 200 and b'id="voting-closed"' in page.content
    page = client.post(url("workshop_vote", live_workshop), {f"dots_{idea.pk}": "1"})
    assert voting.CLOSED.encode() in page.content and not DotVote.objects.exists()


def test_guests_vote_by_cookie_and_others_are_sent_to_join(client, voting_open, people):
    workshop, (a, b, c) = voting_open
    guest_url = reverse("workshop_guest_vote", args=[workshop.join_code])
    assert client.get(guest_url).status_code == 403  # no cookie: told to join first
    assert client.get(reverse("workshop_guest_vote", args=["NOPE99"])).status_code == 404
    guest = guest_client(client, workshop)
    response = client.post(guest_url, {f"dots_{c.pk}": "3"})
    assert response.status_code == 302
    assert voting.my_dots(workshop, guest) == {c.pk: 3}
    page = client.get(guest_url)
    assert b"You have <strong>2</strong> dots left." in page.content
    # A member following the code is sent to their own ballot.
    client.force_login(people[Role.MEMBER])
    assert client.get(guest_url)["Location"] == url("workshop_vote", workshop)


def test_facilitators_open_close_and_reveal_and_see_the_tally(client, voting_open, people,
                                                              django_assert_max_num_queries):  # fmt: skip
    workshop, (a, b, c) = voting_open
    voting.dots_save(workshop=workshop, actor=people[Role.MEMBER], dots={b.pk: 4})
    client.force_login(people[Role.FACILITATOR])
    with django_assert_max_num_queries(15):
        page = client.get(url("workshop_voting", workshop))
    assert page.status_code == 200 and b'id="tally"' in page.content and b"Close voting" in page.content
    assert client.post(url("workshop_voting", workshop), {"action": "close"}).status_code == 302
    assert client.post(url("workshop_voting", workshop), {"action": "reveal"}).status_code == 302
    page = client.post(url("workshop_voting", workshop), {"action": "explode"})
    assert ERROR_SUMMARY.encode() in page.content
    workshop.refresh_from_db()
    assert not workshop.voting_open and workshop.results_revealed
    client.force_login(people[Role.MEMBER])
    assert client.get(url("workshop_voting", workshop)).status_code == 403
    page = client.get(url("workshop_results", workshop))
    assert page.status_code == 200 and b'govuk-table__cell--numeric" data-tally-dots>4</td>' in page.content
    assert b"data-tally-stream" not in page.content  # members' streams carry no tally


def test_the_tally_page_carries_what_tally_js_needs(client, voting_open, people):
    workshop, (a, b, c) = voting_open
    voting.dots_save(workshop=workshop, actor=people[Role.MEMBER], dots={b.pk: 4})
    last = WallEvent.objects.filter(workshop=workshop).order_by("-pk").values_list("pk", flat=True).first()
    client.force_login(people[Role.FACILITATOR])
    for page in ("workshop_voting", "workshop_results"):
        html = client.get(url(page, workshop)).content.decode()
        stream = f"/live/workshops/{workshop.pk}/events/?since={last}"
        assert f'id="tally" data-tally-stream="{stream}" data-tally-target="idea"' in html
        # Most dots first; ties keep the ballot's order, which tally.js sorts by too.
        rows = re.findall(r'data-tally-item="(\d+)" data-tally-order="(\d+)"', html)
        assert rows == [(str(b.pk), "1"), (str(a.pk), "0"), (str(c.pk), "2")]
        assert "data-tally-dots>4</td>" in html and "<span data-tally-label>Pay on time</span>" in html
        assert 'data-tally-status role="status"' in html and "data-tally-note" in html and "data-tally-voters" in html
        assert "/static/src/js/tally.js" in html


def test_a_tally_of_themes_says_so(client, voting_open, people):
    workshop, _ideas = voting_open
    Theme.objects.create(workshop=workshop, name="Paying on time", position=1, created_by=people[Role.FACILITATOR])
    Workshop.objects.filter(pk=workshop.pk).update(vote_target=VoteTarget.THEMES)
    client.force_login(people[Role.FACILITATOR])
    html = client.get(url("workshop_voting", workshop)).content.decode()
    assert 'data-tally-target="theme"' in html and "<span data-tally-label>Paying on time</span>" in html


@pytest.mark.parametrize(("page", "role"), [("workshop_vote", Role.MEMBER), ("workshop_voting", Role.FACILITATOR),
                                            ("workshop_results", Role.FACILITATOR)])  # fmt: skip
def test_each_page_builds_the_tally_once(client, voting_open, people, monkeypatch, page, role):
    workshop, _ideas = voting_open
    voting.results_reveal(workshop=workshop, actor=people[Role.FACILITATOR])
    calls = {"items": 0, "tally": 0}

    def counted(name):
        real = getattr(voting, name)

        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return call

    for name in calls:
        monkeypatch.setattr(voting, name, counted(name))
    client.force_login(people[role])
    html = client.get(url(page, workshop)).content.decode()
    assert "Pay on time" in html and calls == {"items": 1, "tally": 1}


def test_members_see_no_results_until_revealed(client, voting_open, people):
    workshop, (a, b, c) = voting_open
    voting.dots_save(workshop=workshop, actor=people[Role.CONVENOR], dots={a.pk: 5})
    client.force_login(people[Role.MEMBER])
    assert client.get(url("workshop_results", workshop)).status_code == 403
    client.force_login(people[Role.CONVENOR])
    assert client.get(url("workshop_results", workshop)).status_code == 200


def test_opening_with_nothing_to_vote_on_shows_the_reason(client, live_workshop, people):
    client.force_login(people[Role.FACILITATOR])
    page = client.post(url("workshop_voting", live_workshop), {"action": "open"})
    assert b"There are no ideas on the wall to vote on yet" in page.content


# Write-up pages -------------------------------------------------------------------------------


def test_the_write_up_page_for_organisers_and_then_members(client, wall, people, django_assert_max_num_queries):
    workshop = wall["workshop"]
    client.force_login(people[Role.MEMBER])
    assert client.get(url("workshop_write_up", workshop)).status_code == 403  # not published yet
    assert client.get(url("workshop_write_up_docx", workshop)).status_code == 403
    client.force_login(people[Role.FACILITATOR])
    with django_assert_max_num_queries(20):
        page = client.get(url("workshop_write_up", workshop))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="draft"' in html
    assert "&lt;script&gt;" in html and SCRIPT not in html and ACCESS_NEED not in html
    assert "Names a council officer" not in html and "Sent after the workshop</strong>" in html
    assert "6 dots" in html


def test_editing_and_publishing_through_the_pages(client, wall, people, django_capture_on_commit_callbacks):
    workshop = wall["workshop"]
    client.force_login(people[Role.FACILITATOR])
    page = client.get(url("workshop_write_up_edit", workshop))
    assert page.status_code == 200 and f'name="theme_{wall["money"].pk}"'.encode() in page.content
    response = client.post(url("workshop_write_up_edit", workshop), {
        "summary": "We agreed **three** things <script>x()</script>", "facilitator_notes": "",
        f"theme_{wall['money'].pk}": "Pay faster",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(url("workshop_write_up", workshop)).content.decode()
    assert "<strong>three</strong>" in page and "<script>x()" not in page and "Pay faster" in page
    confirm = client.get(url("workshop_write_up_publish", workshop)).content.decode()
    assert "3 members and 1 guest who registered" in " ".join(confirm.split())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("workshop_write_up_publish", workshop), {})
    assert response.status_code == 302
    assert len(mail.outbox) == 4
    again = client.post(url("workshop_write_up_publish", workshop), {})
    assert b"already been published" in again.content
    client.force_login(people[Role.OBSERVER])
    assert client.get(url("workshop_write_up", workshop)).status_code == 200
    csv_response = client.get(url("workshop_write_up_csv", workshop))
    assert csv_response.status_code == 200 and b"Pay invoices within 30 days" in csv_response.content
    docx = client.get(url("workshop_write_up_docx", workshop))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url("workshop_write_up_edit", workshop)).status_code == 403


def test_the_guests_link_opens_the_published_write_up_only(client, wall, people):
    workshop = wall["workshop"]
    registration = Registration.objects.get(email="gita@example.org")
    link = reverse("workshop_write_up_guest", args=[writeup_services.guest_token(registration)])
    assert client.get(link).status_code == 404  # not published yet
    writeup_services.write_up_publish(workshop=workshop, actor=people[Role.FACILITATOR])
    page = client.get(link)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    assert b"6 dots" in page.content and ACCESS_NEED.encode() not in page.content
    assert client.get(link[:-3] + "xx/").status_code == 404
    registration.status = Registration.Status.CANCELLED
    registration.save()
    assert client.get(link).status_code == 404


# Fuzzing --------------------------------------------------------------------------------------

RAW = st.one_of(
    st.integers(-10, 30).map(str),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12),
    st.sampled_from(["", " 2 ", "1.0", "1e2", "²", "0x3", "999999999999"]),
)


def test_fuzz_the_vote_form(client, voting_open, people):
    workshop, ideas = voting_open
    client.force_login(people[Role.MEMBER])
    names = [f"dots_{i.pk}" for i in ideas] + ["dots_999999", "dots_x", "other"]

    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), RAW, max_size=5))
    def run(data):
        before = list(DotVote.objects.order_by("pk").values_list("pk", "idea_id", "dots"))
        response = client.post(url("workshop_vote", workshop), data)
        assert response.status_code in (200, 302)
        after = list(DotVote.objects.order_by("pk").values_list("pk", "idea_id", "dots"))
        if response.status_code == 200:
            assert ERROR_SUMMARY.encode() in response.content and after == before
        assert sum(d for _p, _i, d in after) <= workshop.dots_per_participant

    run()


def test_fuzz_the_write_up_form(client, wall, people):
    workshop = wall["workshop"]
    client.force_login(people[Role.FACILITATOR])
    text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)

    @FUZZ
    @given(summary=text, notes=text, theme=st.one_of(text, st.just("x" * 2001)))
    def run(summary, notes, theme):
        response = client.post(url("workshop_write_up_edit", workshop), {
            "summary": summary, "facilitator_notes": notes, f"theme_{wall['money'].pk}": theme,
        })  # fmt: skip
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert ERROR_SUMMARY.encode() in response.content
        page = client.get(url("workshop_write_up", workshop))
        assert page.status_code == 200 and b"<script" not in page.content.split(b"</header>")[-1].split(b"<footer")[0]

    run()
    assert WriteUp.objects.filter(workshop=workshop).count() <= 1
    assert Workshop.objects.get(pk=workshop.pk).state == Workshop.State.ENDED
