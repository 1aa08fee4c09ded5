"""The dashboard and the partnership overview. They live here, the highest app so far,
because they show processes as well as partnerships (imports only go down)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from compact.partnerships import selectors as partnership_selectors
from compact.partnerships.navigation import partnership_context

from .. import selectors
from ..dashboard import attention_for


@login_required
def dashboard(request):
    user = request.user
    processes = list(selectors.processes_for_user(user))
    return render(
        request,
        "processes/dashboard.html",
        {
            "page_title_text": "Dashboard",
            "partnerships": partnership_selectors.partnerships_for_user(user),
            "processes": processes,
            "attention": selectors.stages_needing_attention(user, processes=processes),
            "from_apps": attention_for(user),
            "invitations": partnership_selectors.invitations_for_email(email=user.email),
            "roles": partnership_selectors.roles_for_user(user),
        },
    )


@login_required
def partnership_detail(request, slug):
    partnership = partnership_selectors.partnership_get_for_user(slug=slug, user=request.user)
    overview = partnership_selectors.partnership_overview(partnership=partnership)
    user = request.user
    return render(
        request,
        "partnerships/partnership_detail.html",
        partnership_context(
            request,
            partnership,
            "overview",
            page_title_text="Overview",
            processes=selectors.processes_for_partnership(partnership=partnership),
            can_change=user.has_perm("partnerships.change_partnership", partnership),
            can_add_process=user.has_perm("partnerships.add_process", partnership),
            can_manage_bodies=user.has_perm("partnerships.manage_bodies", partnership),
            **overview,
        ),
    )
