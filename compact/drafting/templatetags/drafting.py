"""Template filters for drafting pages."""

from django import template

from ..rendering import text_html
from ..versioning import committers as committer_names

register = template.Library()

KIND_LABELS = {
    "introduction": "the introduction",
    "section": "section",
    "key_area": "key area",
    "commitment": "commitment",
}


@register.filter
def committers(values) -> str:
    return ", ".join(committer_names(values))


@register.filter
def block_html(block) -> str:
    """The block's Markdown text as sanitised HTML."""
    return text_html(block.body)


@register.filter
def block_label(block) -> str:
    """Words for screen readers after "Edit", so each of many Edit links says what it edits."""
    return block.title or (block.statement[:60] if block.statement else KIND_LABELS.get(block.kind, ""))
