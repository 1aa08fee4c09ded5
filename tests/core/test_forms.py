"""The GOV.UK form helper: the submit button says what the page set, even when the view sets
it after making the form, and two forms on one page never share a button id."""

from crispy_forms.utils import render_crispy_form
from django import forms

from compact.core.forms import GDSFormMixin


class NameForm(GDSFormMixin, forms.Form):
    submit_label = "Add name"
    name = forms.CharField()


def test_the_button_label_can_be_changed_after_the_form_is_made():
    form = NameForm()
    assert 'value="Add name"' in render_crispy_form(form)
    form.submit_label = "Save name"
    html = render_crispy_form(form)
    assert 'value="Save name"' in html and "Add name" not in html


def test_prefixed_forms_have_their_own_button_id():
    assert 'id="id_submit"' in render_crispy_form(NameForm())
    assert 'id="id_change-submit"' in render_crispy_form(NameForm(prefix="change"))
