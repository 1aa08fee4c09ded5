from django import forms
from django.core.validators import FileExtensionValidator

from compact.core.colour import validate_brand_colour
from compact.core.forms import DateInput, GDSFormMixin
from compact.core.validators import no_control_characters, single_line
from compact.geography.models import Area
from compact.geography.selectors import place_choices
from compact.organisations.models import Organisation, OrganisationKind, SizeBand
from compact.organisations.orgid import validate_org_id

from .models import BodyKind, DecisionRule, Position, Role, Voters

MAX_LOGO_BYTES = 1024 * 1024


class PlacesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple
    small_checkboxes = True

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class PartnershipForm(GDSFormMixin, forms.Form):
    name = forms.CharField(
        max_length=150,
        validators=[single_line],
        help_text="For example, South East London Integrated Care System",
    )
    brand_name = forms.CharField(
        label="Short name (optional)",
        max_length=80,
        required=False,
        validators=[single_line],
        help_text="Shown at the top of every page. For example, SEL ICS",
    )
    description = forms.CharField(
        label="About the partnership (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_control_characters],
    )
    places = PlacesField(
        queryset=Area.objects.none(),
        required=False,
        label="Places the partnership covers",
        help_text="Choose the integrated care board and boroughs",
    )
    brand_colour = forms.CharField(
        label="Brand colour",
        max_length=7,
        initial="#1d4f7a",
        validators=[validate_brand_colour],
        help_text="A hex code, like #1d4f7a. White text must be readable on it.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    logo = forms.ImageField(
        label="Logo (optional)",
        required=False,
        help_text="A PNG or JPEG, up to 1 MB",
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
    )
    logo_alt = forms.CharField(
        label="Describe the logo (needed with a logo)",
        max_length=200,
        required=False,
        validators=[single_line],
        help_text="For people who cannot see it. For example, South East London ICS logo",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = place_choices()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > MAX_LOGO_BYTES:
            raise forms.ValidationError("The logo must be 1 MB or smaller")
        return logo

    def clean_brand_colour(self):
        return self.cleaned_data["brand_colour"].lower()


class InviteForm(GDSFormMixin, forms.Form):
    submit_label = "Send invitation"
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        initial=Role.MEMBER,
        help_text="Convenors run the partnership. Facilitators run workshops and edit. Members take part. Observers can read.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Organisation they represent (optional)",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership.organisations.order_by("name")


class MembershipForm(GDSFormMixin, forms.Form):
    role = forms.ChoiceField(choices=Role.choices, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Organisation they represent (optional)"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partnership.organisations.order_by("name")


class BodyForm(GDSFormMixin, forms.Form):
    """A group and its terms of reference. Terms left out of a post keep their defaults."""

    name = forms.CharField(max_length=150, validators=[single_line], help_text="For example, Charter leadership group")
    kind = forms.ChoiceField(label="Type of group", choices=BodyKind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What the group does (optional)",
        validators=[no_control_characters],
    )
    quorum = forms.IntegerField(
        label="Quorum",
        required=False,
        min_value=0,
        max_value=500,
        initial=0,
        help_text="How many people must vote for a decision to count. Enter 0 if there is no quorum.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
    decision_rule = forms.ChoiceField(
        label="How much support a decision needs",
        required=False,
        choices=DecisionRule.choices,
        initial=DecisionRule.MAJORITY,
        widget=forms.RadioSelect,
        help_text="Consent decisions pass unless someone blocks them, whatever you choose here.",
    )
    casting_vote = forms.BooleanField(
        label="The chair or a co-chair decides a tie",
        required=False,
        help_text="Without a casting vote, a tied vote does not pass.",
    )
    voters = forms.ChoiceField(
        label="Who can vote",
        required=False,
        choices=Voters.choices,
        initial=Voters.BODY,
        widget=forms.RadioSelect,
    )
    allow_anonymous_votes = forms.BooleanField(
        label="Allow anonymous votes",
        required=False,
        help_text="The person opening a vote can choose to hide who voted for what.",
    )
    voting_hours = forms.IntegerField(
        label="How long votes stay open, in hours",
        required=False,
        min_value=1,
        max_value=2000,
        initial=48,
        help_text="The usual length of a vote. For example, 48 for two days. It can be changed for each vote.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )

    DEFAULTS = {"quorum": 0, "decision_rule": DecisionRule.MAJORITY, "voters": Voters.BODY, "voting_hours": 48}

    def clean(self):
        data = super().clean()
        for name, default in self.DEFAULTS.items():
            if name in data and data[name] in (None, ""):
                current = self.initial.get(name)
                data[name] = default if current in (None, "") else current
        return data


class BodyMemberForm(GDSFormMixin, forms.Form):
    submit_label = "Add to group"
    user = forms.ModelChoiceField(
        queryset=None,
        label="Person",
        help_text="Only members of the partnership can join",
        empty_label="Choose a person",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Representing (optional)"
    )
    position = forms.ChoiceField(
        label="Position",
        required=False,
        choices=Position.choices,
        initial=Position.MEMBER,
        widget=forms.RadioSelect,
        help_text="Chairs and co-chairs run meetings. Observers do not vote.",
    )
    starts_on = forms.DateField(
        label="Start date", required=False, widget=DateInput, help_text="Leave blank to start today"
    )
    ends_on = forms.DateField(
        label="End date (optional)", required=False, widget=DateInput, help_text="Leave blank while they serve"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        self.fields["starts_on"].initial = timezone.localdate()
        self.fields["user"].queryset = (
            get_user_model().objects.filter(memberships__partnership=partnership).order_by("full_name", "email")
        )
        self.fields["organisation"].queryset = partnership.organisations.order_by("name")

    def clean(self):
        data = super().clean()
        from django.utils import timezone

        if not data.get("position"):
            data["position"] = Position.MEMBER
        if "starts_on" in data and data["starts_on"] is None and not self.has_error("starts_on"):
            data["starts_on"] = timezone.localdate()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


class BodyMemberChangeForm(GDSFormMixin, forms.Form):
    """Change a member's position or dates."""

    submit_label = "Save membership"
    position = forms.ChoiceField(label="Position", choices=Position.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label="Start date", required=False, widget=DateInput)
    ends_on = forms.DateField(
        label="End date (optional)", required=False, widget=DateInput, help_text="Leave blank while they serve"
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return data


class OrganisationForm(GDSFormMixin, forms.Form):
    org_id = forms.CharField(
        label="Organisation identifier",
        max_length=60,
        validators=[validate_org_id],
        help_text="Scheme and number, like GB-CHC-1090095 (charity), GB-COH-04324531 (company), GB-NHS-QKK (NHS) or GB-LAE-LBH (council)",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    name = forms.CharField(max_length=200, validators=[single_line])
    kind = forms.ChoiceField(label="Type of organisation", choices=OrganisationKind.choices, widget=forms.RadioSelect)
    size_band = forms.ChoiceField(label="Size, by yearly income", choices=SizeBand.choices, required=False)
    website = forms.URLField(
        required=False, max_length=300, assume_scheme="https", help_text="For example, https://www.example.org.uk"
    )
    description = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What they do (optional)",
        validators=[no_control_characters],
    )
    places_served = PlacesField(queryset=Area.objects.none(), required=False, label="Places served")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places_served"].queryset = place_choices()

    def clean_org_id(self):
        return validate_org_id(self.cleaned_data["org_id"])


class IdentifierForm(GDSFormMixin, forms.Form):
    submit_label = "Add identifier"
    value = forms.CharField(
        label="Another identifier",
        max_length=60,
        help_text="For example, a company number for a charity that is also a company: GB-COH-04324531",
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or identifier", required=False, max_length=100)
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Any type")] + list(OrganisationKind.choices))
    place = forms.ChoiceField(label="Place", required=False)
    size = forms.ChoiceField(
        label="Size", required=False, choices=[("", "Any size")] + [c for c in SizeBand.choices if c[0]]
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [("", "Anywhere")] + [(a.code, a.name) for a in places]


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="What happened", required=False)
    actor = forms.ChoiceField(label="Who", required=False)
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, *args, actions, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Anything")] + [(a, a) for a in actions]
        self.fields["actor"].choices = [("", "Anyone")] + [(str(p.pk), str(p)) for p in people]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The 'to' date must be the same as or after the 'from' date")
        return data


class AcceptInvitationForm(GDSFormMixin, forms.Form):
    """For people without an account: the invitation proves their email address."""

    submit_label = "Create account and join"
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common words.",
    )
    password2 = forms.CharField(
        label="Confirm password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match")
        elif p1:
            user = get_user_model()(email=self.email, full_name=data.get("full_name", ""))
            try:
                validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
