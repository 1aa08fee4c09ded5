"""Arbitrary input to every decisions form: never a 500, and either saved (redirect) or shown
again with the GOV.UK error summary and nothing half-saved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact.decisions.models import AgendaItem, Meeting, Proposal, Vote
from compact.decisions.services import proposal_create

from ..factories import ERROR_SUMMARY
from .conftest import in_days

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
FUZZ = settings(
    max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


def field(*valid):
    """A valid value three times in four, otherwise arbitrary text."""
    return st.integers(0, 3).flatmap(lambda n: TEXT if n == 0 else st.sampled_from(valid))


def check(response, *, counts_before, counts_after):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert ERROR_SUMMARY in response.content.decode()
        assert counts_after == counts_before  # nothing half-saved


def counts():
    return (Proposal.objects.count(), Vote.objects.count(), Meeting.objects.count(), AgendaItem.objects.count())


def test_fuzz_open_a_proposal(client, partnership, group, people):
    client.force_login(people["co_chair"])
    url = reverse("proposal_create", args=[partnership.slug])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    @FUZZ
    @given(
        st.fixed_dictionaries({
            "title": field("Adopt the purpose", "<script>alert(1)</script>"),
            "text": field("We agree.", "=HYPERLINK(1)"),
            "body": field(str(group.pk), "999999"),
            "method": field("consent", "poll", "dots", "ranked", "score", "nonsense"),
            "options": field("", "A\nB", "A\nA", "\n".join(str(i) for i in range(40))),
            "dots_per_voter": field("5", "0", "101", "-1"),
            "max_choices": field("", "1", "99"),
            "closes_at": field(tomorrow, "2020-01-01", "31/02/2027"),
            "closes_time": field("17:00", "25:61"),
        })
    )  # fmt: skip
    def post(data):
        before = counts()
        check(client.post(url, data), counts_before=before, counts_after=counts())

    post()


def test_fuzz_vote_on_each_method(client, partnership, group, people):
    proposals = [
        proposal_create(
            partnership=partnership,
            actor=people["co_chair"],
            body=group,
            title=f"Vote {method}",
            text="Decide",
            method=method,
            options=[] if method == "consent" else ["A", "B", "C"],
            closes_at=in_days(2),
        )  # fmt: skip
        for method in ("consent", "poll", "dots", "ranked", "score")
    ]
    client.force_login(people["voter1"])
    ids = [str(o.pk) for p in proposals for o in p.options.all()] + ["x", "-1"]

    @FUZZ
    @given(
        st.sampled_from(proposals),
        st.dictionaries(
            st.sampled_from(["position", "reason", "choices", "rank_1", "rank_2", "rank_3"]
                            + [f"dots_{i}" for i in ids[:6]] + [f"score_{i}" for i in ids[:6]]),
            field(*ids, "agree", "object", "block", "3", "9", "-2", ""),
            max_size=6,
        ),
    )  # fmt: skip
    def post(proposal, data):
        before = counts()
        url = reverse("proposal_detail", args=[partnership.slug, proposal.pk])
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ERROR_SUMMARY in response.content.decode()
            assert counts() == before

    post()


def test_fuzz_schedule_a_meeting_and_add_agenda_items(client, partnership, group, people):
    client.force_login(people["co_chair"])
    create = reverse("meeting_create", args=[partnership.slug, group.pk])
    day = (timezone.localdate() + dt.timedelta(days=7)).isoformat()

    @FUZZ
    @given(
        st.fixed_dictionaries({
            "title": field("March meeting", "<b>x</b>"),
            "date": field(day, "2027-13-01"),
            "start_time": field("14:00", "99:00"),
            "end_time": field("", "15:00", "13:00"),
            "place": field("", "Town hall"),
            "online_link": field("", "https://example.org/meet", "javascript:alert(1)"),
        })
    )  # fmt: skip
    def post(data):
        before = counts()
        check(client.post(create, data), counts_before=before, counts_after=counts())

    post()
    meeting = Meeting.objects.create(body=group, title="Fixed", starts_at=timezone.now() + dt.timedelta(days=2))
    detail = reverse("meeting_detail", args=[partnership.slug, group.pk, meeting.pk])

    @FUZZ
    @given(
        st.fixed_dictionaries({
            "title": field("Welcome", ""),
            "duration_minutes": field("15", "0", "481", "ten"),
            "presenter": field("", "Chair"),
        })
    )  # fmt: skip
    def add_item(data):
        before = counts()
        check(client.post(detail, data), counts_before=before, counts_after=counts())

    add_item()


def test_fuzz_record_an_outcome(client, partnership, group, people):
    from compact.decisions.models import Outcome

    client.force_login(people["co_chair"])

    @FUZZ
    @given(
        st.fixed_dictionaries({
            "decision": field("Adopted", "", "=cmd|' /C calc'!A0"),
            "rationale": field("", "Everyone agreed"),
            "review_on": field("", "2027-03-01", "2027-02-30", "soon"),
            "casting_choice": field("", "1", "x"),
        })
    )  # fmt: skip
    def post(data):
        proposal = proposal_create(partnership=partnership, actor=people["co_chair"], body=group, title="Decide",
                                   text="Decide it", closes_at=in_days(1))  # fmt: skip
        Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(-0.01))
        url = reverse("proposal_outcome", args=[partnership.slug, proposal.pk])
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        recorded = Outcome.objects.filter(proposal=proposal).exists()
        assert recorded == (response.status_code == 302)
        if not recorded:
            assert ERROR_SUMMARY in response.content.decode()

    post()


def test_fuzz_minutes_and_attendance(client, partnership, group, people):
    from compact.decisions.models import Attendance
    from compact.decisions.services import agenda_item_add

    client.force_login(people["co_chair"])
    meeting = Meeting.objects.create(body=group, title="Fixed", starts_at=timezone.now() + dt.timedelta(days=2))
    item = agenda_item_add(meeting=meeting, actor=people["co_chair"], title="Welcome", duration_minutes=10)
    minutes = reverse("agenda_item_minutes", args=[partnership.slug, group.pk, meeting.pk, item.pk])
    attendance = reverse("meeting_attendance", args=[partnership.slug, group.pk, meeting.pk])
    member_ids = [str(people[k].pk) for k in ("co_chair", "voter1", "voter2")]

    @FUZZ
    @given(field("Agreed.", "", "<script>x</script>", "a" * 25000))
    def post_minutes(text):
        response = client.post(minutes, {"minutes": text})
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ERROR_SUMMARY in response.content.decode()

    @FUZZ
    @given(
        st.dictionaries(
            st.sampled_from([f"status_{i}" for i in member_ids] + [f"organisation_{i}" for i in member_ids]),
            field("present", "apologies", "absent", "", "999999"),
        )
    )  # fmt: skip
    def post_attendance(data):
        before = Attendance.objects.count()
        response = client.post(attendance, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ERROR_SUMMARY in response.content.decode()
            assert Attendance.objects.count() == before

    post_minutes()
    post_attendance()
