"""One idea on the wall, as HTML. A template tag, not an include: a wall can hold thousands of
ideas, and an include per idea was most of the page's time (bench/scenarios/workshops.py).
Every piece of user text goes through format_html, so it is escaped."""

from django import template
from django.template.defaultfilters import pluralize, truncatechars
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def wall_idea(idea, facilitator=False, moderate_base=""):
    notes = [format_html("{}", idea.by)]
    if idea.after_workshop:
        notes.append(mark_safe(" · after the workshop"))  # noqa: S308 (fixed text)
    if idea.edited_at:
        notes.append(mark_safe(" · edited"))  # noqa: S308 (fixed text)
    merged = getattr(idea, "merged_count", 0)
    if merged:
        notes.append(format_html(" · {} similar idea{} merged in", merged, pluralize(merged)))
    moderate = ""
    if facilitator:
        moderate = format_html(
            '<p class="compact-idea__by"><a class="govuk-link" href="{}{}/">Moderate<span class="govuk-visually-hidden">'
            " the idea: {}</span></a></p>",
            moderate_base, idea.pk, truncatechars(idea.text, 60),
        )  # fmt: skip
    return format_html(
        '<li class="compact-idea" id="idea-{}">\n  <p class="compact-idea__text">{}</p>\n'
        '  <p class="compact-idea__by">{}</p>{}\n</li>',
        idea.pk, idea.text, format_html_join("", "{}", ((n,) for n in notes)), moderate,
    )  # fmt: skip
