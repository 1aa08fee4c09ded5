from django.urls import path

from ..views import planning as views

process = "p/<slug:slug>/processes/<slug:process_slug>/workshops/"
workshop = process + "<slug:workshop_slug>/"
prompt = workshop + "prompts/<int:prompt_id>/"

urlpatterns = [
    path(process + "new/", views.workshop_create, name="workshop_create"),
    path(workshop, views.workshop_detail, name="workshop_detail"),
    path(workshop + "edit/", views.workshop_edit, name="workshop_edit"),
    path(prompt + "edit/", views.prompt_edit, name="prompt_edit"),
    path(prompt + "open/", views.prompt_state, {"action": "open"}, name="prompt_open"),
    path(prompt + "close/", views.prompt_state, {"action": "close"}, name="prompt_close"),
    *[
        path(workshop + f"{action}/", views.workshop_session, {"action": action}, name=f"workshop_{action}")
        for action in views.SESSION_ACTIONS
    ],
]
