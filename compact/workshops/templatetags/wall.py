"""Ideas on the wall, as HTML. One tag renders a whole list with plain string building: a wall
holds hundreds of ideas, and an include (or a format_html call) per idea was most of the page's
time (bench/scenarios/workshops.py). Every piece of user text goes through escape(): the
standard library's, which Django's own escape() wraps (the wrapper alone cost a tenth of the
page), so the output is the same."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()
SHORT = 60  # characters of an idea named in its Moderate link (for screen readers)


@register.simple_tag
def wall_ideas(ideas, moderate_base="", moderate_query=""):
    """The ideas' cards; with `moderate_base` (facilitators only), each has a Moderate link."""
    return mark_safe("".join(_card(idea, moderate_base, moderate_query) for idea in ideas))  # noqa: S308


@register.simple_tag
def hidden_ideas(ideas, moderate_base, moderate_query=""):
    """Facilitators' list of hidden ideas, each with why and a Moderate link."""
    return mark_safe(  # noqa: S308
        "".join(
            f'<li class="compact-break">{escape(idea.text)} <span class="govuk-body-s">({escape(idea.by)}; hidden '
            f"because: {escape(idea.hidden_reason)})</span> "
            f"{_moderate(idea, moderate_base, moderate_query, 'the hidden idea')}</li>"
            for idea in ideas
        )
    )


@register.filter
def ids(values) -> str:
    """Idea ids for a data attribute, space-separated (numbers: nothing to escape)."""
    return " ".join(str(int(pk)) for pk in values)


def _moderate(idea, moderate_base: str, moderate_query: str, what: str) -> str:
    short = idea.text if len(idea.text) <= SHORT else idea.text[: SHORT - 1] + "…"
    return (
        f'<a class="govuk-link" href="{escape(moderate_base)}{idea.pk}/{escape(moderate_query)}">Moderate'
        f'<span class="govuk-visually-hidden"> {what}: {escape(short)}</span></a>'
    )


def _card(idea, moderate_base: str, moderate_query: str) -> str:
    by = escape(idea.by)
    if idea.after_workshop:
        by += " · after the workshop"
    if idea.edited_at:
        by += " · edited"
    merged = getattr(idea, "merged_count", 0)
    if merged:
        by += f" · {merged} similar idea{'s' if merged != 1 else ''} merged in"
    moderate = ""
    if moderate_base:
        moderate = f'<p class="compact-idea__by">{_moderate(idea, moderate_base, moderate_query, "the idea")}</p>'
    return (
        f'<li class="compact-idea" id="idea-{idea.pk}"><p class="compact-idea__text">{escape(idea.text)}</p>'
        f'<p class="compact-idea__by">{by}</p>{moderate}</li>'
    )
