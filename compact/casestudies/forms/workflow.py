"""Review, consent, publication and contributor invitations."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from compact.core.forms import DateInput, GDSFormMixin

from ..consent import subjects
from ..models import NAME_MAX, SECTION_MAX, TITLE_MAX, Use, Version
from .editing import partnership_organisations


class ReviewCommentForm(GDSFormMixin, forms.Form):
    prefix = "review"
    submit_label = "Add comment"
    text = forms.CharField(
        label="Comment", max_length=SECTION_MAX, strip=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what to change and why. The author sees your comments.",
    )  # fmt: skip


class ConsentForm(GDSFormMixin, forms.Form):
    """One organisation's or person's consent, as they gave it (in writing, by email, on a form)."""

    submit_label = "Record consent"
    subject = forms.ChoiceField(label="Whose consent is this?", widget=forms.RadioSelect)
    given_by = forms.CharField(
        label="Who gave it", max_length=NAME_MAX, strip=False,
        help_text="The person's name; for an organisation, who gave it on its behalf and their role",
    )  # fmt: skip
    given_on = forms.DateField(label="When it was given", widget=DateInput())
    uses = forms.MultipleChoiceField(
        label="What it covers", choices=Use.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what the consent covers"},
    )  # fmt: skip
    expires_on = forms.DateField(
        label="Until when (optional)", required=False, widget=DateInput(),
        help_text="The last day it holds. Leave blank if it does not end.",
    )  # fmt: skip

    def __init__(self, *args, case_study, allowed_organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for subject in subjects(case_study):
            kind, pk = subject.key
            if allowed_organisations is not None and (kind != "organisation" or pk not in allowed_organisations):
                continue
            label = subject.name if kind == "organisation" else f"{subject.name} (named or pictured)"
            choices.append((f"{kind}-{pk}", label))
        self.fields["subject"].choices = choices
        self.initial.setdefault("given_on", timezone.localdate())

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError("When it was given cannot be in the future")
        return given_on

    def service_data(self, case_study) -> dict:
        data = self.cleaned_data
        kind, pk = data["subject"].split("-", 1)
        subject = (
            {"featured_organisation": case_study.featured_organisations.get(pk=pk)}
            if kind == "organisation"
            else {"person": case_study.people.get(pk=pk)}
        )
        given_at = timezone.make_aware(dt.datetime.combine(data["given_on"], dt.time(12)))
        return subject | {
            "given_by": data["given_by"], "uses": data["uses"], "given_at": min(given_at, timezone.now()),
            "expires_on": data.get("expires_on"),
        }  # fmt: skip


class PublishForm(GDSFormMixin, forms.Form):
    submit_label = "Publish"
    version = forms.ChoiceField(
        label="Which version?", widget=forms.RadioSelect, initial=Version.NAMED,
        choices=[
            (Version.NAMED, "Named: needs consent from every organisation and person featured"),
            (Version.ANONYMISED, "Anonymised: names and identifying details replaced"),
        ],
    )  # fmt: skip
    uses = forms.MultipleChoiceField(
        label="Where to publish it", widget=forms.CheckboxSelectMultiple,
        choices=[(Use.DOCUMENT, Use.DOCUMENT.label), (Use.WEB, Use.WEB.label)],
        error_messages={"required": "Choose where to publish it"},
    )  # fmt: skip


class InviteForm(GDSFormMixin, forms.Form):
    submit_label = "Send invitation"
    name = forms.CharField(label="Their name", max_length=NAME_MAX, strip=False)
    email = forms.EmailField(label="Their email address", max_length=254)
    organisation = forms.ModelChoiceField(
        label="Their organisation (optional)", required=False, queryset=None, empty_label="None",
        help_text="It will be featured in their case study.",
    )  # fmt: skip

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership_organisations(partnership)


class StartForm(GDSFormMixin, forms.Form):
    """The first step for someone invited by link: the title starts their draft."""

    submit_label = "Start writing"
    title = forms.CharField(
        label="What is your case study called?", max_length=TITLE_MAX, strip=False,
        help_text="You can change it later. For example, Befriending older people in Bromley",
    )  # fmt: skip


class PlusGroupForm(GDSFormMixin, forms.Form):
    submit_label = "Add PLUS group"
    name = forms.CharField(label="Name of the group", max_length=NAME_MAX, strip=False,
                           help_text="For example, people experiencing homelessness")  # fmt: skip
    description = forms.CharField(label="Description (optional)", max_length=2000, required=False, strip=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
