"""Forms say what is missing in GOV.UK's words, never Django's "This field is required."."""

import pytest
from django import forms

from compact.core.forms import GDSFormMixin


class Example(GDSFormMixin, forms.Form):
    title = forms.CharField(label="Title")
    icb = forms.CharField(label="ICB name")
    yours = forms.CharField(label="Your full name")
    password = forms.CharField(label="Create a password")
    question = forms.CharField(label="What should the ICB commit to?")
    kind = forms.ChoiceField(label="Type of organisation", choices=[("a", "A")])
    agree = forms.BooleanField(label="I agree to the terms")
    upload = forms.FileField(label="Paper")
    own = forms.CharField(label="Email", error_messages={"required": "Enter your email address"})


@pytest.mark.parametrize(
    "field, message",
    [
        ("title", "Enter the title"),
        ("icb", "Enter the ICB name"),
        ("yours", "Enter your full name"),
        ("password", "Create a password"),
        ("question", "Enter an answer"),
        ("kind", "Choose the type of organisation"),
        ("agree", "Tick the box to confirm"),
        ("upload", "Choose a file to upload"),
        ("own", "Enter your email address"),  # a form's own message stays
    ],
)
def test_an_empty_required_field_says_what_is_missing(field, message):
    form = Example(data={})
    assert not form.is_valid()
    assert form.errors[field] == [message]
