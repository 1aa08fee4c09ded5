from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from compact.core.forms import GDSFormMixin, post_data

from .notifications import KINDS, preferences_for, set_preferences


class NotificationForm(GDSFormMixin, forms.Form):
    submit_label = "Save email choices"
    kinds = forms.MultipleChoiceField(
        label="Email me when", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Untick anything you do not want. Invitations and sign-in emails always come.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(k.key, f"{k.label} – {k.description}") for k in KINDS.values()]


@login_required
def notification_settings(request):
    current = preferences_for(request.user)
    form = NotificationForm(post_data(request), initial={"kinds": [k for k, on in current.items() if on]})
    if request.method == "POST" and form.is_valid():
        set_preferences(user=request.user, enabled=set(form.cleaned_data["kinds"]))
        messages.success(request, "Your email choices have been saved.")
        return redirect("notification_settings")
    return render(
        request, "activity/notification_settings.html", {"form": form, "page_title_text": "Email notifications"}
    )
