"""Sections that apps above this one add to the process page, so this app never imports them.

An app registers a callable `(request, process) -> (template_name, context) | None` from its
AppConfig.ready(); the process page renders each section it returns, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Section:
    key: str
    build: Callable
    order: int


_SECTIONS: list[Section] = []


def register_section(key: str, build: Callable, *, order: int = 50) -> None:
    if any(section.key == key for section in _SECTIONS):
        raise ValueError(f"Process page section {key!r} is registered twice")
    _SECTIONS.append(Section(key, build, order))
    _SECTIONS.sort(key=lambda section: section.order)


def render_sections(request, process) -> list[str]:
    """Each registered section's HTML (already safe: rendered by the template engine)."""
    rendered = []
    for section in _SECTIONS:
        built = section.build(request, process)
        if built is not None:
            template, context = built
            rendered.append(render_to_string(template, {"process": process, **context}, request=request))
    return rendered
