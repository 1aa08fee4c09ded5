from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from compact.core.forms import post_data, post_files
from compact.core.validation import save_if_valid

from .. import services
from ..forms import PartnershipForm
from .common import get_partnership, render_in


@login_required
def partnership_create(request):
    form = PartnershipForm(post_data(request), post_files(request))
    partnership = save_if_valid(request, form, lambda data: services.partnership_create(actor=request.user, **data))
    if partnership:
        messages.success(request, f"{partnership.name} has been created. You are its convenor.")
        return redirect("partnership_detail", partnership.slug)
    context = {"form": form, "page_title_text": "Create a partnership", "creating": True}
    return render(request, "partnerships/partnership_form.html", context)


@login_required
def partnership_edit(request, slug):
    partnership = get_partnership(request, slug, "partnerships.change_partnership")
    initial = {
        "name": partnership.name,
        "brand_name": partnership.brand_name,
        "description": partnership.description,
        "places": partnership.places.all(),
        "brand_colour": partnership.brand_colour,
        "logo_alt": partnership.logo_alt,
    }
    form = PartnershipForm(post_data(request), post_files(request), initial=initial)

    def save(data):
        clear_logo = bool(request.POST.get("remove_logo"))
        return services.partnership_update(partnership=partnership, actor=request.user, clear_logo=clear_logo, **data)

    if save_if_valid(request, form, save, refused=partnership.refresh_from_db):
        messages.success(request, "Partnership details saved.")
        return redirect("partnership_detail", partnership.slug)
    return render_in(
        request, "partnerships/partnership_form.html", partnership, "overview", "Edit partnership", form=form
    )
