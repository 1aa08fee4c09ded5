from django import forms

from compact.core.forms import DateInput, GDSFormMixin
from compact.core.validators import no_control_characters, single_line

from .models import ProcessKind, StageKind
from .registry import registry


class ProcessForm(GDSFormMixin, forms.Form):
    title = forms.CharField(
        max_length=200, validators=[single_line], help_text="For example, South East London VCSE Charter 2026"
    )
    kind = forms.ChoiceField(
        label="What are you making?",
        choices=ProcessKind.choices,
        widget=forms.RadioSelect,
        initial=ProcessKind.CHARTER,
        error_messages={"required": "Choose what you are making"},
    )
    purpose_summary = forms.CharField(
        label="Purpose (optional)",
        required=False,
        max_length=3000,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In a sentence or two: what the agreement is for. The leadership group can refine it later.",
    )


class ProcessCreateForm(ProcessForm):
    submit_label = "Create process"
    stage_kinds = forms.MultipleChoiceField(
        label="Stages",
        choices=StageKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(StageKind.values),
        help_text="Untick any stage this process will not have. You can set dates next.",
        error_messages={"required": "Choose at least one stage"},
    )


class TimelineForm(GDSFormMixin, forms.Form):
    """Start and end dates (and an optional own name) for every stage, checked together."""

    submit_label = "Save timeline"

    def __init__(self, *args, stages, **kwargs):
        self.stages = list(stages)
        initial = {}
        for s in self.stages:
            initial |= {
                f"stage_{s.pk}_starts_on": s.starts_on,
                f"stage_{s.pk}_ends_on": s.ends_on,
                f"stage_{s.pk}_title": s.title,
            }
        super().__init__(*args, initial=initial, **kwargs)
        self.helper.layout = None
        for s in self.stages:
            name = s.get_kind_display()
            self.fields[f"stage_{s.pk}_title"] = forms.CharField(
                label=f"{name}: own name (optional)", required=False, max_length=120, validators=[single_line]
            )
            self.fields[f"stage_{s.pk}_starts_on"] = forms.DateField(
                label=f"{name}: start date", required=False, widget=DateInput, help_text="For example, 27 March 2027"
            )
            self.fields[f"stage_{s.pk}_ends_on"] = forms.DateField(
                label=f"{name}: end date", required=False, widget=DateInput
            )

    def stage_rows(self):
        """Per stage: its fields with the short label and input type the page shows."""
        parts = [
            ("starts_on", "Start date", "date"),
            ("ends_on", "End date", "date"),
            ("title", "Own name for this stage (optional)", "text"),
        ]
        return [
            {"stage": s, "fields": [(self[f"stage_{s.pk}_{name}"], label, kind) for name, label, kind in parts]}
            for s in self.stages
        ]

    def stage_dates(self):
        from .services import StageDates

        d = self.cleaned_data
        return [
            StageDates(
                s.pk, d.get(f"stage_{s.pk}_starts_on"), d.get(f"stage_{s.pk}_ends_on"), d.get(f"stage_{s.pk}_title", "")
            )
            for s in self.stages
        ]


class FeatureSettingsForm(GDSFormMixin, forms.Form):
    submit_label = "Save settings"
    features = forms.MultipleChoiceField(
        label="Open these outside their usual stages",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is normally open only during certain stages. Ticking one opens it whatever the stage.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["features"].choices = [
            (f.name, f"{f.description} (usually: {', '.join(sorted(f.stage_kinds)) or 'never'})")
            for f in registry.features.values()
            if not f.always
        ]


class StagesForm(GDSFormMixin, forms.Form):
    submit_label = "Save stages"
    stage_kinds = forms.MultipleChoiceField(
        label="Stages in this process",
        choices=StageKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the stages this process will have. Stages that have started stay.",
        error_messages={"required": "Choose at least one stage"},
    )


class KeyAreaForm(GDSFormMixin, forms.Form):
    submit_label = "Add key area"

    title = forms.CharField(
        label="Name", max_length=200, validators=[single_line],
        help_text="For example, Procurement that does not disadvantage VCSE organisations",
    )  # fmt: skip
    description = forms.CharField(
        label="What it covers (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        validators=[no_control_characters],
    )  # fmt: skip
