"""Scheduling a meeting, its agenda, papers, minutes and attendance."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from compact.core.forms import DateInput, GDSFormMixin, TimeInput
from compact.core.validators import no_control_characters, single_line
from compact.organisations.models import Organisation

from ..models import Attendance
from ..services.meetings import MAX_ITEM_MINUTES


def meeting_initial(meeting) -> dict:
    starts = timezone.localtime(meeting.starts_at)
    ends = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
    return {
        "title": meeting.title,
        "date": starts.date(),
        "start_time": starts.time().replace(second=0, microsecond=0),
        "end_time": ends.time().replace(second=0, microsecond=0) if ends else None,
        "place": meeting.place,
        "online_link": meeting.online_link,
    }


class MeetingForm(GDSFormMixin, forms.Form):
    submit_label = "Schedule meeting"

    title = forms.CharField(
        max_length=200, validators=[single_line], help_text="For example, Leadership group: March meeting"
    )
    date = forms.DateField(widget=DateInput(), help_text="For example, 27 March 2026")
    start_time = forms.TimeField(label="Start time", widget=TimeInput(), help_text="UK time, for example 14:00")
    end_time = forms.TimeField(
        label="End time (optional)", required=False, widget=TimeInput(), help_text="Must be after the start time"
    )
    place = forms.CharField(
        label="Place (optional if there is an online link)",
        required=False,
        max_length=300,
        validators=[single_line],
        help_text="The address or room, for example Room 2, Civic Centre, Lewisham",
    )
    online_link = forms.URLField(
        label="Online link (optional if there is a place)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="The link to join, for example https://meet.example.org/leadership",
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        if not data.get("place") and not data.get("online_link") and not self.has_error("online_link"):
            self.add_error("place", "Enter where the meeting is, an online link, or both")
        if date and start:
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(date, start))
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(date, end)) if end else None
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data.get("place", ""),
            "online_link": data.get("online_link", ""),
        }


class AgendaItemForm(GDSFormMixin, forms.Form):
    submit_label = "Add to agenda"
    prefix = "item"

    title = forms.CharField(label="Agenda item", max_length=200, validators=[single_line])
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=1,
        max_value=MAX_ITEM_MINUTES,
        initial=15,
        help_text=f"Between 1 and {MAX_ITEM_MINUTES} minutes",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
    presenter = forms.CharField(
        label="Who presents it (optional)", required=False, max_length=150, validators=[single_line]
    )


class PaperForm(GDSFormMixin, forms.Form):
    submit_label = "Upload paper"
    prefix = "paper"

    item = forms.ChoiceField(label="Agenda item")
    title = forms.CharField(label="Paper title", max_length=200, validators=[single_line])
    file = forms.FileField(
        label="File",
        help_text="PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument text (ODT), text, PNG or JPEG, up to 10 MB",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["item"].choices = [(str(item.pk), f"{i}. {item.title}") for i, item in enumerate(items, 1)]

    def clean_item(self):
        return self.items[self.cleaned_data["item"]]


class MinutesForm(GDSFormMixin, forms.Form):
    submit_label = "Save minutes"

    minutes = forms.CharField(
        label="Minutes",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        validators=[no_control_characters],
        help_text="What was discussed and agreed. You can use Markdown: a line starting with - makes a list.",
    )


class AttendanceForm(GDSFormMixin, forms.Form):
    """One status and one organisation for each person in the group."""

    submit_label = "Save attendance"

    def __init__(self, *args, people, organisations, existing, **kwargs):
        """people: [(user, default organisation)]; existing: {user_id: Attendance}."""
        super().__init__(*args, **kwargs)
        self.people = people
        layout = []
        for user, default_org in people:
            record = existing.get(user.pk)
            status_name, org_name = f"status_{user.pk}", f"organisation_{user.pk}"
            self.fields[status_name] = forms.ChoiceField(
                label=str(user),
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=record.status if record else Attendance.Status.PRESENT,
                error_messages={"required": f"Choose whether {user} was present, sent apologies or was absent"},
            )
            self.fields[org_name] = forms.ModelChoiceField(
                label=f"Organisation {user} represented (optional)",
                queryset=organisations,
                required=False,
                initial=(record.organisation_id if record else getattr(default_org, "pk", None)),
            )
            layout += [Field.radios(status_name, legend_size=Size.SMALL, small=True, inline=True), org_name]
        self.helper.layout = Layout(*layout)

    def records(self) -> list[dict]:
        return [
            {
                "user": user,
                "status": self.cleaned_data[f"status_{user.pk}"],
                "organisation": self.cleaned_data.get(f"organisation_{user.pk}"),
            }
            for user, _ in self.people
        ]


def partnership_organisations(partnership):
    return Organisation.objects.filter(partnership_links__partnership=partnership).order_by("name")
