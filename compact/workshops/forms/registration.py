"""Registering (members and guests) and inviting guests. The service does the real checks; these
forms keep the input to the right shape and length."""

from __future__ import annotations

from crispy_forms_gds.layout import Layout
from django import forms

from compact.core.forms import GDSFormMixin
from compact.core.validators import no_control_characters, single_line

from ..selectors_registration import borough_choices, organisation_choices

ACCESS_NEEDS_HELP = (
    "For example, step-free access, a British Sign Language interpreter, large print or a quiet space. "
    "Only the organisers see this, and it is deleted after the workshop."
)


def _access_needs_field():
    return forms.CharField(
        label="Access needs (optional)", required=False, max_length=2000, help_text=ACCESS_NEEDS_HELP,
        widget=forms.Textarea(attrs={"rows": 3}), validators=[no_control_characters],
    )  # fmt: skip


def _borough_field(partnership):
    return forms.ModelChoiceField(
        queryset=borough_choices(partnership), required=False, label="Borough (optional)",
        empty_label="Choose a borough", help_text="The borough you live or work in",
    )  # fmt: skip


def _drop_empty_borough(form):
    if not form.fields["borough"].queryset.exists():
        del form.fields["borough"]


class MemberRegistrationForm(GDSFormMixin, forms.Form):
    """One click: every field is optional."""

    submit_label = "Register"

    def __init__(self, *args, partnership, **kwargs):
        self.base_fields = {
            "organisation": forms.ModelChoiceField(
                queryset=organisation_choices(partnership), required=False, label="Organisation (optional)",
                empty_label="Choose an organisation", help_text="The organisation you come from",
            ),
            "borough": _borough_field(partnership),
            "access_needs": _access_needs_field(),
        }  # fmt: skip
        super().__init__(*args, **kwargs)
        _drop_empty_borough(self)
        if not self.fields["organisation"].queryset.exists():
            del self.fields["organisation"]
        self.helper.layout = Layout(*self.fields)

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "organisation": data.get("organisation"),
            "borough": data.get("borough"),
            "access_needs": data.get("access_needs", ""),
        }


class GuestRegistrationForm(GDSFormMixin, forms.Form):
    submit_label = "Register"

    def __init__(self, *args, partnership, **kwargs):
        self.base_fields = {
            "name": forms.CharField(
                label="Your name", max_length=200, validators=[single_line],
                widget=forms.TextInput(attrs={"autocomplete": "name"}),
            ),
            "organisation_name": forms.CharField(
                label="Organisation (optional)", required=False, max_length=200, validators=[single_line],
                help_text="The organisation you come from, if any",
                widget=forms.TextInput(attrs={"autocomplete": "organization"}),
            ),
            "borough": _borough_field(partnership),
            "access_needs": _access_needs_field(),
        }  # fmt: skip
        super().__init__(*args, **kwargs)
        _drop_empty_borough(self)
        self.helper.layout = Layout(*self.fields)

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "organisation_name": data.get("organisation_name", ""),
            "borough": data.get("borough"),
            "access_needs": data.get("access_needs", ""),
        }


class GuestInviteForm(GDSFormMixin, forms.Form):
    submit_label = "Send invitation"

    email = forms.EmailField(
        label="Email address", max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip
    name = forms.CharField(
        label="Their name (optional)", required=False, max_length=200, validators=[single_line],
        help_text="Used to greet them in the email",
    )  # fmt: skip
