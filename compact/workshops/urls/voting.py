from django.urls import path

from ..views import voting

WORKSHOP = "p/<slug:slug>/processes/<slug:process_slug>/workshops/<slug:workshop_slug>/"

urlpatterns = [
    path(f"{WORKSHOP}vote/", voting.ballot, name="workshop_vote"),
    path(f"{WORKSHOP}voting/", voting.manage, name="workshop_voting"),
    path(f"{WORKSHOP}results/", voting.results, name="workshop_results"),
    path("join/<str:code>/vote/", voting.guest_ballot, name="workshop_guest_vote"),
]
