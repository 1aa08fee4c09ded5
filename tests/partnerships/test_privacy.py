import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from compact.activity.models import AuditEntry
from compact.partnerships.models import Membership, Role
from compact.partnerships.privacy import ERASED_NAME, personal_data_export, user_erase
from compact.partnerships.services import body_add_member, body_create

from ..factories import BodyFactory


@pytest.mark.django_db
def test_export_holds_account_memberships_groups_and_activity(partnership, people):
    convenor, member = people[Role.CONVENOR], people[Role.MEMBER]
    body = body_create(partnership=partnership, actor=convenor, name="Leadership group", kind="leadership")
    body_add_member(body=body, actor=convenor, user=member)
    data = personal_data_export(user=convenor)
    assert data["account"]["email"] == convenor.email
    assert data["memberships"] == [
        {
            "partnership": "South East London",
            "role": "convenor",
            "organisation": "",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert [a["action"] for a in data["activity"]] == ["body.create", "body.add_member"]
    assert personal_data_export(user=member)["groups"][0]["group"] == "Leadership group"


@pytest.mark.django_db
def test_erase_anonymises_but_keeps_the_record(partnership, people):
    member, convenor = people[Role.MEMBER], people[Role.CONVENOR]
    body = BodyFactory(partnership=partnership)
    body_add_member(body=body, actor=convenor, user=member)
    old_email = member.email
    user_erase(user=member)
    member.refresh_from_db()
    assert member.full_name == ERASED_NAME and not member.is_active and not member.has_usable_password()
    assert old_email not in member.email
    assert not Membership.objects.filter(user=member).exists()
    assert not EmailAddress.objects.filter(email__iexact=old_email).exists()
    # The convenor's earlier audit entry about adding them still exists.
    assert AuditEntry.objects.filter(action="body.add_member", actor=convenor).exists()
    assert AuditEntry.objects.filter(action="user.erase", partnership_id=partnership.pk).count() == 1


@pytest.mark.django_db
def test_sole_convenor_cannot_erase_until_someone_else_convenes(partnership, people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="only convenor of South East London"):
        user_erase(user=people[Role.CONVENOR])
    assert Membership.objects.filter(user=people[Role.CONVENOR]).exists()


@pytest.mark.django_db
def test_your_data_page_downloads_json_and_erases_after_confirmation(client, people):
    member = people[Role.MEMBER]
    client.force_login(member)
    url = reverse("your_data")
    assert client.get(url).status_code == 200
    download = client.post(url, {"action": "download"})
    assert download["Content-Disposition"].startswith("attachment")
    assert json.loads(download.content)["account"]["email"] == member.email

    wrong = client.post(url, {"action": "erase", "confirm_email": "someone@else.org"})
    assert wrong.status_code == 200 and "Type your email address exactly" in wrong.content.decode()
    member.refresh_from_db()
    assert member.is_active

    done = client.post(url, {"action": "erase", "confirm_email": member.email.upper()}, follow=True)
    assert "Your account has been erased" in done.content.decode()
    member.refresh_from_db()
    assert not member.is_active
    assert client.get(reverse("dashboard")).status_code == 302  # signed out
