"""The library's search and filters. Choices come from the partnership, so a filter never
offers a tag that cannot match."""

from __future__ import annotations

from django import forms

from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.processes.models import KeyArea

from ..models import CaseStudy, ClinicalArea, FeaturedOrganisation, PlusGroup, Status, Version

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

    def __init__(self, *args, partnership, visible, show_status: bool, named_only: bool, **kwargs):
        """`visible`: the case studies this person may find. Places and organisations are offered
        only from those (and organisations only from named versions when `named_only`), so a
        choice never reveals a draft's place or whom an anonymised case study leaves out."""
        super().__init__(*args, **kwargs)
        key_areas = KeyArea.objects.filter(process__partnership=partnership).select_related("process")
        self.fields["key_area"].choices = [("", "Any key area")] + [
            (str(k.pk), f"{k.title} ({k.process.title})") for k in key_areas.order_by("process__title", "position")
        ]
        visible = CaseStudy.objects.filter(pk__in=visible.values("pk"))
        places = Area.objects.filter(case_studies__in=visible).distinct().order_by("name")
        self.fields["place"].choices = [("", "Anywhere")] + [(a.code, a.name) for a in places]
        if named_only:
            visible = visible.exclude(status=Status.PUBLISHED, published_version=Version.ANONYMISED)
        self.fields["organisation"].choices = [("", "Any organisation")] + [
            (o.org_id, o.name) for o in _featured(visible)
        ]
        self.fields["tag"].choices = tag_choices(partnership)
        if not show_status:
            del self.fields["status"]

    def filters(self) -> dict | None:
        """The selector's keyword arguments for what was chosen; None for a choice that is not
        on offer (an old or altered link), which matches nothing rather than everything."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
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


def _featured(case_studies):
    ids = FeaturedOrganisation.objects.filter(case_study__in=case_studies).values("organisation")
    return Organisation.objects.filter(pk__in=ids).order_by("name")
