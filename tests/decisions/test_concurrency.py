"""Two submissions by the same person at the same moment must count once. This needs real
concurrent transactions, so it runs on PostgreSQL (CI's second run); SQLite serialises writers."""

import threading

import pytest
from django.db import connection

from compact.decisions.models import Vote
from compact.decisions.services import proposal_create, vote_cast

from .conftest import in_days

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_votes_by_one_person_count_once(partnership, group, people):
    proposal = proposal_create(partnership=partnership, actor=people["co_chair"], body=group,
                               title="Adopt", text="Adopt it", closes_at=in_days(1))  # fmt: skip
    voter = people["voter1"]
    start = threading.Barrier(2)
    errors = []

    def submit(position):
        try:
            start.wait(timeout=10)
            vote_cast(proposal=proposal, voter=voter, ballot={"position": position, "reason": "Because"})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in ("agree", "object")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    votes = list(Vote.objects.filter(proposal=proposal, voter=voter))
    assert len(votes) == 1
    assert votes[0].ballot["position"] in {"agree", "object"}
