from django.urls import path

from ..views import writeup

WORKSHOP = "p/<slug:slug>/processes/<slug:process_slug>/workshops/<slug:workshop_slug>/"

urlpatterns = [
    path(f"{WORKSHOP}write-up/", writeup.page, name="workshop_write_up"),
    path(f"{WORKSHOP}write-up/edit/", writeup.edit, name="workshop_write_up_edit"),
    path(f"{WORKSHOP}write-up/publish/", writeup.publish, name="workshop_write_up_publish"),
    path(f"{WORKSHOP}write-up.csv", writeup.download, {"fmt": "csv"}, name="workshop_write_up_csv"),
    path(f"{WORKSHOP}write-up.docx", writeup.download, {"fmt": "docx"}, name="workshop_write_up_docx"),
    path("write-ups/<str:token>/", writeup.guest, name="workshop_write_up_guest"),
]
