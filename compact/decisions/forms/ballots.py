"""One vote form per way of deciding. Each builds the ballot `services.vote_cast` expects; the
ballot is checked there (ballots.py), and `error_field` says beside which field its error goes."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from compact.core.forms import GDSFormMixin
from compact.core.validators import no_control_characters

from ..ballots import REASON_MAX, SCORE_MAX
from ..models import Method, Proposal, Vote

ORDINALS = ["1st", "2nd", "3rd"]


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


class BallotForm(GDSFormMixin, forms.Form):
    submit_label = "Cast your vote"

    def __init__(self, *args, proposal: Proposal, vote: Vote | None = None, **kwargs):
        self.proposal = proposal
        self.option_list = list(proposal.options.all())
        super().__init__(*args, **kwargs)
        self.add_option_fields()
        if vote is not None and not self.is_bound:
            self.initial.update(self.initial_from(vote))
        self.helper.layout = Layout(*self.layout_fields())
        if vote is not None:
            self.helper.inputs[0].value = "Change your vote"

    def add_option_fields(self):
        pass

    def layout_fields(self):
        return list(self.fields)

    def initial_from(self, vote: Vote) -> dict:
        return {}

    def ballot(self) -> dict:
        raise NotImplementedError

    def error_field(self, code: str | None) -> str:
        return next(iter(self.fields))


class ConsentForm(BallotForm):
    position = forms.ChoiceField(
        label="Your position",
        widget=forms.RadioSelect,
        choices=[
            ("agree", "Agree"),
            ("abstain", "Abstain"),
            ("object", "Object: I have a concern, but will not stop it"),
            ("block", "Block: this must not go ahead"),
        ],
    )
    reason = forms.CharField(
        label="Your reason",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
        help_text="Needed if you object or block, so the group can respond.",
    )

    def initial_from(self, vote):
        return {"position": vote.ballot.get("position"), "reason": vote.reason}

    def ballot(self):
        return {"position": self.cleaned_data["position"], "reason": self.cleaned_data["reason"]}

    def error_field(self, code):
        return "reason" if code in ("reason_required", "reason_too_long", "invalid_reason") else "position"


class PollForm(BallotForm):
    def add_option_fields(self):
        choices = [(str(o.pk), o.label) for o in self.option_list]
        if self.proposal.multiple:
            limit = self.proposal.max_choices
            hint = f"Choose up to {limit}." if limit else "Choose all that apply."
            field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, help_text=hint)
        else:
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect)
        field.label = "Your choice"
        self.fields["choices"] = field

    def initial_from(self, vote):
        chosen = vote.ballot.get("choices", [])
        return {"choices": chosen if self.proposal.multiple else (chosen[0] if chosen else None)}

    def ballot(self):
        value = self.cleaned_data["choices"]
        return {"choices": value if isinstance(value, list) else [value]}


class DotsForm(BallotForm):
    def add_option_fields(self):
        for option in self.option_list:
            self.fields[f"dots_{option.pk}"] = forms.IntegerField(
                label=option.label, required=False, min_value=0, max_value=100,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
            )  # fmt: skip

    def layout_fields(self):
        budget = self.proposal.dots_per_voter
        legend = f"Place your dots: you have {budget} dot{'' if budget == 1 else 's'} to spread across the options"
        return [Fieldset(*self.fields, legend=legend, legend_size=Size.SMALL)]

    def initial_from(self, vote):
        return {f"dots_{k}": v for k, v in vote.ballot.get("dots", {}).items()}

    def ballot(self):
        return {"dots": {str(o.pk): self.cleaned_data.get(f"dots_{o.pk}") or 0 for o in self.option_list}}


class RankedForm(BallotForm):
    def add_option_fields(self):
        choices = [("", "No choice")] + [(str(o.pk), o.label) for o in self.option_list]
        for n in range(1, len(self.option_list) + 1):
            self.fields[f"rank_{n}"] = forms.ChoiceField(label=f"{ordinal(n)} choice", choices=choices, required=False)

    def layout_fields(self):
        return [Fieldset(*self.fields, legend="Put the options in your order of preference", legend_size=Size.SMALL)]

    def initial_from(self, vote):
        return {f"rank_{n}": pk for n, pk in enumerate(vote.ballot.get("ranking", []), start=1)}

    def ballot(self):
        ranked = [self.cleaned_data.get(f"rank_{n}") for n in range(1, len(self.option_list) + 1)]
        return {"ranking": [r for r in ranked if r]}


class ScoreForm(BallotForm):
    def add_option_fields(self):
        choices = [(str(n), str(n)) for n in range(SCORE_MAX + 1)]
        for option in self.option_list:
            self.fields[f"score_{option.pk}"] = forms.ChoiceField(
                label=option.label, choices=choices, widget=forms.RadioSelect,
                help_text=f"0 is worst, {SCORE_MAX} is best",
            )  # fmt: skip

    def layout_fields(self):
        return [Field.radios(name, inline=True, legend_size=Size.SMALL) for name in self.fields]

    def initial_from(self, vote):
        return {f"score_{k}": str(v) for k, v in vote.ballot.get("scores", {}).items()}

    def ballot(self):
        return {"scores": {str(o.pk): self.cleaned_data[f"score_{o.pk}"] for o in self.option_list}}


FORMS = {
    Method.CONSENT: ConsentForm,
    Method.POLL: PollForm,
    Method.DOTS: DotsForm,
    Method.RANKED: RankedForm,
    Method.SCORE: ScoreForm,
}


def ballot_form_for(proposal: Proposal, data=None, vote: Vote | None = None) -> BallotForm:
    return FORMS[proposal.method](data, proposal=proposal, vote=vote)
