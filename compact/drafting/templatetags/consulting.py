"""Template tags for consultation: the rounds a person can answer now, for the notice on the
document page."""

from django import template
from django.utils import timezone

from .. import consultation
from ..models import Round

register = template.Library()


@register.simple_tag(takes_context=True)
def rounds_to_answer(context, document) -> list[dict]:
    """Open rounds on `document` that the person viewing it may answer as a member."""
    user = context["request"].user
    now = timezone.now()
    rounds = Round.objects.filter(document=document, for_members=True, opens_at__lte=now, closes_at__gt=now)
    found = []
    for round in rounds.select_related("document__process"):
        if consultation.refusal(round, now) is None and consultation.is_member(user, round):
            found.append({"round": round, "closes": consultation.when(round.closes_at)})
    return found
