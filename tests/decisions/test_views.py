import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.decisions.models import Method, Proposal, Statement, Vote
from compact.decisions.services import outcome_record, proposal_create, vote_cast
from compact.partnerships.models import Role
from compact.processes.models import StageKind
from compact.processes.services import stage_finish, stage_start

from ..factories import ERROR_SUMMARY, BodyFactory, field_errors, messages_shown
from .conftest import in_days

pytestmark = pytest.mark.django_db


def open_proposal(partnership, actor, **kwargs):
    defaults = dict(title="Adopt the purpose", text="We adopt this purpose.", closes_at=in_days(2))
    return proposal_create(partnership=partnership, actor=actor, **(defaults | kwargs))


def close(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(-0.01))
    proposal.refresh_from_db()


def url(name, proposal):
    return reverse(name, args=[proposal.partnership.slug, proposal.pk])


def ids(proposal):
    return [str(o.pk) for o in proposal.options.order_by("position")]


def test_outsiders_get_404_on_every_decision_page(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    client.force_login(people["outsider"])
    slug = partnership.slug
    for path in [reverse("decision_log", args=[slug]), reverse("decision_log_csv", args=[slug]),
                 reverse("proposal_create", args=[slug]), url("proposal_detail", proposal),
                 url("proposal_outcome", proposal)]:  # fmt: skip
        assert client.get(path).status_code == 404, path
    for name in ["proposal_vote", "proposal_close", "proposal_withdraw"]:
        assert client.post(url(name, proposal)).status_code == 404, name


def test_members_without_the_right_cannot_open_proposals(client, partnership, group, people):
    client.force_login(people[Role.MEMBER])
    assert client.get(reverse("proposal_create", args=[partnership.slug])).status_code == 403
    assert client.get(reverse("proposal_create", args=[partnership.slug]) + f"?body={group.pk}").status_code == 403
    client.force_login(people["co_chair"])
    assert client.get(reverse("proposal_create", args=[partnership.slug]) + f"?body={group.pk}").status_code == 200


def test_open_a_proposal_through_the_form(client, partnership, group, people):
    client.force_login(people["co_chair"])
    page = reverse("proposal_create", args=[partnership.slug]) + f"?body={group.pk}"
    response = client.get(page)
    assert "Open a proposal – South East London – Compact" in response.content.decode()
    closes = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(page, {
        "title": "Choose a priority", "text": "Which first?", "body": group.pk, "method": Method.POLL,
        "options": "Funding\nProcurement\n", "dots_per_voter": 5, "closes_at": closes, "closes_time": "17:00",
    })  # fmt: skip
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == url("proposal_detail", proposal)
    assert [o.label for o in proposal.options.all()] == ["Funding", "Procurement"]
    assert proposal.closes_at.astimezone(dt.UTC).hour in (16, 17)


def test_form_errors_show_beside_fields(client, partnership, group, people):
    client.force_login(people["co_chair"])
    page = reverse("proposal_create", args=[partnership.slug])
    response = client.post(page, {
        "title": "Choose", "text": "Which?", "body": group.pk, "method": Method.POLL, "options": "Only one",
        "dots_per_voter": 5, "closes_at": "2001-01-01", "closes_time": "10:00",
    })  # fmt: skip
    assert response.status_code == 200 and ERROR_SUMMARY in response.content.decode()
    assert field_errors(response, "options") == ["Add at least two options to choose between"]
    assert field_errors(response, "closes_at") == ["The closing time must be in the future"]
    assert not Proposal.objects.exists()


def test_consent_vote_through_the_page_and_reason_required(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    client.force_login(people["voter1"])
    response = client.post(url("proposal_detail", proposal), {"position": "object", "reason": " "})
    assert response.status_code == 200
    assert field_errors(response, "reason") == ["Give a reason for your objection"]
    assert not Vote.objects.exists()
    response = client.post(url("proposal_vote", proposal), {"position": "object", "reason": "Too vague"}, follow=True)
    assert "Your vote has been saved." in messages_shown(response)
    assert "You voted: Object (Too vague)" in response.content.decode()
    response = client.post(url("proposal_vote", proposal), {"withdraw_vote": "1"}, follow=True)
    assert not Vote.objects.exists()


def test_observers_cannot_vote_through_the_page(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    client.force_login(people["body_observer"])
    assert client.post(url("proposal_vote", proposal), {"position": "agree"}).status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "method, extra, post, expected",
    [
        (Method.POLL, {}, lambda o: {"choices": o[1]}, {"choices": [1]}),
        (Method.POLL, {"multiple": True}, lambda o: {"choices": [o[0], o[2]]}, {"choices": [0, 2]}),
        (Method.DOTS, {"dots_per_voter": 4}, lambda o: {f"dots_{o[0]}": "3", f"dots_{o[2]}": "1"},
         {"dots": {0: 3, 2: 1}}),
        (Method.RANKED, {}, lambda o: {"rank_1": o[2], "rank_2": o[0], "rank_3": ""}, {"ranking": [2, 0]}),
        (Method.SCORE, {}, lambda o: {f"score_{o[0]}": "5", f"score_{o[1]}": "0", f"score_{o[2]}": "3"},
         {"scores": {0: 5, 1: 0, 2: 3}}),
    ],
)  # fmt: skip
def test_voting_through_the_page_for_each_method(client, partnership, group, people, method, extra, post, expected):
    proposal = open_proposal(partnership, people["co_chair"], body=group, method=method,
                             options=["Funding", "Procurement", "Contracts"], **extra)  # fmt: skip
    o = ids(proposal)
    client.force_login(people["voter1"])
    page = client.get(url("proposal_detail", proposal)).content.decode()
    if method == Method.RANKED:
        assert "1st choice" in page and "3rd choice" in page
    response = client.post(url("proposal_detail", proposal), post(o))
    assert response.status_code == 302, field_errors(response, "choices")
    key, value = next(iter(expected.items()))
    value = [o[i] for i in value] if isinstance(value, list) else {o[i]: n for i, n in value.items()}
    assert Vote.objects.get().ballot == {key: value}
    assert "You voted:" in client.get(url("proposal_detail", proposal)).content.decode()


def test_bad_ballots_show_errors_beside_fields(client, partnership, group, people):
    dots = open_proposal(partnership, people["co_chair"], body=group, method=Method.DOTS, dots_per_voter=3,
                         options=["Funding", "Procurement"])  # fmt: skip
    a, b = ids(dots)
    client.force_login(people["voter1"])
    response = client.post(url("proposal_detail", dots), {f"dots_{a}": "2", f"dots_{b}": "2"})
    assert field_errors(response, f"dots_{a}") == ["You have 3 dots; you placed 4"]
    ranked = open_proposal(partnership, people["co_chair"], body=group, method=Method.RANKED, title="Rank",
                           options=["Funding", "Procurement"])  # fmt: skip
    x, _y = ids(ranked)
    response = client.post(url("proposal_detail", ranked), {"rank_1": x, "rank_2": x})
    assert field_errors(response, "rank_1") == ["Rank each option only once"]
    assert not Vote.objects.exists()


def test_voting_after_closing_shows_a_message_and_saves_nothing(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    close(proposal)
    client.force_login(people["voter1"])
    response = client.post(url("proposal_detail", proposal), {"position": "agree"}, follow=True)
    assert any(m.startswith("Voting closed on") for m in messages_shown(response))
    assert not Vote.objects.exists()


def test_hidden_results_never_show_while_open(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group, method=Method.POLL, hide_results=True,
                             options=["Zebra option", "Yak option"], title="Secret poll")  # fmt: skip
    z, _y = ids(proposal)
    for n in (1, 2, 3):
        vote_cast(proposal=proposal, voter=people[f"voter{n}"], ballot={"choices": [z]})
    client.force_login(people["co_chair"])
    page = client.get(url("proposal_detail", proposal)).content.decode()
    assert "Results will show when voting closes on" in page
    assert "Votes per option" not in page and "people have voted" not in page and "Chosen:" not in page
    log = client.get(reverse("decision_log", args=[partnership.slug])).content.decode()
    assert "Secret poll" in log and "Chosen" not in log and "Zebra" not in log
    csv = client.get(reverse("decision_log_csv", args=[partnership.slug])).content.decode()
    assert "Secret poll" in csv and "Zebra" not in csv and "Chosen" not in csv
    close(proposal)
    page = client.get(url("proposal_detail", proposal)).content.decode()
    assert "Chosen: Zebra option." in page and "3 people have voted" in page


def test_consent_results_show_reasons_and_names_unless_anonymous(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "block", "reason": "Not costed"})
    client.force_login(people[Role.MEMBER])
    page = client.get(url("proposal_detail", proposal)).content.decode()
    assert "Not costed" in page and "Voter 1" in page


def test_close_then_record_the_outcome(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    for n in (1, 2, 3):
        vote_cast(proposal=proposal, voter=people[f"voter{n}"], ballot={"position": "agree"})
    client.force_login(people[Role.MEMBER])
    assert client.post(url("proposal_close", proposal)).status_code == 403
    client.force_login(people["co_chair"])
    assert "Close voting now" in client.get(url("proposal_detail", proposal)).content.decode()
    client.post(url("proposal_close", proposal))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CLOSED
    response = client.post(url("proposal_outcome", proposal), {"decision": ""})
    assert field_errors(response, "decision")
    response = client.post(url("proposal_outcome", proposal), {"decision": "Adopted", "review_on": "2030-01-01"})
    assert response.status_code == 302
    page = client.get(url("proposal_detail", proposal)).content.decode()
    assert "Adopted" in page and "Amend and propose again" in page
    assert client.get(url("proposal_outcome", proposal)).status_code == 403


def test_casting_vote_offered_when_tied(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group, method=Method.POLL,
                             options=["Funding", "Procurement"])  # fmt: skip
    a, b = ids(proposal)
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"choices": [a]})
    vote_cast(proposal=proposal, voter=people["voter2"], ballot={"choices": [b]})
    vote_cast(proposal=proposal, voter=people["voter3"], ballot={"choices": [b]})
    vote_cast(proposal=proposal, voter=people["co_chair"], ballot={"choices": [a]})
    close(proposal)
    client.force_login(people["co_chair"])
    assert "Casting vote" in client.get(url("proposal_outcome", proposal)).content.decode()
    client.post(url("proposal_outcome", proposal), {"decision": "Funding first", "casting_choice": a})
    assert proposal.outcome.result["winner"] == a


def test_withdraw_a_proposal(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group)
    client.force_login(people["voter1"])
    client.post(url("proposal_withdraw", proposal))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN
    client.force_login(people["co_chair"])
    client.post(url("proposal_withdraw", proposal))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN


def test_amend_prefills_the_form(client, partnership, group, people):
    proposal = open_proposal(partnership, people["co_chair"], body=group, method=Method.POLL,
                             options=["Funding", "Procurement"], title="First try")  # fmt: skip
    client.force_login(people["co_chair"])
    page = reverse("proposal_create", args=[partnership.slug]) + f"?amends={proposal.pk}"
    html = client.get(page).content.decode()
    assert "First try" in html and "Funding\nProcurement" in html
    client.post(page, {
        "title": "Second try", "text": "Again", "body": group.pk, "method": Method.POLL,
        "options": "Funding\nContracts", "dots_per_voter": 5,
        "closes_at": (dt.date.today() + dt.timedelta(days=3)).isoformat(), "closes_time": "12:00",
    })  # fmt: skip
    assert Proposal.objects.get(title="Second try").amends == proposal


def test_statement_proposal_to_process_page(client, partnership, group, people, leadership_process):
    process = leadership_process
    convenor = people[Role.CONVENOR]
    client.force_login(convenor)
    detail = reverse("process_detail", args=[partnership.slug, process.slug])
    assert "Propose a new purpose" in client.get(detail).content.decode()
    page = reverse("proposal_create", args=[partnership.slug]) + f"?process={process.pk}&statement=purpose"
    assert "there is no earlier version" in client.get(page).content.decode().lower()
    response = client.post(page, {
        "title": "Adopt a new purpose", "text": "Let us adopt it", "process": process.pk, "body": group.pk,
        "method": Method.CONSENT, "statement_kind": "purpose", "statement_text": "Better *health* together",
        "dots_per_voter": 5, "closes_at": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
        "closes_time": "12:00",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    first = Proposal.objects.get()
    for n in (1, 2, 3):
        vote_cast(proposal=first, voter=people[f"voter{n}"], ballot={"position": "agree"})
    close(first)
    outcome_record(proposal=first, actor=convenor, decision="Adopted")
    second = open_proposal(partnership, convenor, body=group, process=process, title="Purpose two",
                           statement_kind="purpose", statement_text="Even better together")  # fmt: skip
    for n in (1, 2, 3):
        vote_cast(proposal=second, voter=people[f"voter{n}"], ballot={"position": "agree"})
    close(second)
    outcome_record(proposal=second, actor=convenor, decision="Adopted again")
    assert Statement.objects.count() == 2
    html = client.get(detail).content.decode()
    assert "Even better together" in html and "Version 2, adopted" in html and "Earlier versions" in html
    assert "<em>health</em>" in html and "Purpose two" in html
    assert html.count("(3 votes") == 2  # each version names the votes that adopted it
    amend = client.get(page).content.decode()
    assert "This replaces version 2" in amend and "Even better together" in amend
    client.force_login(people[Role.MEMBER])
    assert "Propose a new purpose" not in client.get(detail).content.decode()


def test_decision_log_search_and_filters(client, partnership, group, people, leadership_process):
    process = leadership_process
    open_proposal(partnership, people["co_chair"], body=group, title="Fund the food bank")
    open_proposal(partnership, people[Role.CONVENOR], process=process, title="Charter wording")
    closed = open_proposal(partnership, people["co_chair"], body=group, title="Hire a coordinator")
    close(closed)
    outcome_record(proposal=closed, actor=people["co_chair"], decision="We will recruit in spring")
    client.force_login(people[Role.OBSERVER])
    log = reverse("decision_log", args=[partnership.slug])
    html = client.get(log).content.decode()
    assert all(t in html for t in ["Fund the food bank", "Charter wording", "Hire a coordinator"])
    assert "Decisions – South East London – Compact" in html
    html = client.get(log, {"q": "recruit"}).content.decode()
    assert "Hire a coordinator" in html and "Fund the food bank" not in html
    html = client.get(log, {"process": process.pk}).content.decode()
    assert "Charter wording" in html and "Fund the food bank" not in html
    html = client.get(log, {"status": "closed"}).content.decode()
    assert "Hire a coordinator" in html and "Charter wording" not in html
    html = client.get(log, {"body": group.pk}).content.decode()
    assert "Charter wording" not in html and "Fund the food bank" in html


def test_decision_log_queries_are_flat(client, partnership, group, people, process):
    def make(n):
        for i in range(n):
            p = open_proposal(partnership, people["co_chair"], body=group, title=f"P{i}")
            if i % 2:
                close(p)
                outcome_record(proposal=p, actor=people["co_chair"], decision="Done")

    client.force_login(people[Role.MEMBER])
    log = reverse("decision_log", args=[partnership.slug])
    make(3)
    client.get(log)
    with CaptureQueriesContext(connection) as few:
        client.get(log)
    make(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(log).status_code == 200
    assert len(many) == len(few)


def test_a_proposal_links_to_the_meeting_that_decided_it(client, partnership, group, people):
    from django.utils import timezone

    from compact.decisions.models import Meeting

    meeting = Meeting.objects.create(body=group, title="March meeting", starts_at=timezone.now() + dt.timedelta(days=3))
    client.force_login(people["co_chair"])
    url = reverse("proposal_create", args=[partnership.slug])
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    data = {"title": "Adopt the purpose", "text": "We adopt it.", "body": group.pk, "meeting": meeting.pk,
            "method": "consent", "dots_per_voter": 5, "closes_at": day, "closes_time": "17:00"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = Proposal.objects.get(title="Adopt the purpose")
    assert proposal.meeting == meeting
    page = client.get(reverse("proposal_detail", args=[partnership.slug, proposal.pk])).content.decode()
    assert "March meeting" in page
    other = Meeting.objects.create(body=BodyFactory(partnership=partnership, name="Other group"), title="Elsewhere",
                                   starts_at=timezone.now())  # fmt: skip
    refused = client.post(url, data | {"title": "Second", "meeting": other.pk})
    assert "Choose a meeting of the same group" in refused.content.decode()


def test_a_chair_is_offered_only_their_group_and_a_closed_stage_is_an_error_on_the_form(
    client, partnership, group, people, process
):
    BodyFactory(partnership=partnership, name="Another group")
    client.force_login(people["co_chair"])
    url = reverse("proposal_create", args=[partnership.slug])
    page = client.get(url).content.decode()
    assert "Leadership group" in page and "Another group" not in page
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    data = {"title": "Adopt", "text": "Adopt it", "body": group.pk, "process": process.pk, "method": "consent",
            "dots_per_voter": 5, "closes_at": day, "closes_time": "12:00"}  # fmt: skip
    response = client.post(url, data)  # the process has not reached its leadership stage
    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content.decode()
    assert field_errors(response, "process") == [
        f"{process.title} has not started yet. A convenor can open proposals for it in the process's stage "
        "settings, or leave the process blank."
    ]
    assert not Proposal.objects.exists()
    drafting = process.stages.get(kind=StageKind.DRAFTING)
    stage_start(process=process, actor=people[Role.CONVENOR], stage=drafting)
    response = client.post(url, data)
    assert field_errors(response, "process")[0].startswith(
        f"{process.title} is in its drafting stage, which does not take proposals."
    )
    stage_finish(process=process, actor=people[Role.CONVENOR], stage=drafting)
    for stage in process.stages.filter(status="planned"):
        stage_start(process=process, actor=people[Role.CONVENOR], stage=stage)
        stage_finish(process=process, actor=people[Role.CONVENOR], stage=stage)
    assert field_errors(client.post(url, data), "process")[0].startswith(f"{process.title} has finished.")
    assert not Proposal.objects.exists()
    without_group = client.post(url, data | {"body": "", "process": ""})
    assert "Choose a group you chair" in without_group.content.decode()
