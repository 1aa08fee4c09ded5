"""Forms of the live wall. The services validate the idea itself (empty, too long, closed
prompt, flooding); these forms only turn the POST into the service's arguments."""

from __future__ import annotations

import uuid

from django import forms

from compact.core.forms import GDSFormMixin

from ..models import MAX_IDEA_CHARS, Idea
from ..services.planning import normalise_code


class IdeaForm(forms.Form):
    """One idea for one prompt. Rendered by hand in live_idea_form.html (a form per open prompt,
    with the GOV.UK character count); the key makes a resent form return the same idea."""

    prompt = forms.IntegerField(widget=forms.HiddenInput)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    text = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    table_label = forms.CharField(required=False, max_length=Idea._meta.get_field("table_label").max_length)
    anonymous = forms.BooleanField(required=False)

    def __init__(self, *args, prompts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.prompts = {p.pk: p for p in prompts}
        self.max_chars = MAX_IDEA_CHARS

    def clean_prompt(self):
        prompt = self.prompts.get(self.cleaned_data["prompt"])
        if prompt is None:
            raise forms.ValidationError("Choose a question from this workshop")
        return prompt

    def clean_text(self):
        # Let the service decide (and say "Enter your idea"); only stop absurd posts here.
        return (self.cleaned_data.get("text") or "")[: MAX_IDEA_CHARS * 20]

    @staticmethod
    def new_key() -> str:
        return str(uuid.uuid4())


class JoinCodeForm(GDSFormMixin, forms.Form):
    submit_label = "Continue"
    code = forms.CharField(
        label="Workshop code", max_length=20, help_text="The 6 letters and numbers on the screen, for example K7Q2MX"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10 govuk-input--extra-letter-spacing", "autocapitalize": "characters",
             "autocomplete": "off", "spellcheck": "false"}
        )  # fmt: skip

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Enter the workshop code")
        return code


class GuestForm(GDSFormMixin, forms.Form):
    submit_label = "Join the workshop"
    display_name = forms.CharField(label="Your name", max_length=200, required=False)
    organisation_name = forms.CharField(
        label="Your organisation (optional)", max_length=200, required=False,
        help_text="Shown beside your ideas, for example Age UK Lewisham",
    )  # fmt: skip

    def __init__(self, *args, anonymous_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        if anonymous_allowed:
            self.fields["display_name"].label = "Your name (optional)"
            self.fields["display_name"].help_text = "Leave it blank to add ideas without your name"


class HideForm(GDSFormMixin, forms.Form):
    submit_label = "Hide this idea"
    reason = forms.CharField(
        label="Why are you hiding it?", max_length=300, required=False,
        help_text="Kept in the audit log, not shown on the wall",
    )  # fmt: skip


class EditForm(GDSFormMixin, forms.Form):
    submit_label = "Save the correction"
    text = forms.CharField(label="Corrected wording", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MergeForm(GDSFormMixin, forms.Form):
    submit_label = "Merge"
    into = forms.TypedChoiceField(label="Merge it into", coerce=int, empty_value=None)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {i.pk: i for i in targets}
        self.fields["into"].choices = [("", "Choose an idea")] + [(i.pk, str(i.text)[:120]) for i in targets]

    def clean_into(self):
        target = self.targets.get(self.cleaned_data["into"])
        if target is None:
            raise forms.ValidationError("Choose the idea to merge this one into")
        return target
