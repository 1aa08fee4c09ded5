from django.urls import path

from ..views import live

WALL = "p/<slug:slug>/processes/<slug:process_slug>/workshops/<slug:workshop_slug>/wall/"

urlpatterns = [
    path(WALL, live.wall, name="workshop_wall"),
    path(f"{WALL}projector/", live.projector, name="workshop_projector"),
    path(f"{WALL}ideas/<int:idea_id>/", live.idea_moderate, name="idea_moderate"),
    path("join/", live.join, name="workshop_join"),
    path("join/<str:code>/", live.join_code, name="workshop_join_code"),
]
