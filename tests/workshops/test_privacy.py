"""A person's workshop data in "Your data": exported whole, and anonymised on erasure while
their ideas stay on the wall as the record of what the workshop heard."""

import uuid

import pytest

from compact.partnerships.models import Role
from compact.partnerships.privacy import ERASED_NAME, personal_data_export, user_erase
from compact.workshops.models import Idea, Participant, Registration
from compact.workshops.services.ideas import idea_submit
from compact.workshops.services.registration import registration_create_for_member

pytestmark = pytest.mark.django_db


def test_registrations_and_ideas_are_exported_then_anonymised(live_workshop, people, monkeypatch):
    from compact import theming

    monkeypatch.setattr(theming, "embed", lambda texts: (_ for _ in ()).throw(theming.EmbeddingUnavailable("x")))
    member = people[Role.MEMBER]
    registration_create_for_member(workshop=live_workshop, actor=member, access_needs="A hearing loop, please")
    idea_submit(workshop=live_workshop, prompt=live_workshop.prompts.first(), text="Pay small charities on time",
                idempotency_key=uuid.uuid4(), actor=member)  # fmt: skip

    data = personal_data_export(user=member)["workshops"]
    assert data["registrations"][0]["access_needs"] == "A hearing loop, please"
    assert data["ideas"] == [{**data["ideas"][0], "text": "Pay small charities on time", "anonymous": False}]

    user_erase(user=member)
    registration = Registration.objects.get(workshop=live_workshop)
    assert (registration.name, registration.access_needs) == (ERASED_NAME, "")
    assert registration.email == f"erased-{member.pk}@erased.invalid"
    idea = Idea.objects.get()
    assert idea.text == "Pay small charities on time" and idea.author_name == ERASED_NAME
    assert Participant.objects.get(user=member).display_name == ERASED_NAME
