"""Forms for the discussion of one block: a comment (on the whole part or on words quoted from
it), a reply, an amendment (new wording with a reason) and an editor's decision on one. Each
form that creates something carries a hidden `request_key`, so a double submit saves once."""

from __future__ import annotations

import uuid

from django import forms

from compact.core.forms import GDSFormMixin, required_message

from ..models import COMMENT_MAX, QUOTE_MAX, REASON_MAX, STATEMENT_MAX, TITLE_MAX, AnchorField
from ..services.amendments import AMENDABLE
from .editing import HiddenFieldErrors, TextBox, body_field

# Which of a block's texts a quoted passage can come from: the same texts an amendment may change.
ANCHORABLE = AMENDABLE
ON_BEHALF_LABEL = "I am writing on behalf of my organisation"


def new_request_key() -> str:
    return uuid.uuid4().hex


class RequestKeyMixin(HiddenFieldErrors):
    """A hidden key, made fresh for a new form and sent back as it was when the form fails."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"request_key": new_request_key(), **kwargs["initial"]}
        super().__init__(*args, **kwargs)


class CommentForm(RequestKeyMixin, GDSFormMixin, forms.Form):
    submit_label = "Add your comment"

    body = TextBox(
        label="Your comment", max_length=COMMENT_MAX, strip=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Up to {COMMENT_MAX:,} characters. Everyone in the partnership can read it.",
    )  # fmt: skip
    quote = forms.CharField(
        label="Quote the words you are commenting on (optional)", max_length=QUOTE_MAX, required=False, strip=False,
        help_text="Copy the words exactly from the text above. Leave this empty to comment on the whole part.",
    )  # fmt: skip
    anchor_field = forms.ChoiceField(label="Which text are the words from?", required=False)
    on_behalf = forms.BooleanField(label=ON_BEHALF_LABEL, required=False)
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, block, **kwargs):
        super().__init__(*args, **kwargs)
        names = ANCHORABLE[block.kind]
        self.fields["anchor_field"].choices = [(n, AnchorField(n).label) for n in names]
        self.fields["anchor_field"].initial = names[0]
        if len(names) == 1:
            self.fields["anchor_field"].widget = forms.HiddenInput()


class ReplyForm(RequestKeyMixin, GDSFormMixin, forms.Form):
    submit_label = "Reply"

    body = TextBox(
        label="Your reply", max_length=COMMENT_MAX, strip=False, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)


def text_fields(form: forms.Form, kind: str, *, suffix: str = "", required: bool = True) -> None:
    """Add the texts an amendment may change for a block of `kind`."""
    for name in AMENDABLE[kind]:
        if name == "title":
            field = forms.CharField(label="Heading", max_length=TITLE_MAX, strip=False)
        elif name == "statement":
            field = TextBox(
                label="The commitment", max_length=STATEMENT_MAX, strip=False,
                widget=forms.Textarea(attrs={"rows": 3}), help_text=f"Up to {STATEMENT_MAX:,} characters.",
            )  # fmt: skip
        else:
            field = body_field(kind)
            field.widget.attrs.pop("data-preview", None)
        field.required = required and field.required
        field.error_messages["required"] = required_message(field, name)
        field.widget.attrs.setdefault("maxlength", field.max_length)
        if suffix:
            field.label = f"{field.label} {suffix}"
        form.fields[name] = field


def _order(form, first: tuple[str, ...]) -> None:
    """Put the texts added in __init__ first, in the form and in its crispy layout."""
    form.order_fields([*first, *(n for n in form.fields if n not in first)])
    form.helper.layout.fields = list(form.fields)


class BlockTexts:
    """For forms with the texts an amendment may change (text_fields): those texts as cleaned."""

    def texts(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in AMENDABLE[self.kind]}


class AmendmentForm(BlockTexts, RequestKeyMixin, GDSFormMixin, forms.Form):
    submit_label = "Propose this amendment"

    reason = TextBox(
        label="Why do you propose this change?", max_length=REASON_MAX, strip=False,
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Say why you propose this change"},
        help_text="Everyone in the partnership will see your wording and your reason.",
    )  # fmt: skip
    on_behalf = forms.BooleanField(label=ON_BEHALF_LABEL, required=False)
    base_lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, block, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = block.kind
        text_fields(self, block.kind)
        _order(self, AMENDABLE[block.kind])


DECISION_CHOICES = [
    ("accept", "Accept: the amendment's wording becomes the text"),
    ("partly", "Take it partly: give the wording you are taking below"),
    ("reject", "Reject: the text stays as it is"),
]


class DecideForm(BlockTexts, HiddenFieldErrors, GDSFormMixin, forms.Form):
    """An editor's decision. The texts are used only when taking an amendment partly, or when
    accepting after merging on the conflict page (`merge`), with the block's `lock_version`."""

    submit_label = "Save the decision"

    decision = forms.ChoiceField(
        label="What do you decide?", choices=DECISION_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": "Choose accept, partly taken or reject"},
    )  # fmt: skip
    reason = TextBox(
        label="Your reason", max_length=REASON_MAX, required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you take it partly or reject it. The proposer and everyone in the partnership will see it.",
    )  # fmt: skip
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    merge = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, block, merging: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = block.kind
        if merging:
            self.fields["decision"].widget = forms.HiddenInput()
            self.submit_label = "Accept with this wording"
        text_fields(self, block.kind, suffix="" if merging else "(only if you take it partly)", required=False)
        if merging:
            _order(self, AMENDABLE[block.kind])
        else:
            self.helper.layout.fields = list(self.fields)
