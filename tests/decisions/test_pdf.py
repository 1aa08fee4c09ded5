import io

import pytest
from django.urls import reverse

from compact.core.pdf import PDFRenderError, render_pdf
from compact.decisions.services import outcome_record, proposal_close, proposal_create
from compact.partnerships.models import Role

from .conftest import in_days


def pdf_text(data: bytes) -> str:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked  # tagged
        assert str(pdf.Root.Lang) == "en-GB"
        return str(pdf.open_metadata())


@pytest.mark.django_db
def test_decision_log_pdf_is_a_tagged_pdf_with_the_outcomes(client, partnership, group, people):
    co_chair = people["co_chair"]
    proposal = proposal_create(partnership=partnership, actor=co_chair, body=group, title="Adopt <b>the</b> purpose",
                               text="We adopt it.", closes_at=in_days(1))  # fmt: skip
    proposal_close(proposal=proposal, actor=co_chair)
    outcome_record(proposal=proposal, actor=co_chair, decision="Not adopted yet", rationale="No quorum")
    client.force_login(people[Role.OBSERVER])
    response = client.get(reverse("decision_log_pdf", args=[partnership.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="south-east-london-decisions.pdf"'
    assert response.content.startswith(b"%PDF-")
    metadata = pdf_text(response.content)
    assert "Decision log – South East London" in metadata
    client.force_login(people["outsider"])
    assert client.get(reverse("decision_log_pdf", args=[partnership.slug])).status_code == 404


def test_an_image_without_alt_text_fails_the_export_instead_of_making_an_inaccessible_pdf():
    html = '<html lang="en"><body><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="></body></html>'
    with pytest.raises(PDFRenderError):
        render_pdf(html, title="Test")
