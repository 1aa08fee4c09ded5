"""Opening a proposal, recording its outcome and filtering the decision log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms

from compact.core.forms import DateInput, GDSFormMixin, TimeInput
from compact.core.validators import no_control_characters, single_line

from ..models import Method, Proposal, StatementKind

LONDON = ZoneInfo("Europe/London")


def split_closing(when: dt.datetime) -> tuple[dt.date, dt.time]:
    local = when.astimezone(LONDON)
    return local.date(), local.time().replace(second=0, microsecond=0)


class ProposalForm(GDSFormMixin, forms.Form):
    submit_label = "Open for votes"

    title = forms.CharField(max_length=200, validators=[single_line])
    text = forms.CharField(
        label="The proposal",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[no_control_characters],
        help_text="What the group is asked to decide. You can use Markdown.",
    )
    background = forms.CharField(
        label="Background (optional)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )
    body = forms.ModelChoiceField(queryset=None, label="Group", required=False, empty_label="No group")
    process = forms.ModelChoiceField(queryset=None, label="Process (optional)", required=False, empty_label="None")
    meeting = forms.ModelChoiceField(
        queryset=None, label="Meeting (optional)", required=False, empty_label="Not at a meeting",
        help_text="The meeting where this is discussed or decided, so the record links to its minutes",
    )  # fmt: skip
    statement_kind = forms.ChoiceField(
        label="Statement to change", choices=[("", "None")] + StatementKind.choices, required=False
    )
    statement_text = forms.CharField(
        label="New wording",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[no_control_characters],
        help_text="If the proposal passes, this becomes the next version.",
    )
    method = forms.ChoiceField(
        label="How will people decide?", choices=Method.choices, initial=Method.CONSENT, widget=forms.RadioSelect
    )
    options = forms.CharField(
        label="Options (polls, dot votes, ranked choice and scores)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
        help_text="One option per line. Leave empty for a consent decision.",
    )
    multiple = forms.BooleanField(label="Polls: people may choose more than one option", required=False)
    max_choices = forms.IntegerField(
        label="Polls: most options one person may choose (optional)", required=False, min_value=1, max_value=30
    )
    dots_per_voter = forms.IntegerField(label="Dot votes: dots each person has", initial=5, min_value=1, max_value=100)
    closes_at = forms.DateField(label="Voting closes on", widget=DateInput(), help_text="For example, 27 March 2026")
    closes_time = forms.TimeField(label="Voting closes at", widget=TimeInput(), help_text="UK time, for example 17:00")
    hide_results = forms.BooleanField(label="Hide results until voting closes", required=False)
    anonymous = forms.BooleanField(
        label="Anonymous votes (only if the group's terms of reference allow them)", required=False
    )

    def __init__(self, *args, bodies, processes, meetings, statement=False, body_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        if body_required:
            self.fields["body"].required = True
            self.fields["body"].empty_label = "Choose a group you chair"
            self.fields["body"].error_messages["required"] = "Choose a group you chair"
        self.fields["process"].queryset = processes
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.body.name}: {m}"
        if not statement:
            del self.fields["statement_kind"], self.fields["statement_text"]
            self.helper.layout.fields = [
                f for f in self.helper.layout.fields if f not in ("statement_kind", "statement_text")
            ]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("body") and not data.get("process"):
            self.add_error("body", "Choose a group, or a process this proposal belongs to")
        meeting = data.get("meeting")
        if meeting and data.get("body") and meeting.body_id != data["body"].pk:
            self.add_error("meeting", "Choose a meeting of the same group")
        day, time = data.pop("closes_at", None), data.pop("closes_time", None)
        if day and time:
            data["closes_at"] = dt.datetime.combine(day, time, tzinfo=LONDON)
        data["options"] = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        if "statement_kind" not in self.fields:
            data.pop("statement_kind", None)
            data.pop("statement_text", None)
        return data


def proposal_initial(proposal: Proposal) -> dict:
    """A proposal's fields, to amend and propose it again."""
    return {
        "title": proposal.title, "text": proposal.text, "background": proposal.background,
        "body": proposal.body_id, "process": proposal.process_id, "meeting": proposal.meeting_id,
        "method": proposal.method,
        "options": "\n".join(o.label for o in proposal.options.all()), "multiple": proposal.multiple,
        "max_choices": proposal.max_choices, "dots_per_voter": proposal.dots_per_voter,
        "hide_results": proposal.hide_results, "anonymous": proposal.anonymous,
        "statement_kind": proposal.statement_kind, "statement_text": proposal.statement_text,
    }  # fmt: skip


class OutcomeForm(GDSFormMixin, forms.Form):
    submit_label = "Record the outcome"

    decision = forms.CharField(
        label="What was decided",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )
    rationale = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )
    review_on = forms.DateField(label="Review date (optional)", required=False, widget=DateInput())
    casting_choice = forms.ChoiceField(
        label="Casting vote",
        required=False,
        widget=forms.RadioSelect,
        help_text="The chair's choice between the tied options",
    )

    def __init__(self, *args, tied_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tied_options:
            self.fields["casting_choice"].choices = tied_options
        else:
            del self.fields["casting_choice"]
            self.helper.layout.fields = [f for f in self.helper.layout.fields if f != "casting_choice"]


class DecisionLogFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any")] + Proposal.Status.choices)
    body = forms.ChoiceField(label="Group", required=False)
    process = forms.ChoiceField(label="Process", required=False)

    def __init__(self, *args, bodies, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", "Any")] + [(str(b.pk), b.name) for b in bodies]
        self.fields["process"].choices = [("", "Any")] + [(str(p.pk), p.title) for p in processes]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "status": data["status"],
            "body_id": int(data["body"]) if data["body"] else None,
            "process_id": int(data["process"]) if data["process"] else None,
        }
