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
    now = timezone.now()
    rounds = list(Round.objects.filter(document=document, for_members=True, opens_at__lte=now, closes_at__gt=now))
    answerable = consultation.answerable_now(document, rounds, context["request"].user, now) if rounds else set()
    return [{"round": r, "closes": consultation.when(r.closes_at)} for r in rounds if r.pk in answerable]
