"""Form helpers shared by every app: GOV.UK layout through crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.forms.utils import pretty_name


class SubmitButton(Button):
    """crispy-forms-gds renders a helper's inputs with its <input> template, which takes its
    type from `input_type`; its Button has none, so it came out as a text box, not a button."""

    input_type = "submit"


class _SubmitLabel:
    """The button's text, read when the form is rendered: views may set `form.submit_label`
    after the form is made (e.g. "Save meeting details" on an edit page)."""

    def __init__(self, form):
        self.form = form

    def __str__(self):
        return str(self.form.submit_label)


# Labels that already say what to do ("Create a password"). Not "type": "Type of group" is a noun.
IMPERATIVES = {"add", "choose", "confirm", "create", "describe", "enter", "give", "select", "tell", "upload", "write"}  # fmt: skip


def required_message(field: forms.Field, name: str) -> str:
    """GOV.UK's wording for a missing answer ("Enter the title", "Choose the kind") in place of
    Django's "This field is required.", which does not say what is missing."""
    if isinstance(field, forms.BooleanField):
        return "Tick the box to confirm"
    if isinstance(field, forms.FileField):
        return "Choose a file to upload"
    verb = "Choose" if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) else "Enter"
    label = str(field.label or pretty_name(name)).strip()
    if label.endswith("?"):  # a question: the form should say it better; this is never wrong
        return f"{verb} an answer"
    label = label.rstrip(":.")
    words = label.split()
    first = words[0] if words else ""
    if first.lower() in IMPERATIVES:  # "Create a password" already says what to do
        return label
    if first[1:2].islower():  # "Title" -> "title"; "ICB name" and "NHS number" keep their capitals
        label = first[0].lower() + label[1:]
    if first.lower() not in {"your", "the", "a", "an", "another", "their", "its", "this", "each"}:
        label = f"the {label}"
    return f"{verb} {label}"


class GDSFormMixin:
    """Adds a crispy helper with GOV.UK sizes. Forms render inside the template's own <form>
    so pages control the action, the CSRF token and any extra buttons."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> has the token
        # Long lists of choices (places) use GOV.UK's small checkboxes.
        self.helper.layout = Layout(
            *[
                Field.checkboxes(name, small=True) if getattr(field, "small_checkboxes", False) else name
                for name, field in self.fields.items()
            ]
        )
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        # Two forms may share a page (add and change a member): the prefix keeps the id unique.
        button_id = f"id_{self.prefix}-submit" if self.prefix else "id_submit"
        self.helper.add_input(SubmitButton("submit", _SubmitLabel(self), css_id=button_id))
        for name, field in self.fields.items():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = required_message(field, name)
            if isinstance(field, forms.CharField) and field.max_length and not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", field.max_length)
            if type(field.widget) is forms.NumberInput:  # crispy-forms-gds leaves number inputs unstyled
                field.widget.attrs.setdefault("class", "govuk-input govuk-input--width-4")
                field.widget.attrs.setdefault("inputmode", "numeric")

    def remove_fields(self, *names: str) -> None:
        """Leave fields out after the form is made (e.g. a choice with nothing to choose from),
        from the form and from its layout alike."""
        for name in names:
            self.fields.pop(name, None)
        self.helper.layout.fields = [
            item for item in self.helper.layout.fields if not (set(getattr(item, "fields", [item])) & set(names))
        ]


class DateInput(forms.DateInput):
    """The browser's date picker (phone-friendly), styled as a GOV.UK input."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


def post_data(request):
    """POST data for binding a form, or None on GET. Unlike `request.POST or None`, an empty
    POST (every box unticked) still binds, so it saves."""
    return request.POST if request.method == "POST" else None


def post_files(request):
    return request.FILES if request.method == "POST" else None


class TimeInput(forms.TimeInput):
    """The browser's time picker, as hours and minutes, styled as a GOV.UK input."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-5", **(attrs or {})}, format="%H:%M")
