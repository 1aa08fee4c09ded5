"""The email editors get when a consent is withdrawn. It names the case study and the
organisation or person (names already on the record), never the consent's wording."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from compact.activity.notifications import notify, register_kind
from compact.partnerships.models import Role

CONSENT_WITHDRAWN = "casestudies.consent_withdrawn"
CONSENT_EXPIRED = "casestudies.consent_expired"


def register():
    register_kind(CONSENT_WITHDRAWN, "Consent withdrawn", "when consent for a case study you edit is withdrawn")
    register_kind(CONSENT_EXPIRED, "Consent expired", "when consent for a published case study runs out")


def editors_of(partnership_id: int):
    return get_user_model().objects.filter(
        memberships__partnership_id=partnership_id, memberships__role__in=[Role.CONVENOR, Role.FACILITATOR]
    )


def consent_ended(case_study, *, subject: str, kind: str, unpublished: bool) -> None:
    notify(
        kind,
        editors_of(case_study.partnership_id),
        subject=f"Consent {'withdrawn' if kind == CONSENT_WITHDRAWN else 'expired'}: {case_study.title}",
        template="casestudies/email/consent_ended.txt",
        context={
            "case_study": case_study,
            "subject_name": subject,
            "withdrawn": kind == CONSENT_WITHDRAWN,
            "unpublished": unpublished,
            "site_url": settings.SITE_URL,
        },
    )
