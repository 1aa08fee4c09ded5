"""The whole life of a case study through its pages, as a contributor without an account and
the partnership's editors see it: invited by email, written with a photo, changes requested,
resubmitted, accepted, consented, approved, published on the public library, then taken down
when consent is withdrawn."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from compact.casestudies.models import CaseStudy, MediaFile, Status

from ..factories import PartnershipOrganisationFactory, messages_shown, png_upload

pytestmark = pytest.mark.django_db


def _link(message, name):
    return re.search(rf"https?://[^/\s]+(/{name}/\S+)", message.body).group(1)


@pytest.fixture
def linked_charity(partnership, charity):
    PartnershipOrganisationFactory(partnership=partnership, organisation=charity)
    return charity


SECTIONS = {
    "title": "Befriending in Bromley",
    "summary": "Volunteers visit older people who live alone.",
    "challenge": "Many older people in Bromley see nobody for days.",
    "solution": "Weekly visits from a trained volunteer.",
    "what_we_did": "We trained 40 volunteers with the PCN social prescribers.",
    "impact": "Nine in ten people said they felt less lonely.",
}


def test_contributor_to_public_library_and_back(
    client, partnership, cast, linked_charity, django_capture_on_commit_callbacks
):
    editor = cast["convenor"]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("casestudy_invite", args=[partnership.slug]),
            {"name": "Sam Small", "email": "sam@bromley-befriend.example", "organisation": linked_charity.pk},
        )
    assert response.status_code == 302
    start = _link(mail.outbox[-1], "contribute/start")
    client.logout()

    # The contributor starts from the emailed link: no account.
    assert "Share your story" in client.get(start).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start, {"title": "Befriending in Bromley"})
    case_study = CaseStudy.objects.get(title="Befriending in Bromley")
    assert response.url == reverse("contribute_edit", args=[case_study.pk])
    assert client.get(start).status_code == 410  # single use

    # The draft-started email reaches the draft from another device, and no other draft.
    other_device = Client()
    assert other_device.get(reverse("contribute_edit", args=[case_study.pk])).status_code == 404
    other_device.get(_link(mail.outbox[-1], "contribute/return"))
    assert other_device.get(reverse("contribute_edit", args=[case_study.pk])).status_code == 200
    assert other_device.get("/contribute/return/forged-link/").status_code == 410

    # A form that fails keeps every word typed.
    long_impact = "x" * 6001
    response = client.post(reverse("contribute_edit", args=[case_study.pk]), SECTIONS | {"impact": long_impact})
    page = response.content.decode()
    assert response.status_code == 200 and "Nine in ten" not in page and "Many older people in Bromley" in page
    assert "6000" in page or "6,000" in page
    client.post(reverse("contribute_edit", args=[case_study.pk]), SECTIONS)

    media_url = reverse("contribute_media", args=[case_study.pk])
    response = client.post(media_url, {"media-kind": "image", "media-file": png_upload("visit.png"),
                                       "media-alt_text": "A volunteer and a resident share tea",
                                       "media-credit": "Photo: Bromley Befriending"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    image = MediaFile.objects.get(case_study=case_study)
    assert client.get(reverse("casestudy_file", args=[image.pk])).status_code == 200

    response = client.post(reverse("contribute_submit", args=[case_study.pk]), follow=True)
    assert "it is submitted" in " ".join(messages_shown(response))
    case_study.refresh_from_db()
    assert case_study.status == Status.SUBMITTED
    assert client.get(reverse("contribute_edit", args=[case_study.pk])).status_code == 403

    # The editor reviews and asks for a change; the contributor is emailed a way back.
    client.force_login(editor)
    detail = reverse("casestudy_detail", args=[partnership.slug, case_study.pk])
    page = client.get(detail).content.decode()
    assert "How easy it is to read" in page and "Primary Care Network (PCN)" in page
    client.post(reverse("casestudy_action", args=[partnership.slug, case_study.pk, "start-review"]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("casestudy_review", args=[partnership.slug, case_study.pk]),
            {"decision": "changes", "review-text": "Say how many people you visited."},
        )
    back = _link(mail.outbox[-1], "contribute/return")
    client.logout()
    client.get(back)
    assert (
        "Say how many people you visited."
        in client.get(reverse("contribute_detail", args=[case_study.pk])).content.decode()
    )
    client.post(reverse("contribute_edit", args=[case_study.pk]), SECTIONS | {"impact": "We visited 120 people."})
    client.post(reverse("contribute_submit", args=[case_study.pk]))

    client.force_login(editor)
    client.post(reverse("casestudy_action", args=[partnership.slug, case_study.pk, "start-review"]))
    client.post(reverse("casestudy_review", args=[partnership.slug, case_study.pk]), {"decision": "accept"})
    case_study.refresh_from_db()
    assert case_study.status == Status.CONSENT_PENDING
    featured = case_study.featured_organisations.get()
    response = client.post(
        reverse("casestudy_consent", args=[partnership.slug, case_study.pk]),
        {"subject": f"organisation-{featured.pk}", "given_by": "Sam Small, coordinator",
         "given_on": "2026-11-01", "uses": ["internal", "document", "web"]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("casestudy_action", args=[partnership.slug, case_study.pk, "approve"]))
    client.post(reverse("casestudy_publish", args=[partnership.slug, case_study.pk]),
                {"version": "named", "uses": ["document", "web"]})  # fmt: skip
    case_study.refresh_from_db()
    assert case_study.status == Status.PUBLISHED

    client.logout()
    public = client.get(reverse("public_case_studies", args=[partnership.slug])).content.decode()
    assert "Befriending in Bromley" in public
    public_page = reverse("public_case_study", args=[partnership.slug, case_study.pk])
    assert "We visited 120 people." in client.get(public_page).content.decode()
    assert client.get(reverse("casestudy_file", args=[image.pk])).status_code == 200

    client.force_login(editor)
    consent = case_study.consents.get(withdrawn_at__isnull=True)
    client.post(reverse("casestudy_consent_withdraw", args=[partnership.slug, case_study.pk, consent.pk]))
    client.logout()
    assert client.get(public_page).status_code == 404
    assert (
        "Befriending in Bromley"
        not in client.get(reverse("public_case_studies", args=[partnership.slug])).content.decode()
    )
    assert client.get(reverse("casestudy_file", args=[image.pk])).status_code == 404
