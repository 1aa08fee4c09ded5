"""Reads for the planning pages, and the workshop and its prompts for every page. (Live pages
read the rest through selectors_live.py, registration pages through selectors_registration.py.)"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404

from .models import Prompt, Registration, Workshop


def workshops_for_process(process):
    return (
        Workshop.objects.filter(process=process)
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
            ideas_count=Count("ideas", filter=Q(ideas__hidden=False, ideas__merged_into__isnull=True), distinct=True),
        )
        .order_by("starts_at")
    )


def prompts_of(workshop: Workshop) -> list[Prompt]:
    """In order, with their key areas (the planning page shows them)."""
    return list(workshop.prompts.select_related("key_area"))


def prompt_of(workshop: Workshop, raw_pk) -> Prompt:
    try:
        return workshop.prompts.select_related("key_area", "workshop").get(pk=int(raw_pk))
    except (TypeError, ValueError, Prompt.DoesNotExist):
        raise Http404("No such prompt") from None
