"""Forms for running a consultation round: the round (version, dates, audience), a question,
invitations by email, and the response form a respondent fills in (built from the round's questions)."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from compact.core.forms import DateInput, GDSFormMixin, TimeInput
from compact.core.validators import no_control_characters, single_line
from compact.organisations.models import OrganisationKind
from compact.workshops.selectors_registration import borough_choices

from ..consultation import LONDON
from ..models import AGREE_SCALE, COMMENT_MAX, QuestionKind, Round
from .editing import TextBox
from .feedback import RequestKeyMixin

TITLE_MAX = Round._meta.get_field("title").max_length


class OrganisationChoices(forms.ModelMultipleChoiceField):
    """Ticked organisations. An id too large for the database (SQLite stops at 2**63) is refused
    like any unknown choice: Django's own check would send it to the database and fail with a 500."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_big = abs(int(str(pk))) >= 2**63
            except ValueError:
                continue  # not a number: Django's check names it
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def split_moment(when: dt.datetime) -> tuple[dt.date, dt.time]:
    local = when.astimezone(LONDON)
    return local.date(), local.time().replace(second=0, microsecond=0)


class RoundForm(GDSFormMixin, forms.Form):
    submit_label = "Save the round"

    title = forms.CharField(
        max_length=TITLE_MAX, validators=[single_line], help_text='For example, "Consultation on draft 2"'
    )
    version = forms.ModelChoiceField(
        queryset=None, label="Version people will read", empty_label="Choose a version",
        help_text="Saved versions never change, so everyone responds to the same text.",
    )  # fmt: skip
    introduction = TextBox(
        label="Introduction (optional)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters], help_text="What you are asking and why. Respondents see it first.",
    )  # fmt: skip
    opens_on = forms.DateField(label="Opens on", widget=DateInput(), help_text="For example, 2 March 2027")
    opens_time = forms.TimeField(
        label="Opens at", widget=TimeInput(), initial="09:00", help_text="UK time, for example 09:00"
    )
    closes_on = forms.DateField(label="Closes on", widget=DateInput(), help_text="For example, 30 March 2027")
    closes_time = forms.TimeField(
        label="Closes at", widget=TimeInput(), initial="17:00", help_text="UK time, for example 17:00"
    )
    for_members = forms.BooleanField(label="Members of the partnership can respond", required=False, initial=True)
    organisations = OrganisationChoices(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Named organisations (optional)",
        help_text="Their contacts in the partnership are invited and can respond on the organisation's behalf.",
    )  # fmt: skip
    for_public = forms.BooleanField(
        label="Anyone with the public link can respond", required=False,
        help_text="For community members and organisations outside the partnership.",
    )  # fmt: skip

    def __init__(self, *args, versions, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"Version {v.number}: {v.name}"
        self.fields["organisations"].queryset = organisations
        self.fields["organisations"].small_checkboxes = True
        if not organisations.exists():
            del self.fields["organisations"]
        self.helper.layout = Layout(
            *[Field.checkboxes(n, small=True) if n == "organisations" else n for n in self.fields]
        )

    def clean(self):
        data = super().clean()
        for name in ("opens", "closes"):
            day, time = data.pop(f"{name}_on", None), data.pop(f"{name}_time", None)
            data[f"{name}_at"] = dt.datetime.combine(day, time, tzinfo=LONDON) if day and time else None
        data.setdefault("organisations", [])
        return data


def round_initial(round: Round) -> dict:
    opens_on, opens_time = split_moment(round.opens_at)
    closes_on, closes_time = split_moment(round.closes_at)
    return {
        "title": round.title, "version": round.version_id, "introduction": round.introduction,
        "opens_on": opens_on, "opens_time": opens_time, "closes_on": closes_on, "closes_time": closes_time,
        "for_members": round.for_members, "for_public": round.for_public,
        "organisations": list(round.organisations.values_list("pk", flat=True)),
    }  # fmt: skip


class QuestionForm(GDSFormMixin, forms.Form):
    submit_label = "Add the question"

    block = forms.ChoiceField(label="What is the question about?")
    kind = forms.ChoiceField(label="How do people answer?", choices=QuestionKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label="The question", max_length=500, validators=[single_line])

    def __init__(self, *args, key_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_areas = {str(b.pk): b for b in key_areas}
        self.fields["block"].choices = [("", "The whole document")] + [
            (str(b.pk), f"Key area: {b.title}") for b in key_areas
        ]
        self.fields["block"].required = False

    def clean_block(self):
        value = self.cleaned_data.get("block") or ""
        return self.key_areas.get(value)


class InviteForm(GDSFormMixin, forms.Form):
    submit_label = "Add these people"

    emails = forms.CharField(
        label="Email addresses", max_length=40000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line, or separated by commas. People already invited are skipped.",
    )  # fmt: skip
    organisation = forms.ModelChoiceField(
        queryset=None, required=False, label="They are contacts for (optional)", empty_label="No organisation",
        help_text="They can then respond on the organisation's behalf.",
    )  # fmt: skip

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


# Responding ---------------------------------------------------------------------------------------

SCALE_CHOICES = [(str(value), label) for value, label in AGREE_SCALE]
AS_CHOICES = [("self", "Myself"), ("organisation", "An organisation")]


def question_field(question) -> forms.Field:
    if question.kind == QuestionKind.AGREE:
        return forms.ChoiceField(
            label=question.text, choices=SCALE_CHOICES, required=False, widget=forms.RadioSelect,
            help_text="Optional. Leave it unanswered if you have no view.",
        )  # fmt: skip
    return TextBox(
        label=question.text, required=False, max_length=COMMENT_MAX, strip=False,
        widget=forms.Textarea(attrs={"rows": 4}), help_text="Optional.",
    )  # fmt: skip


class ResponseForm(RequestKeyMixin, GDSFormMixin, forms.Form):
    """The questions (one field each, named q<question id>) and then who is responding.
    Which "about you" fields appear depends on the door: members and invitees are known already."""

    submit_label = "Send your response"

    def __init__(self, *args, round, questions, door_kind: str, organisation=None, partnership, **kwargs):
        self.base_fields = {f"q{q.pk}": question_field(q) for q in questions}
        self.questions = list(questions)
        self.base_fields["responding_as"] = forms.ChoiceField(
            label="Who are you responding for?", choices=AS_CHOICES, initial="self", widget=forms.RadioSelect
        )
        if organisation is not None:  # a member or invitee with a known organisation
            self.base_fields["responding_as"].choices = [("self", "Myself"), ("organisation", organisation.name)]
        if door_kind == "public":
            self.base_fields["name"] = forms.CharField(
                label="Your name (optional)", required=False, max_length=200, validators=[single_line]
            )
            self.base_fields["email"] = forms.EmailField(
                label="Your email address (optional)", required=False, max_length=254,
                help_text="Only if you want to hear what changed because of the consultation.",
            )  # fmt: skip
        if organisation is None:
            self.base_fields["organisation_name"] = forms.CharField(
                label="Organisation name", required=False, max_length=200, validators=[single_line],
                help_text="Only if you respond for an organisation. Its name, not yours: it is shown with your answers when the results are published.",
            )  # fmt: skip
            self.base_fields["organisation_kind"] = forms.ChoiceField(
                label="Kind of organisation", required=False,
                choices=[("", "Choose the kind")] + list(OrganisationKind.choices),
            )  # fmt: skip
        self.base_fields["borough"] = forms.ModelChoiceField(
            queryset=borough_choices(partnership), required=False, label="Borough (optional)",
            empty_label="Choose a borough", help_text="Where you live or where your organisation mostly works",
        )  # fmt: skip
        self.base_fields["request_key"] = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
        super().__init__(*args, **kwargs)
        if not self.fields["borough"].queryset.exists():
            del self.fields["borough"]
        self.helper.layout = Layout(*self.fields)

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {}
        for question in self.questions:
            value = data.get(f"q{question.pk}") or ""
            answers[question.pk] = {"scale": value} if question.kind == QuestionKind.AGREE else {"text": value}
        return answers

    def about(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""), "email": data.get("email", ""),
            "on_behalf": data.get("responding_as") == "organisation",
            "organisation_name": data.get("organisation_name", ""),
            "organisation_kind": data.get("organisation_kind", ""), "borough": data.get("borough"),
        }  # fmt: skip


def response_initial(response) -> dict:
    """A response's answers, to change it."""
    initial = {}
    for answer in response.answers.all():
        initial[f"q{answer.question_id}"] = str(answer.scale) if answer.scale else answer.text
    initial["responding_as"] = "organisation" if response.on_behalf_of_id or response.organisation_name else "self"
    initial.update(organisation_name=response.organisation_name, organisation_kind=response.organisation_kind,
                   borough=response.borough_id, name=response.name)  # fmt: skip
    return initial
