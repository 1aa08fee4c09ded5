from django.shortcuts import redirect, render


def home(request):
    """Signed-in people go to their dashboard; everyone else sees what Compact is."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html", {"page_title_text": "Plan, agree and keep your VCSE agreement"})


def accessibility(request):
    return render(request, "core/accessibility.html", {"page_title_text": "Accessibility statement"})
