"""Forms of the theming pages. The services check names (empty, too long, used twice); these
forms only turn the POST into the service's arguments."""

from __future__ import annotations

from django import forms

from compact.core.forms import GDSFormMixin

from ..models import Theme

MAX_NAME = Theme._meta.get_field("name").max_length
TOO_LONG = {"max_length": f"The name must be {MAX_NAME} characters or fewer"}  # the service's words


class ThemeForm(GDSFormMixin, forms.Form):
    submit_label = "Add the theme"
    name = forms.CharField(label="Theme name", max_length=MAX_NAME, required=False, error_messages=TOO_LONG,
                           help_text="A few words, for example Paying small charities on time")  # fmt: skip
    prompt = forms.TypedChoiceField(label="Which ideas can go in it", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, prompts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prompts = {p.pk: p for p in prompts}
        self.fields["prompt"].choices = [("", "Ideas for any question")] + [
            (p.pk, f"Ideas for “{str(p.text)[:100]}”") for p in prompts
        ]

    def clean_prompt(self):
        pk = self.cleaned_data.get("prompt")
        if pk is None:
            return None
        prompt = self.prompts.get(pk)
        if prompt is None:
            raise forms.ValidationError("Choose a question from this workshop")
        return prompt


class RenameForm(GDSFormMixin, forms.Form):
    submit_label = "Save the name"
    name = forms.CharField(label="Theme name", max_length=MAX_NAME, required=False, error_messages=TOO_LONG)
