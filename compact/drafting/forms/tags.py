"""Forms for the partnership's framework tags: a new tag (its framework and name) and a new
name for one. Too long a name is refused with the limit and the length typed, and the form
keeps what was typed."""

from __future__ import annotations

from django import forms

from compact.core.forms import GDSFormMixin

from ..models import Framework
from ..services.tags import NAME_MAX, TOO_LONG


def name_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=NAME_MAX, strip=False,
        help_text=f"Up to {NAME_MAX} characters. Everyone in the partnership sees it on the commitments.",
        error_messages={
            "required": "Enter the name of the tag",
            "max_length": TOO_LONG,
        },
    )  # fmt: skip


class TagForm(GDSFormMixin, forms.Form):
    submit_label = "Add the tag"

    framework = forms.ChoiceField(
        label="Which framework is it from?", choices=Framework.choices, widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the framework the tag belongs to",
            "invalid_choice": "Choose the framework the tag belongs to",
        },
    )  # fmt: skip
    name = name_field("Name of the tag")


class RenameTagForm(GDSFormMixin, forms.Form):
    submit_label = "Save the new name"

    name = name_field("New name")
