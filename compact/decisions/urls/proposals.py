from django.urls import path

from ..views import log, proposals

urlpatterns = [
    path("p/<slug:slug>/decisions/", log.decision_log, name="decision_log"),
    path("p/<slug:slug>/decisions/decisions.csv", log.decision_log_csv, name="decision_log_csv"),
    path("p/<slug:slug>/decisions/decisions.pdf", log.decision_log_pdf, name="decision_log_pdf"),
    path("p/<slug:slug>/decisions/new/", proposals.proposal_create, name="proposal_create"),
    path("p/<slug:slug>/decisions/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("p/<slug:slug>/decisions/<int:pk>/vote/", proposals.proposal_vote, name="proposal_vote"),
    path("p/<slug:slug>/decisions/<int:pk>/close/", proposals.proposal_close, name="proposal_close"),
    path("p/<slug:slug>/decisions/<int:pk>/withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("p/<slug:slug>/decisions/<int:pk>/outcome/", proposals.proposal_outcome, name="proposal_outcome"),
]
