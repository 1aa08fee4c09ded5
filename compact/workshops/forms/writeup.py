"""The write-up's forms: the facilitator's words, and publishing."""

from __future__ import annotations

from crispy_forms_gds.layout import Layout
from django import forms

from compact.core.forms import GDSFormMixin

from ..services import writeup as services


class WriteUpForm(GDSFormMixin, forms.Form):
    submit_label = "Save the write-up"
    summary = forms.CharField(
        label="Summary", required=False, max_length=services.LIMITS["summary"], widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened and what comes next. You can use Markdown: *emphasis*, lists with -, links.",
    )  # fmt: skip
    facilitator_notes = forms.CharField(
        label="Facilitator's notes", required=False, max_length=services.LIMITS["facilitator_notes"],
        widget=forms.Textarea(attrs={"rows": 8}),
    )  # fmt: skip

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_fields = []
        for theme in themes:
            name = f"theme_{theme.pk}"
            self.fields[name] = forms.CharField(
                label=f"Note on the theme “{theme.name}”", required=False, max_length=services.MAX_THEME_NOTE,
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": services.MAX_THEME_NOTE}),
            )  # fmt: skip
            self.theme_fields.append(name)
        self.helper.layout = Layout(*self.fields.keys())  # the mixin laid out the fields before these


class PublishForm(GDSFormMixin, forms.Form):
    submit_label = "Publish and email people"
