"""The library's search and filters. Choices come from the partnership, so a filter never
offers a tag that cannot match."""

from __future__ import annotations

from django import forms

from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.processes.models import KeyArea

from ..models import ClinicalArea, FeaturedOrganisation, PlusGroup, Status

CORE20 = "core20"


def tag_choices(partnership) -> list[tuple[str, str]]:
    """Core20PLUS5 in one list: Core20, the partnership's PLUS groups, the ten clinical areas."""
    choices = [("", "Any tag"), (CORE20, "Core20 (most deprived 20%)")]
    choices += [(f"plus-{g.pk}", f"PLUS: {g.name}") for g in PlusGroup.objects.filter(partnership=partnership)]
    return choices + [(f"area-{value}", label) for value, label in ClinicalArea.choices]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    key_area = forms.ChoiceField(label="Key area", required=False)
    place = forms.ChoiceField(label="Place", required=False)
    organisation = forms.ChoiceField(label="Organisation", required=False)
    tag = forms.ChoiceField(label="Core20PLUS5", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])

    def __init__(self, *args, partnership, show_status: bool, **kwargs):
        super().__init__(*args, **kwargs)
        key_areas = KeyArea.objects.filter(process__partnership=partnership).select_related("process")
        self.fields["key_area"].choices = [("", "Any key area")] + [
            (str(k.pk), f"{k.title} ({k.process.title})") for k in key_areas.order_by("process__title", "position")
        ]
        places = Area.objects.filter(case_studies__partnership=partnership).distinct().order_by("name")
        self.fields["place"].choices = [("", "Anywhere")] + [(a.code, a.name) for a in places]
        self.fields["organisation"].choices = [("", "Any organisation")] + [
            (o.org_id, o.name) for o in _featured(partnership)
        ]
        self.fields["tag"].choices = tag_choices(partnership)
        if not show_status:
            del self.fields["status"]

    def filters(self) -> dict:
        """The selector's keyword arguments for what was chosen (nothing for a bad choice)."""
        if not self.is_valid():
            return {}
        data, found = self.cleaned_data, {}
        found["q"] = data.get("q", "")
        if data.get("key_area"):
            found["key_area"] = KeyArea.objects.filter(pk=data["key_area"]).first()
        if data.get("place"):
            found["place"] = Area.objects.filter(code=data["place"]).first()
        if data.get("organisation"):
            found["organisation"] = Organisation.objects.filter(org_id=data["organisation"]).first()
        tag = data.get("tag", "")
        if tag == CORE20:
            found["core20"] = True
        elif tag.startswith("plus-"):
            found["plus_group"] = PlusGroup.objects.filter(pk=tag.removeprefix("plus-")).first()
        elif tag.startswith("area-"):
            found["clinical_area"] = tag.removeprefix("area-")
        if data.get("status"):
            found["status"] = data["status"]
        return {k: v for k, v in found.items() if v not in (None, "")}


def _featured(partnership):
    ids = FeaturedOrganisation.objects.filter(case_study__partnership=partnership).values("organisation")
    return Organisation.objects.filter(pk__in=ids).order_by("name")
