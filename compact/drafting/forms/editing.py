"""Forms for writing the document: a block's text (its fields depend on the kind of block),
a new document, a new version. Every text field says its limit; a form that fails keeps what
was typed, and the block form carries the lock_version the editor started from."""

from __future__ import annotations

from django import forms

from compact.core.forms import GDSFormMixin

from ..models import (
    BODY_MAX,
    COMMITTER_CHOICES,
    STATEMENT_MAX,
    TITLE_MAX,
    BlockKind,
    FrameworkTag,
    SectionKind,
)  # fmt: skip

MARKDOWN_HINT = "You can use Markdown: **bold**, lists starting with -, ## headings and [links](https://example.org)."
BODY_LABELS = {
    BlockKind.INTRODUCTION: "Introduction",
    BlockKind.SECTION: "Text",
    BlockKind.KEY_AREA: "What this key area is about (optional)",
    BlockKind.COMMITMENT: "Why this matters and what it means in practice (optional)",
}


class HiddenFieldErrors:
    """A hidden field's error (the lock_version the editor started from, a request key) has no
    place beside a field, and the error summary lists visible fields only: a form sent with one
    missing or altered came back saying "There is a problem" and nothing else. Say it at the top."""

    hidden_field_error = (
        "Part of this form was missing or changed when it was sent, so it cannot be saved. "
        "Copy anything you typed, open the page again from the document and paste it there."
    )

    def clean(self):
        cleaned = super().clean()
        if any(name in self.fields and self.fields[name].widget.is_hidden for name in self.errors):
            self.add_error(None, self.hidden_field_error)
        return cleaned


class TextBox(forms.CharField):
    """A text box's text with each line break counted as one character, as the browser counts it
    and the services store it: browsers send CR LF, which the length check would count as two."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class Checkboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    small_checkboxes = True


def body_field(kind: str) -> forms.CharField:
    return TextBox(
        label=BODY_LABELS[kind], max_length=BODY_MAX, required=kind in (BlockKind.SECTION,), strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-preview": "true"}),
        help_text=f"{MARKDOWN_HINT} Up to {BODY_MAX:,} characters.",
    )  # fmt: skip


class BlockForm(HiddenFieldErrors, GDSFormMixin, forms.Form):
    """One block's text. Built for its kind: a commitment has a statement, who commits and tags;
    a section or key area has a heading; all have Markdown text."""

    submit_label = "Save"

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    section_kind = forms.ChoiceField(
        label="What is this section?", choices=SectionKind.choices,
        error_messages={"required": "Choose what kind of section this is"},
    )  # fmt: skip
    title = forms.CharField(label="Heading", max_length=TITLE_MAX, strip=False)
    statement = TextBox(
        label="The commitment", max_length=STATEMENT_MAX, strip=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f'Start with "We will", and say what will be different. Up to {STATEMENT_MAX:,} characters.',
    )  # fmt: skip
    committed_by = forms.MultipleChoiceField(
        label="Who commits", choices=COMMITTER_CHOICES, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.", error_messages={"required": "Choose who commits"},
    )  # fmt: skip
    tags = Checkboxes(label="Tags (optional)", queryset=FrameworkTag.objects.none(), required=False)

    def __init__(self, *args, kind: str, partnership, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["body"] = body_field(kind)
        self.helper.layout.fields.append("body")
        self.fields["tags"].queryset = FrameworkTag.objects.filter(partnership=partnership)
        unused = {
            BlockKind.INTRODUCTION: ("section_kind", "title", "statement", "committed_by", "tags"),
            BlockKind.SECTION: ("statement", "committed_by", "tags"),
            BlockKind.KEY_AREA: ("section_kind", "statement", "committed_by", "tags"),
            BlockKind.COMMITMENT: ("section_kind", "title"),
        }[kind]
        if kind == BlockKind.COMMITMENT and not self.fields["tags"].queryset.exists():
            unused = (*unused, "tags")
        if new:
            unused = (*unused, "lock_version")
        self.remove_fields(*unused)


class DocumentForm(GDSFormMixin, forms.Form):
    submit_label = "Create document"

    title = forms.CharField(max_length=TITLE_MAX, strip=False, help_text="For example, South East London VCSE Charter")


class VersionForm(GDSFormMixin, forms.Form):
    submit_label = "Save this version"

    name = forms.CharField(
        label="Name this version", max_length=TITLE_MAX, strip=False,
        help_text='For example, "Draft 2 for consultation". Everyone who can read the document will see it.',
        error_messages={"required": "Enter a name for the version"},
    )  # fmt: skip
    note = TextBox(
        label="What changed (optional)", max_length=2000, required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class RemoveForm(HiddenFieldErrors, GDSFormMixin, forms.Form):
    submit_label = "Yes, remove it"

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
