"""Block text as sanitised HTML, remembered per text. A long document's page renders hundreds of
blocks whose text rarely changes; Markdown parsing and sanitising them was most of its time. The
cache is keyed by the text itself, so an edited block can never show its old HTML."""

from __future__ import annotations

from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from compact.core.richtext import markdown_to_html

CACHED_TEXTS = 8192  # about 12 MB per worker at 1,500 characters of HTML each


@lru_cache(maxsize=CACHED_TEXTS)
def _render(text: str) -> str:
    return markdown_to_html(text)


def text_html(text: str) -> SafeString:
    """The Markdown `text` as HTML that is safe to show (sanitised by core.richtext)."""
    return mark_safe(_render(text or ""))  # noqa: S308  (nh3 has sanitised it)
