from django.urls import path

from .views import contributors, detail, editing, exports, files, library, workflow

CS = "p/<slug:slug>/case-studies/<int:pk>/"
MINE = "contribute/<int:pk>/"

urlpatterns = [
    path("p/<slug:slug>/case-studies/", library.casestudy_library, name="casestudy_library"),
    path("p/<slug:slug>/case-studies/new/", editing.casestudy_create, name="casestudy_create"),
    path("p/<slug:slug>/case-studies/export/", exports.casestudy_export, name="casestudy_export"),
    path("p/<slug:slug>/case-studies/invite/", contributors.contributor_invite, name="casestudy_invite"),
    path("p/<slug:slug>/case-studies/plus-groups/", contributors.plus_groups, name="casestudy_plus_groups"),
    path(CS, detail.casestudy_detail, name="casestudy_detail"),
    path(CS + "edit/", editing.casestudy_edit, name="casestudy_edit"),
    path(CS + "anonymised/", editing.casestudy_anonymise, name="casestudy_anonymise"),
    path(CS + "people/", editing.casestudy_people, name="casestudy_people"),
    path(CS + "media/", editing.casestudy_media, name="casestudy_media"),
    path(CS + "media/<int:media_pk>/", editing.casestudy_media_describe, name="casestudy_media_describe"),
    path(CS + "submit/", editing.casestudy_submit, name="casestudy_submit"),
    path(CS + "review/", workflow.casestudy_review, name="casestudy_review"),
    path(CS + "publish/", workflow.casestudy_publish, name="casestudy_publish"),
    path(CS + "withdraw/", workflow.casestudy_withdraw, name="casestudy_withdraw"),
    path(CS + "consent/", workflow.consent_record, name="casestudy_consent"),
    path(CS + "consent/<int:consent_pk>/withdraw/", workflow.consent_withdraw, name="casestudy_consent_withdraw"),
    path(CS + "<str:action>/", workflow.casestudy_action, name="casestudy_action"),
    path("case-study-files/<int:media_pk>/", files.media_file, name="casestudy_file"),
    path("public/<slug:slug>/case-studies/", library.public_library, name="public_case_studies"),
    path("public/<slug:slug>/case-studies/<int:pk>/", library.public_detail, name="public_case_study"),
    path("contribute/start/<str:token>/", contributors.contribute_start, name="contribute_start"),
    path("contribute/return/<str:token>/", contributors.contribute_return, name="contribute_return"),
    path(MINE, detail.contribute_detail, name="contribute_detail"),
    path(MINE + "edit/", editing.contribute_edit, name="contribute_edit"),
    path(MINE + "people/", editing.contribute_people, name="contribute_people"),
    path(MINE + "media/", editing.contribute_media, name="contribute_media"),
    path(MINE + "media/<int:media_pk>/", editing.contribute_media_describe, name="contribute_media_describe"),
    path(MINE + "submit/", editing.contribute_submit, name="contribute_submit"),
]
