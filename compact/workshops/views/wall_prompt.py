"""A prompt's own page of ideas (?prompt=<id> on the wall and on /join/<code>/): all its ideas,
oldest first, a page at a time, for when the wall shows only the newest. Works without
JavaScript; facilitators moderate from it and come back to the same page."""

from __future__ import annotations

from django.core.paginator import Paginator

from .. import selectors, selectors_live

PROMPT_PAGE = 100  # ideas per page
MAX_HIDDEN = 500  # hidden ideas listed for facilitators


def prompt_page_context(request, workshop, *, back_url: str, moderate_base: str = "") -> dict:
    """The page's context; `moderate_base` (facilitators only) adds Moderate links and the
    prompt's hidden ideas. 404 for a prompt that is not this workshop's."""
    prompt = selectors.prompt_of(workshop, request.GET.get("prompt"))
    page = Paginator(selectors_live.prompt_ideas(workshop, prompt), PROMPT_PAGE).get_page(request.GET.get("page"))
    hidden = selectors_live.prompt_ideas(workshop, prompt, hidden=True)[:MAX_HIDDEN] if moderate_base else []
    return {
        "workshop": workshop, "prompt": prompt, "page": page, "ideas": selectors_live.as_cards(page),
        "hidden": selectors_live.as_cards(hidden), "back_url": back_url, "query": f"prompt={prompt.pk}",
        "moderate_base": moderate_base, "moderate_query": f"?page={page.number}",
        "page_title_text": f"Ideas for “{prompt.text}”: {workshop.title}",
    }  # fmt: skip
