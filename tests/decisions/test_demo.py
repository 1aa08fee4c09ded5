"""The demo's decisions: South East London's June record and Kensington & Chelsea and
Westminster's open vote, loaded without emailing anyone or queueing any task."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from compact.decisions.demo import SEL_AREAS
from compact.decisions.models import Meeting, Proposal, Statement
from compact.decisions.results import proposal_result
from compact.processes.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert load_demo() is True
    return callbacks


def test_south_east_london_has_its_june_record(demo):
    proposals = Proposal.objects.filter(partnership__slug="south-east-london").order_by("pk")
    assert [p.title for p in proposals] == [
        "Adopt the charter's purpose", "Adopt the charter's vision",
        "Which areas should the charter's priorities cover?", "Adopt the charter's priorities",
    ]  # fmt: skip
    for proposal in proposals:
        assert proposal.status == Proposal.Status.CLOSED and proposal.outcome.review_on.year == 2027
        assert proposal.closes_at.date().isoformat() == "2026-06-10"
        assert proposal_result(proposal).passed, proposal.title
    dots = proposal_result(proposals[2])
    assert dots.summary == "Chosen: Sustainability, capacity and diversity of the sector, including funding."
    labels = {str(o.pk): o.label for o in proposals[2].options.all()}
    top_four = {labels[pk] for pk in dots.tally.ranking[:4]}
    assert top_four == set(SEL_AREAS)  # the dot vote chose the four key areas adopted next
    assert all(area in Statement.objects.get(kind="priorities").text for area in SEL_AREAS)
    kinds = dict(
        Statement.objects.filter(process__partnership__slug="south-east-london").values_list("kind", "version")
    )
    assert kinds == {"purpose": 1, "vision": 1, "priorities": 1}
    meeting = Meeting.objects.get(body__partnership__slug="south-east-london")
    assert meeting.agenda.exclude(minutes="").count() == 5
    assert dict(meeting.attendance.values_list("user__email", "status"))["member@example.org"] == "apologies"


def test_nobody_is_emailed_and_nothing_is_queued(demo):
    assert mail.outbox == []
    assert load_demo() is False  # once only


def test_amaras_dashboard_asks_for_her_vote_in_kcw(demo, client):
    amara = get_user_model().objects.get(email="convenor@example.org")
    open_vote = Proposal.objects.get(partnership__slug="kensington-chelsea-and-westminster", status="open")
    assert open_vote.hide_results and open_vote.votes.count() == 1
    client.force_login(amara)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your vote" in page and "Which priority should the strategy start with?" in page
    assert reverse("proposal_detail", args=[open_vote.partnership.slug, open_vote.pk]) in page
