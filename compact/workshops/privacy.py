"""What workshops hold about a person, for "Your data". On erasure their registrations and the
names on their ideas are anonymised; the ideas themselves stay on the wall, as the record of
what the workshop heard, attributed to "Erased user"."""

from __future__ import annotations

from django.db.models import Q

from compact.partnerships.privacy import ERASED_NAME

from .models import DotVote, Idea, Participant, Registration


def _registrations(user):
    return Registration.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def export(user) -> dict:
    registrations = _registrations(user).select_related("workshop", "organisation", "borough")
    ideas = Idea.objects.filter(author=user).select_related("workshop", "prompt").order_by("created_at")
    dots = DotVote.objects.filter(participant__user=user).select_related("workshop", "idea", "theme")
    return {
        "registrations": [
            {"workshop": r.workshop.title, "status": r.status, "name": r.name, "email": r.email,
             "organisation": str(r.organisation or r.organisation_name), "borough": str(r.borough or ""),
             "access_needs": r.access_needs, "registered": r.created_at.isoformat()}
            for r in registrations
        ],
        "ideas": [
            {"workshop": i.workshop.title, "prompt": i.prompt.text, "text": i.text, "anonymous": i.anonymous,
             "hidden": i.hidden, "sent": i.created_at.isoformat()}
            for i in ideas
        ],
        "dots": [
            {"workshop": d.workshop.title, "on": (d.idea.text if d.idea else d.theme.name), "dots": d.dots}
            for d in dots
        ],
    }  # fmt: skip


def erase(user) -> None:
    _registrations(user).update(
        name=ERASED_NAME, email=f"erased-{user.pk}@erased.invalid", access_needs="", organisation_name=""
    )
    Idea.objects.filter(author=user).update(author_name=ERASED_NAME)
    Participant.objects.filter(user=user).update(display_name=ERASED_NAME)
