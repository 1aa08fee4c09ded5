"""Planning forms: the workshop's details and its prompts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from compact.core.forms import DateInput, GDSFormMixin, TimeInput
from compact.core.validators import single_line

from ..models import Access, Format, Workshop
from ..services.planning import MAX_DOTS


def _local(value: dt.datetime | None) -> tuple:
    if value is None:
        return None, None
    local = timezone.localtime(value)
    return local.date(), local.time().replace(second=0, microsecond=0)


def workshop_initial(workshop: Workshop) -> dict:
    date, start = _local(workshop.starts_at)
    _, end = _local(workshop.ends_at)
    async_date, async_time = _local(workshop.async_until)
    fields = ["title", "purpose", "format", "venue", "online_link", "capacity", "access", "access_notes",
              "allow_anonymous", "dots_per_participant", "vote_target"]  # fmt: skip
    return {name: getattr(workshop, name) for name in fields} | {
        "date": date, "start_time": start, "end_time": end, "async_date": async_date, "async_time": async_time,
    }  # fmt: skip


class WorkshopForm(GDSFormMixin, forms.Form):
    submit_label = "Save workshop"

    title = forms.CharField(max_length=200, validators=[single_line], help_text="For example, Shaping the charter")
    purpose = forms.CharField(
        label="Purpose (optional)", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the workshop is for, in a sentence or two. People see this when they register.",
    )  # fmt: skip
    date = forms.DateField(widget=DateInput())
    start_time = forms.TimeField(label="Start time", widget=TimeInput(), help_text="UK time, for example 10:00")
    end_time = forms.TimeField(label="End time", widget=TimeInput())
    format = forms.ChoiceField(choices=Format.choices, widget=forms.RadioSelect, initial=Format.IN_PERSON)
    venue = forms.CharField(
        label="Venue (for in-person and hybrid workshops)", required=False, max_length=300, validators=[single_line],
        help_text="The full address, with the room",
    )  # fmt: skip
    online_link = forms.URLField(
        label="Online link (for online and hybrid workshops)", required=False, max_length=500, assume_scheme="https",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )  # fmt: skip
    capacity = forms.IntegerField(
        label="Places (optional)", required=False, min_value=1, max_value=10000,
        help_text="When it is full, people join a waiting list. Leave blank for no limit.",
    )  # fmt: skip
    access = forms.MultipleChoiceField(
        label="Access arrangements for everyone (optional)", required=False, choices=Access.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="People can also tell you their own access needs when they register.",
    )  # fmt: skip
    access_notes = forms.CharField(
        label="More about access (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the nearest step-free station, or where the quiet room is",
    )  # fmt: skip
    allow_anonymous = forms.BooleanField(
        label="Let people add ideas without their name", required=False,
        help_text="Their organisation is not shown either. Facilitators can still hide unkind ideas.",
    )  # fmt: skip
    dots_per_participant = forms.IntegerField(
        label="Dots each person has to vote with", min_value=1, max_value=MAX_DOTS, initial=5,
    )  # fmt: skip
    async_date = forms.DateField(
        label="Keep prompts open online until (optional)", required=False, widget=DateInput(),
        help_text="For people who could not come. Their ideas are marked as sent after the workshop.",
    )  # fmt: skip
    async_time = forms.TimeField(label="Time (optional)", required=False, widget=TimeInput(),
                                 help_text="Leave blank for the end of that day")  # fmt: skip

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if date and start and end:
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(date, start))
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(date, end))
            if end <= start:  # the service refuses it too; here the message sits beside the field
                self.add_error("end_time", "The end time must be after the start time")
        # Shown with any other errors at once; the service checks the same (Format rules).
        if data.get("format") in (Format.IN_PERSON, Format.HYBRID) and not data.get("venue"):
            self.add_error("venue", "Enter where the workshop is")
        needs_link = data.get("format") in (Format.ONLINE, Format.HYBRID)
        if needs_link and not data.get("online_link") and not self.has_error("online_link"):
            self.add_error("online_link", "Enter the link people use to join online")
        async_date = data.get("async_date")
        data["async_until"] = (
            timezone.make_aware(dt.datetime.combine(async_date, data.get("async_time") or dt.time(23, 59)))
            if async_date
            else None
        )
        if data["async_until"] and data.get("ends_at") and data["async_until"] <= data["ends_at"]:
            self.add_error("async_date", "Ideas online must stay open until after the workshop ends")
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        names = ["title", "purpose", "starts_at", "ends_at", "format", "venue", "online_link", "capacity", "access",
                 "access_notes", "allow_anonymous", "dots_per_participant", "async_until"]  # fmt: skip
        return {name: data.get(name) for name in names} | {
            "venue": data.get("venue") or "", "online_link": data.get("online_link") or "",
        }  # fmt: skip


class PromptForm(GDSFormMixin, forms.Form):
    submit_label = "Add prompt"

    text = forms.CharField(
        label="Question", max_length=300, validators=[single_line],
        help_text="What people will answer, for example What should the ICB commit to on procurement?",
    )  # fmt: skip
    key_area = forms.ModelChoiceField(
        label="Key area (optional)", required=False, queryset=None, empty_label="Not tied to a key area"
    )

    def __init__(self, *args, process, **kwargs):
        kwargs.setdefault("prefix", "prompt")
        super().__init__(*args, **kwargs)
        self.fields["key_area"].queryset = process.key_areas.all()
