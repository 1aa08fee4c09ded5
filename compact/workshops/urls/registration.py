from django.urls import path

from ..views import registration as views

W = "p/<slug:slug>/processes/<slug:process_slug>/workshops/<slug:workshop_slug>/"

urlpatterns = [
    path(f"{W}register/", views.workshop_register, name="workshop_register"),
    path(f"{W}register/cancel/", views.workshop_registration_cancel, name="workshop_registration_cancel"),
    path(f"{W}register/workshop.ics", views.workshop_registration_ics, name="workshop_registration_ics"),
    path(f"{W}registrations/", views.workshop_registrations, name="workshop_registrations"),
    path(f"{W}registrations/<int:pk>/cancel/", views.workshop_registration_remove, name="workshop_registration_remove"),
    path(f"{W}invite/", views.workshop_invite_guest, name="workshop_invite_guest"),
    path("workshops/guest/<str:token>/", views.workshop_guest_register, name="workshop_guest_register"),
    path("workshops/places/<str:token>/cancel/", views.workshop_guest_cancel, name="workshop_guest_cancel"),
]
