from django.urls import path

from ..views import meetings as views

base = "p/<slug:slug>/groups/<int:body_id>/meetings/"
meeting = base + "<int:pk>/"

urlpatterns = [
    path(base + "new/", views.meeting_create, name="meeting_create"),
    path(meeting, views.meeting_detail, name="meeting_detail"),
    path(meeting + "edit/", views.meeting_edit, name="meeting_edit"),
    path(meeting + "delete/", views.meeting_delete, name="meeting_delete"),
    path(meeting + "agenda/<int:item_id>/remove/", views.agenda_item_remove, name="agenda_item_remove"),
    path(meeting + "agenda/<int:item_id>/move/", views.agenda_item_move, name="agenda_item_move"),
    path(meeting + "agenda/<int:item_id>/minutes/", views.agenda_item_minutes, name="agenda_item_minutes"),
    path(meeting + "papers/new/", views.paper_add, name="paper_add"),
    path(meeting + "papers/<int:paper_id>/", views.paper_download, name="paper_download"),
    path(meeting + "papers/<int:paper_id>/remove/", views.paper_remove, name="paper_remove"),
    path(meeting + "attendance/", views.meeting_attendance, name="meeting_attendance"),
]
