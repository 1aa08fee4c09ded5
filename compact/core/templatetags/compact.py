from django import template
from django.utils.safestring import mark_safe

from compact.core.richtext import markdown_to_html

register = template.Library()


@register.filter
def markdown(text):
    # Safe: markdown_to_html sanitises with nh3 before anything is marked safe.
    return mark_safe(markdown_to_html(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_title(context, *parts):
    """'Page – Process – Compact', skipping empty parts."""
    return " – ".join([str(p) for p in parts if p] + ["Compact"])
