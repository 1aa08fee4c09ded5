from django.urls import path

from . import views

urlpatterns = [
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("p/<slug:slug>/edit/", views.partnership_edit, name="partnership_edit"),
    path("p/<slug:slug>/organisations/", views.organisation_directory, name="organisation_directory"),
    path("p/<slug:slug>/organisations/new/", views.organisation_create, name="organisation_create"),
    path("p/<slug:slug>/organisations/<str:org_id>/", views.organisation_detail, name="organisation_detail"),
    path("p/<slug:slug>/organisations/<str:org_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("p/<slug:slug>/people/", views.partnership_people, name="partnership_people"),
    path("p/<slug:slug>/people/invite/", views.invite, name="invite"),
    path("p/<slug:slug>/people/invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("p/<slug:slug>/people/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("p/<slug:slug>/groups/new/", views.body_create, name="body_create"),
    path("p/<slug:slug>/groups/<int:pk>/", views.body_detail, name="body_detail"),
    path("p/<slug:slug>/groups/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("p/<slug:slug>/audit/", views.audit_log, name="audit_log"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("account/data/", views.your_data, name="your_data"),
]
