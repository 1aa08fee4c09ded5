from django.urls import path

from .views import overview, process

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
]
