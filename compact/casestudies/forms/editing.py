"""Writing a case study: its text and tags, the anonymised version, who features in it, quotes,
contacts and media. Every text field says its limit; a form that fails keeps what was typed."""

from __future__ import annotations

from django import forms

from compact.core.forms import DateInput, GDSFormMixin
from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.processes.models import KeyArea

from ..models import (
    NAME_MAX,
    QUOTE_MAX,
    SECTION_MAX,
    SECTIONS,
    SUMMARY_MAX,
    TITLE_MAX,
    CaseStudy,
    ClinicalArea,
    MediaKind,
    Person,
    PlusGroup,
)  # fmt: skip
from ..presentation import SECTION_HEADINGS

MARKDOWN_HINT = "You can use Markdown: **bold**, lists starting with -, and [links](https://example.org)."
SECTION_HINTS = {
    "challenge": "What problem did people face? Who was affected?",
    "solution": "What was the idea, and why did it suit the people it was for?",
    "what_we_did": "Who did what, with whom, and over what time?",
    "impact": "What changed, for whom? Give numbers where you have them.",
}


class Checkboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    small_checkboxes = True


def _text(label, max_length, rows, hint="", required=False):
    return forms.CharField(
        label=label, max_length=max_length, required=required, strip=False,
        widget=forms.Textarea(attrs={"rows": rows}), help_text=f"{hint} {MARKDOWN_HINT} Up to {max_length:,} characters.".strip(),
    )  # fmt: skip


def partnership_organisations(partnership):
    return Organisation.objects.filter(partnership_links__partnership=partnership).distinct().order_by("name")


class CaseStudyForm(GDSFormMixin, forms.Form):
    """The practitioners' template. Sections may be left empty while it is a draft; submitting
    checks they are all written."""

    submit_label = "Save case study"

    title = forms.CharField(
        max_length=TITLE_MAX, strip=False, help_text="For example, Link workers in Lewisham GP surgeries"
    )
    summary = forms.CharField(
        label="Summary", max_length=SUMMARY_MAX, required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Two or three sentences a busy reader can take in. Up to {SUMMARY_MAX} characters.",
    )  # fmt: skip
    challenge = _text(SECTION_HEADINGS["challenge"], SECTION_MAX, 6, SECTION_HINTS["challenge"])
    solution = _text(SECTION_HEADINGS["solution"], SECTION_MAX, 6, SECTION_HINTS["solution"])
    what_we_did = _text(SECTION_HEADINGS["what_we_did"], SECTION_MAX, 6, SECTION_HINTS["what_we_did"])
    impact = _text(SECTION_HEADINGS["impact"], SECTION_MAX, 6, SECTION_HINTS["impact"])
    period_start = forms.DateField(label="When it started (optional)", required=False, widget=DateInput())
    period_end = forms.DateField(label="When it ended (optional)", required=False, widget=DateInput(),
                                 help_text="Leave blank if it is still running")  # fmt: skip
    key_areas = Checkboxes(label="Key areas it supports (optional)", required=False, queryset=KeyArea.objects.none())
    places = Checkboxes(label="Places (optional)", required=False, queryset=Area.objects.none())
    core20 = forms.BooleanField(
        label="It reaches people in the most deprived 20% of the population (Core20)", required=False
    )
    plus_groups = Checkboxes(
        label="PLUS groups it reaches (optional)", required=False, queryset=PlusGroup.objects.none()
    )
    clinical_areas = forms.MultipleChoiceField(
        label="Core20PLUS5 clinical areas (optional)", required=False, choices=ClinicalArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    clinical_areas.small_checkboxes = True

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_areas"].queryset = (
            KeyArea.objects.filter(process__partnership=partnership)
            .select_related("process")
            .order_by("process", "position")
        )
        self.fields["key_areas"].label_from_instance = lambda k: f"{k.title} ({k.process.title})"
        self.fields["places"].queryset = Area.objects.filter(kind="borough").order_by("name")
        self.fields["plus_groups"].queryset = PlusGroup.objects.filter(partnership=partnership)
        if not self.fields["plus_groups"].queryset.exists():
            self.remove_fields("plus_groups")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "When it ended must be the same as or after when it started")
        return data


def case_study_initial(case_study: CaseStudy) -> dict:
    names = ["title", "summary", *SECTIONS, "period_start", "period_end", "core20"]
    return {name: getattr(case_study, name) for name in names} | {
        "key_areas": list(case_study.key_areas.all()),
        "places": list(case_study.places.all()),
        "plus_groups": list(case_study.plus_groups.all()),
        "clinical_areas": [c.area for c in case_study.clinical_areas.all()],
    }


