"""The dashboard's "Your vote": an open vote the person may cast and has not."""

import pytest
from django.urls import reverse

from compact.decisions.models import Proposal
from compact.decisions.services import proposal_create, vote_cast
from compact.partnerships.models import Role

from .conftest import in_days

pytestmark = pytest.mark.django_db


def waiting(client, user) -> bool:
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    return "Your vote" in page and "Meet monthly" in page


def test_your_vote_shows_until_you_vote(client, partnership, group, people):
    proposal = proposal_create(partnership=partnership, actor=people["co_chair"], body=group, title="Meet monthly",
                               text="We meet monthly.", closes_at=in_days(3))  # fmt: skip
    assert waiting(client, people["voter1"])
    vote_cast(proposal=proposal, voter=people["voter1"], ballot={"position": "agree"})
    assert not waiting(client, people["voter1"])
    assert waiting(client, people["voter2"])
    for who in ["body_observer", Role.OBSERVER, Role.MEMBER, "outsider"]:  # not voters in this group
        assert not waiting(client, people[who]), who
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.CLOSED)
    assert not waiting(client, people["voter2"])
