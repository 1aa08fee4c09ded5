"""A person's votes, proposals and attendance are in "Your data"; after erasure they stay on the
record under the anonymised account."""

import pytest

from compact.decisions.models import Vote
from compact.decisions.services import attendance_record, proposal_create, vote_cast
from compact.partnerships.privacy import ERASED_NAME, personal_data_export, user_erase

from .conftest import in_days

pytestmark = pytest.mark.django_db


def test_votes_and_attendance_are_exported_and_kept_after_erasure(partnership, group, people, meeting):
    proposal = proposal_create(partnership=partnership, actor=people["co_chair"], body=group, title="Meet monthly",
                               text="We meet monthly.", closes_at=in_days(2), hide_results=True)  # fmt: skip
    voter = people["voter1"]
    vote_cast(proposal=proposal, voter=voter, ballot={"position": "object", "reason": "Too often"})
    attendance_record(meeting=meeting, actor=people["co_chair"], records=[{"user": voter, "status": "apologies"}])

    data = personal_data_export(user=voter)["decisions"]
    assert data["votes"][0]["ballot"] == {"position": "object"} and data["votes"][0]["reason"] == "Too often"
    assert data["meetings_attended"][0]["attendance"] == "apologies"
    assert personal_data_export(user=people["co_chair"])["decisions"]["proposals_opened"][0]["title"] == "Meet monthly"

    user_erase(user=voter)
    vote = Vote.objects.get(proposal=proposal)
    assert vote.voter.full_name == ERASED_NAME and vote.reason == "Too often"