class AnonymisedForm(GDSFormMixin, forms.Form):
    """The version published without consent to name people: names and identifying details
    replaced (e.g. "a carer in South East London")."""

    submit_label = "Save anonymised version"

    anonymised_title = forms.CharField(label="Title", max_length=TITLE_MAX, required=False, strip=False)
    anonymised_summary = forms.CharField(
        label="Summary", max_length=SUMMARY_MAX, required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    anonymised_challenge = _text(SECTION_HEADINGS["challenge"], SECTION_MAX, 5)
    anonymised_solution = _text(SECTION_HEADINGS["solution"], SECTION_MAX, 5)
    anonymised_what_we_did = _text(SECTION_HEADINGS["what_we_did"], SECTION_MAX, 5)
    anonymised_impact = _text(SECTION_HEADINGS["impact"], SECTION_MAX, 5)


class FeaturedOrganisationForm(GDSFormMixin, forms.Form):
    prefix = "organisation"
    submit_label = "Add organisation"
    organisation = forms.ModelChoiceField(
        label="Organisation featured", queryset=Organisation.objects.none(), empty_label="Choose an organisation",
        help_text="From the partnership's directory. Each one's consent is needed before it is published.",
    )  # fmt: skip

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership_organisations(partnership)


class _WithOrganisation(GDSFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation (optional)", required=False, queryset=Organisation.objects.none()
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership_organisations(partnership)


class PersonForm(_WithOrganisation):
    prefix = "person"
    submit_label = "Add person"
    name = forms.CharField(
        label="Name of a person named or pictured", max_length=NAME_MAX, strip=False,
        help_text="Each person named or in a photo must give their own consent.",
    )  # fmt: skip
    field_order = ["name", "organisation"]


class ContactForm(_WithOrganisation):
    prefix = "contact"
    submit_label = "Add contact"
    name = forms.CharField(label="Contact's name", max_length=NAME_MAX, strip=False)
    email = forms.EmailField(label="Contact's email address", max_length=254)
    link_account = forms.BooleanField(
        label="Let them see this case study and give consent for their organisation, if they have an account",
        required=False,
    )  # fmt: skip
    field_order = ["name", "email", "organisation", "link_account"]

    def __init__(self, *args, can_link: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_link:
            self.remove_fields("link_account")


class QuoteForm(GDSFormMixin, forms.Form):
    prefix = "quote"
    submit_label = "Add quote"
    text = forms.CharField(
        label="Quote", max_length=QUOTE_MAX, strip=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Their words, without quotation marks. Up to {QUOTE_MAX:,} characters.",
    )  # fmt: skip
    attribution = forms.CharField(
        label="Who said it", max_length=200, strip=False, help_text="For example, Priya Patel, link worker"
    )
    anonymised_attribution = forms.CharField(
        label="Who said it, in the anonymised version (optional)", max_length=200, required=False, strip=False,
        help_text="For example, a link worker. Leave blank to leave the quote out of the anonymised version.",
    )  # fmt: skip
    person = forms.ModelChoiceField(
        label="Person quoted (optional)", required=False, queryset=Person.objects.none(),
        empty_label="Not one of the people named above",
    )  # fmt: skip

    def __init__(self, *args, case_study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case_study.people.all()


class MediaForm(GDSFormMixin, forms.Form):
    prefix = "media"
    submit_label = "Upload"
    kind = forms.ChoiceField(
        label="What are you adding?", choices=MediaKind.choices, widget=forms.RadioSelect, initial=MediaKind.IMAGE
    )
    file = forms.FileField(
        label="Choose a file",
        help_text="Images: PNG, JPEG, GIF or WebP, up to 5 MB. Attachments: PDF or Word (DOCX), up to 10 MB.",
    )  # fmt: skip
    alt_text = forms.CharField(
        label="Alt text (for images)", max_length=300, required=False, strip=False,
        help_text="What the image shows, for people who cannot see it. Needed before submitting.",
    )  # fmt: skip
    credit = forms.CharField(
        label="Credit (for images)", max_length=200, required=False, strip=False,
        help_text="Who took or owns the image, for example Photo: Lewisham Mind",
    )  # fmt: skip
    pictured = forms.ModelMultipleChoiceField(
        label="People in the image (optional)", required=False, queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple, help_text="Add people above first. Their consent will be needed.",
    )  # fmt: skip

    def __init__(self, *args, case_study, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pictured"].queryset = case_study.people.all()
        if not self.fields["pictured"].queryset.exists():
            self.remove_fields("pictured")


class MediaDescribeForm(MediaForm):
    submit_label = "Save description"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.remove_fields("kind", "file")
