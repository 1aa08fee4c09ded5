from django.urls import path

from .views import key_areas, overview, process

urlpatterns = [
    path("dashboard/", overview.dashboard, name="dashboard"),
    path("p/<slug:slug>/", overview.partnership_detail, name="partnership_detail"),
    path("p/<slug:slug>/processes/new/", process.process_create, name="process_create"),
    path("p/<slug:slug>/processes/<slug:process_slug>/", process.process_detail, name="process_detail"),
    path("p/<slug:slug>/processes/<slug:process_slug>/edit/", process.process_edit, name="process_edit"),
    path("p/<slug:slug>/processes/<slug:process_slug>/timeline/", process.timeline_edit, name="timeline_edit"),
    path("p/<slug:slug>/processes/<slug:process_slug>/stages/", process.stages_edit, name="stages_edit"),
    path("p/<slug:slug>/processes/<slug:process_slug>/settings/", process.process_settings, name="process_settings"),
    path(
        "p/<slug:slug>/processes/<slug:process_slug>/stages/<int:stage_id>/start/",
        process.stage_change,
        {"action": "start"},
        name="stage_start",
    ),
    path(
        "p/<slug:slug>/processes/<slug:process_slug>/stages/<int:stage_id>/finish/",
        process.stage_change,
        {"action": "finish"},
        name="stage_finish",
    ),
    path("p/<slug:slug>/processes/<slug:process_slug>/key-areas/", key_areas.key_areas, name="key_areas"),
    path(
        "p/<slug:slug>/processes/<slug:process_slug>/key-areas/<int:pk>/edit/",
        key_areas.key_area_edit,
        name="key_area_edit",
    ),
    *[
        path(
            f"p/<slug:slug>/processes/<slug:process_slug>/key-areas/<int:pk>/{action}/",
            key_areas.key_area_change,
            {"action": action},
            name=f"key_area_{action}",
        )
        for action in ("up", "down", "remove")
    ],
]
