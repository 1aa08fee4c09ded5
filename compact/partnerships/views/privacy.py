import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ..privacy import personal_data_export, user_erase


@login_required
def your_data(request):
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "download":
            data = json.dumps(personal_data_export(user=request.user), indent=2, ensure_ascii=False)
            response = HttpResponse(data, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="compact-your-data.json"'
            return response
        if request.POST.get("action") == "erase":
            if (request.POST.get("confirm_email") or "").strip().lower() != request.user.email.lower():
                error = "Type your email address exactly as shown to confirm"
            else:
                try:
                    user_erase(user=request.user)
                except ValidationError as exc:
                    error = " ".join(exc.messages)
                else:
                    logout(request)
                    messages.success(
                        request, "Your account has been erased. What you contributed stays, without your name."
                    )
                    return redirect("home")
    return render(request, "partnerships/your_data.html", {"page_title_text": "Your data", "error": error}, status=200)
