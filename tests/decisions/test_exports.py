import csv
import io

import pytest
from django.urls import reverse

from compact.decisions.exports import HEADER
from compact.decisions.models import Proposal
from compact.decisions.services import outcome_record, proposal_create
from compact.partnerships.models import Role

from .conftest import in_days

pytestmark = pytest.mark.django_db


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_has_the_columns_and_neutralises_formulas(client, partnership, group, people):
    proposal = proposal_create(partnership=partnership, actor=people["co_chair"], body=group,
                               title='=HYPERLINK("http://evil.example","x")', text="Text", closes_at=in_days(1))  # fmt: skip
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=in_days(-0.01))
    outcome_record(proposal=proposal, actor=people["co_chair"], decision="@SUM(A1:A9)", rationale="+1 because",
                   review_on=None)  # fmt: skip
    client.force_login(people[Role.MEMBER])
    response = client.get(reverse("decision_log_csv", args=[partnership.slug]))
    assert response["Content-Type"].startswith("text/csv")
    header, row = rows(response)
    assert header == HEADER
    record = dict(zip(header, row, strict=True))
    assert record["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert record["decision"] == "'@SUM(A1:A9)" and record["rationale"] == "'+1 because"
    assert record["group"] == "Leadership group" and record["method"] == "Consent" and record["passed"] == "no"
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_csv_follows_the_filters(client, partnership, group, people):
    for title in ("Fund the food bank", "Hire a coordinator"):
        proposal_create(partnership=partnership, actor=people["co_chair"], body=group, title=title, text="t",
                        closes_at=in_days(1))  # fmt: skip
    client.force_login(people[Role.OBSERVER])
    response = client.get(reverse("decision_log_csv", args=[partnership.slug]), {"q": "food"})
    assert [r[0] for r in rows(response)[1:]] == ["Fund the food bank"]
