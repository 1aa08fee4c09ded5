"""Partnership pages: who reaches what (anonymous, outsider, each role), and that each form
does what the person expects when it is filled in correctly."""

import datetime as dt
import html
import re
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from compact.activity.models import AuditEntry
from compact.geography.models import AreaKind
from compact.organisations.models import Organisation, OrganisationIdentifier, OrganisationKind, SizeBand
from compact.partnerships import services
from compact.partnerships.models import Body, BodyMember, Invitation, Membership, Partnership, Role
from tests.factories import (
    AreaFactory,
    BodyFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipOrganisationFactory,
    UserFactory,
    field_errors,
    invitation_for,
    member,
    png_upload,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role.values)
CONVENOR = [Role.CONVENOR]
ORGANISERS = [Role.CONVENOR, Role.FACILITATOR]


@pytest.fixture
def objs(partnership, people):
    org = OrganisationFactory(org_id="GB-CHC-1090095", name="Age UK Lewisham")
    PartnershipOrganisationFactory(partnership=partnership, organisation=org)
    body = BodyFactory(partnership=partnership, name="Leadership group")
    BodyMember.objects.create(body=body, user=people["member"])
    invitation, token = invitation_for(partnership, by=people["convenor"], email="newcomer@example.org")
    membership = Membership.objects.get(partnership=partnership, user=people["observer"])
    return SimpleNamespace(org=org, body=body, invitation=invitation, token=token, membership=membership)


def page_urls(slug, o):
    """(name, url, allowed roles for GET) for every GET page in partnerships/urls.py."""
    return [
        ("partnership_edit", reverse("partnership_edit", args=[slug]), CONVENOR),
        ("organisation_directory", reverse("organisation_directory", args=[slug]), ALL_ROLES),
        ("organisation_create", reverse("organisation_create", args=[slug]), ORGANISERS),
        ("organisation_detail", reverse("organisation_detail", args=[slug, o.org.org_id]), ALL_ROLES),
        ("organisation_edit", reverse("organisation_edit", args=[slug, o.org.org_id]), ORGANISERS),
        ("partnership_people", reverse("partnership_people", args=[slug]), ALL_ROLES),
        ("invite", reverse("invite", args=[slug]), CONVENOR),
        ("membership_edit", reverse("membership_edit", args=[slug, o.membership.pk]), CONVENOR),
        ("body_create", reverse("body_create", args=[slug]), CONVENOR),
        ("body_detail", reverse("body_detail", args=[slug, o.body.pk]), ALL_ROLES),
        ("body_edit", reverse("body_edit", args=[slug, o.body.pk]), CONVENOR),
        ("audit_log", reverse("audit_log", args=[slug]), CONVENOR),
    ]


def post_urls(slug, o):
    """(name, url, allowed roles for POST) for every URL that takes a POST."""
    return [
        ("partnership_edit", reverse("partnership_edit", args=[slug]), CONVENOR),
        ("organisation_create", reverse("organisation_create", args=[slug]), ORGANISERS),
        ("organisation_detail", reverse("organisation_detail", args=[slug, o.org.org_id]), ORGANISERS),
        ("organisation_edit", reverse("organisation_edit", args=[slug, o.org.org_id]), ORGANISERS),
        ("invite", reverse("invite", args=[slug]), CONVENOR),
        ("invitation_revoke", reverse("invitation_revoke", args=[slug, o.invitation.pk]), CONVENOR),
        ("membership_edit", reverse("membership_edit", args=[slug, o.membership.pk]), CONVENOR),
        ("body_create", reverse("body_create", args=[slug]), CONVENOR),
        ("body_detail", reverse("body_detail", args=[slug, o.body.pk]), CONVENOR),
        ("body_edit", reverse("body_edit", args=[slug, o.body.pk]), CONVENOR),
    ]


POST_ONLY = {"invitation_revoke"}


def body_text(response):
    return html.unescape(response.content.decode())


# Access ---------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in_from_every_partnership_page(client, partnership, objs):
    login = reverse("account_login")
    urls = (
        page_urls(partnership.slug, objs)
        + post_urls(partnership.slug, objs)
        + [("partnership_create", reverse("partnership_create"), None)]
    )
    for name, url, _ in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(f"{login}?next="), (name, method)
    assert Partnership.objects.count() == 1
    assert Invitation.objects.get(pk=objs.invitation.pk).status == "pending"


def test_outsider_gets_404_everywhere_even_for_objects_that_exist(client, partnership, people, objs):
    client.force_login(people["outsider"])
    before = AuditEntry.objects.count()
    for name, url, _ in page_urls(partnership.slug, objs):
        response = client.get(url)
        assert response.status_code == 404, name
        assert partnership.name not in response.content.decode(), name
        assert "Page not found" in response.content.decode()
    for name, url, _ in post_urls(partnership.slug, objs):
        response = client.post(url, {"name": "Taken over", "role": "convenor", "remove": "1", "email": "x@example.org"})
        assert response.status_code == 404, name
    assert AuditEntry.objects.count() == before
    assert Membership.objects.filter(user=people["outsider"]).count() == 0


def _masked(response, url):
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode().replace(url, ""))


def test_outsider_cannot_tell_real_partnerships_from_made_up_ones(client, partnership, people, objs):
    """Same status and page for a partnership that exists and one that does not."""
    client.force_login(people["outsider"])
    made_up = SimpleNamespace(
        org=SimpleNamespace(org_id="GB-CHC-9999999"),
        body=SimpleNamespace(pk=999999),
        membership=SimpleNamespace(pk=999999),
        invitation=SimpleNamespace(pk=999999),
    )
    real = page_urls(partnership.slug, objs) + post_urls(partnership.slug, objs)
    fake = page_urls("no-such-partnership", made_up) + post_urls("no-such-partnership", made_up)
    for (name, real_url, _), (_, fake_url, _) in zip(real, fake, strict=True):
        for method in ("get", "post"):
            a, b = getattr(client, method)(real_url), getattr(client, method)(fake_url)
            assert a.status_code == b.status_code, (name, method)
            assert a.status_code in (404, 405), (name, method)
            if a.status_code == 404:
                assert _masked(a, real_url) == _masked(b, fake_url), name


def test_member_of_another_partnership_cannot_reach_its_objects_through_their_own(client, partnership, people, objs):
    other = PartnershipFactory(name="North Central London", slug="north-central-london")
    outsider_convenor = member(other, Role.CONVENOR)
    client.force_login(outsider_convenor)
    for name, url, _ in page_urls(other.slug, objs):
        if name in {"organisation_detail", "organisation_edit", "membership_edit", "body_detail", "body_edit"}:
            assert client.get(url).status_code == 404, name
    url = reverse("invitation_revoke", args=[other.slug, objs.invitation.pk])
    assert client.post(url).status_code == 404
    assert Invitation.objects.get(pk=objs.invitation.pk).status == "pending"


@pytest.mark.parametrize("index", range(12))
def test_each_role_gets_200_or_a_friendly_403_on_each_page(client, partnership, people, objs, index):
    name, url, allowed = page_urls(partnership.slug, objs)[index]
    for role in ALL_ROLES:
        client.force_login(people[role])
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (name, role)
        else:
            assert response.status_code == 403, (name, role)
            text = body_text(response)
            assert "You cannot do this" in text
            assert "does not allow" in text


@pytest.mark.parametrize("index", range(10))
def test_roles_without_the_right_get_403_on_post_and_nothing_changes(client, partnership, people, objs, index):
    name, url, allowed = post_urls(partnership.slug, objs)[index]
    for role in ALL_ROLES:
        if role in allowed:
            continue
        client.force_login(people[role])
        before = AuditEntry.objects.count()
        response = client.post(
            url,
            {
                "name": "Changed",
                "value": "GB-COH-04324531",
                "role": "convenor",
                "remove": "1",
                "user": people[role].pk,
                "email": "sneaky@example.org",
                "kind": "other",
            },
        )
        assert response.status_code == 403, (name, role)
        assert "You cannot do this" in body_text(response)
        assert AuditEntry.objects.count() == before, (name, role)


def test_post_only_urls_refuse_get(client, partnership, people, objs):
    client.force_login(people["convenor"])
    assert client.get(reverse("invitation_revoke", args=[partnership.slug, objs.invitation.pk])).status_code == 405


def test_anyone_signed_in_can_open_create_partnership(client, people):
    client.force_login(people["outsider"])
    assert client.get(reverse("partnership_create")).status_code == 200


def test_organisation_in_directory_but_not_in_partnership_is_404(client, partnership, people):
    elsewhere = OrganisationFactory(org_id="GB-CHC-1234567")
    client.force_login(people["convenor"])
    assert client.get(reverse("organisation_detail", args=[partnership.slug, elsewhere.org_id])).status_code == 404
    assert client.get(reverse("organisation_edit", args=[partnership.slug, elsewhere.org_id])).status_code == 404


def test_unknown_objects_inside_a_partnership_are_404(client, partnership, people):
    client.force_login(people["convenor"])
    for url in [
        reverse("organisation_detail", args=[partnership.slug, "GB-CHC-7777777"]),
        reverse("body_detail", args=[partnership.slug, 987654]),
        reverse("body_edit", args=[partnership.slug, 987654]),
        reverse("membership_edit", args=[partnership.slug, 987654]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("invitation_revoke", args=[partnership.slug, 987654])).status_code == 404


# Partnerships ---------------------------------------------------------------------------


def _place(name="Lewisham", code="E09000023", kind=AreaKind.BOROUGH):
    return AreaFactory(name=name, code=code, kind=kind)


def test_create_partnership_makes_you_convenor(client, people):
    lewisham = _place()
    client.force_login(people["outsider"])
    response = client.post(
        reverse("partnership_create"),
        {
            "name": "Lewisham Health and Care Partners",
            "brand_name": "LHCP",
            "description": "We **work** together.",
            "places": [lewisham.pk],
            "brand_colour": "#1D4F7A",
            "logo": png_upload(),
            "logo_alt": "LHCP logo",
        },
        follow=True,
    )
    created = Partnership.objects.get(name="Lewisham Health and Care Partners")
    assert response.redirect_chain == [(reverse("partnership_detail", args=[created.slug]), 302)]
    assert "Lewisham Health and Care Partners has been created. You are its convenor." in body_text(response)
    assert created.slug == "lewisham-health-and-care-partners"
    assert created.brand_colour == "#1d4f7a"
    assert list(created.places.all()) == [lewisham]
    assert created.logo.name.startswith("logos/") and created.logo_alt == "LHCP logo"
    assert Membership.objects.get(partnership=created, user=people["outsider"]).role == Role.CONVENOR
    assert AuditEntry.objects.filter(action="partnership.create", partnership_id=created.pk).count() == 1
    assert 'alt="LHCP logo"' in response.content.decode()


def test_edit_partnership_saves_details_and_logo(client, partnership, people):
    client.force_login(people["convenor"])
    url = reverse("partnership_edit", args=[partnership.slug])
    response = client.post(
        url,
        {
            "name": "South East London ICS",
            "brand_name": "SEL",
            "description": "New text",
            "brand_colour": "#0b0c0c",
            "logo": png_upload("sel.png"),
            "logo_alt": "South East London ICS logo",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("partnership_detail", args=[partnership.slug]), 302)]
    assert "Partnership details saved." in body_text(response)
    partnership.refresh_from_db()
    assert (partnership.name, partnership.brand_name, partnership.brand_colour) == (
        "South East London ICS",
        "SEL",
        "#0b0c0c",
    )
    assert partnership.logo and partnership.logo_alt == "South East London ICS logo"
    assert 'alt="South East London ICS logo"' in response.content.decode()
    entry = AuditEntry.objects.get(action="partnership.update")
    assert entry.changes["name"] == ["South East London", "South East London ICS"]
    assert entry.changes["logo"] == ["", "new logo"]

    # The edit page shows the current logo and a box to remove it.
    page = client.get(url)
    assert 'name="remove_logo"' in page.content.decode()
    client.post(url, {"name": "South East London ICS", "brand_colour": "#0b0c0c", "remove_logo": "1", "logo_alt": ""})
    partnership.refresh_from_db()
    assert not partnership.logo


# Organisations --------------------------------------------------------------------------


def test_add_organisation(client, partnership, people):
    lewisham = _place()
    client.force_login(people["facilitator"])
    response = client.post(
        reverse("organisation_create", args=[partnership.slug]),
        {
            "org_id": " gb-chc-1090095 ",
            "name": "Age UK Lewisham",
            "kind": OrganisationKind.VCSE,
            "size_band": SizeBand.MEDIUM,
            "website": "www.ageuk.org.uk/lewisham",
            "description": "Older people",
            "places_served": [lewisham.pk],
        },
        follow=True,
    )
    org = Organisation.objects.get(org_id="GB-CHC-1090095")
    assert response.redirect_chain == [(reverse("organisation_detail", args=[partnership.slug, org.org_id]), 302)]
    assert "Age UK Lewisham has been added." in body_text(response)
    assert org.website == "https://www.ageuk.org.uk/lewisham"
    assert list(org.places_served.all()) == [lewisham]
    assert partnership.organisations.filter(pk=org.pk).exists()
    assert AuditEntry.objects.filter(action="organisation.create", partnership_id=partnership.pk).exists()


def test_edit_organisation_and_add_identifier(client, partnership, people, objs):
    client.force_login(people["convenor"])
    response = client.post(
        reverse("organisation_edit", args=[partnership.slug, objs.org.org_id]),
        {
            "org_id": objs.org.org_id,
            "name": "Age UK Lewisham and Southwark",
            "kind": OrganisationKind.VCSE,
            "size_band": SizeBand.LARGE,
            "website": "",
            "description": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("organisation_detail", args=[partnership.slug, objs.org.org_id]), 302)]
    assert "Organisation details saved." in body_text(response)
    objs.org.refresh_from_db()
    assert (objs.org.name, objs.org.size_band) == ("Age UK Lewisham and Southwark", SizeBand.LARGE)

    detail = reverse("organisation_detail", args=[partnership.slug, objs.org.org_id])
    response = client.post(detail, {"value": "gb-coh-04324531"}, follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert "Identifier added." in body_text(response)
    assert OrganisationIdentifier.objects.filter(organisation=objs.org, value="GB-COH-04324531").exists()
    assert "GB-COH-04324531" in response.content.decode()


# People and invitations -----------------------------------------------------------------


def test_invite_sends_an_email_with_a_working_link(client, partnership, people, objs):
    client.force_login(people["convenor"])
    response = client.post(
        reverse("invite", args=[partnership.slug]),
        {
            "email": "Robin@Example.org",
            "role": Role.FACILITATOR,
            "organisation": objs.org.pk,
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("partnership_people", args=[partnership.slug]), 302)]
    assert "Invitation sent to robin@example.org. The link works for 14 days." in body_text(response)
    invitation = Invitation.objects.get(email="robin@example.org")
    assert (invitation.role, invitation.organisation, invitation.status) == (Role.FACILITATOR, objs.org, "pending")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["robin@example.org"]
    assert partnership.name in message.subject
    link = re.search(r"http://testserver(/invitations/[A-Za-z0-9_-]+/)", message.body)
    assert link, message.body
    assert invitation.token_hash not in message.body

    client.logout()
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert f"Join {partnership.name}" in body_text(page)
    assert "Create your account" in body_text(page)


def test_withdraw_invitation(client, partnership, people, objs):
    client.force_login(people["convenor"])
    response = client.post(reverse("invitation_revoke", args=[partnership.slug, objs.invitation.pk]), follow=True)
    assert response.redirect_chain == [(reverse("partnership_people", args=[partnership.slug]), 302)]
    assert "The invitation to newcomer@example.org has been withdrawn." in body_text(response)
    assert Invitation.objects.get(pk=objs.invitation.pk).status == "revoked"


def test_change_role_and_remove_member(client, partnership, people, objs):
    client.force_login(people["convenor"])
    url = reverse("membership_edit", args=[partnership.slug, objs.membership.pk])
    response = client.post(url, {"role": Role.MEMBER, "organisation": objs.org.pk}, follow=True)
    assert response.redirect_chain == [(reverse("partnership_people", args=[partnership.slug]), 302)]
    assert f"{people['observer']}'s role has been saved." in body_text(response)
    objs.membership.refresh_from_db()
    assert (objs.membership.role, objs.membership.organisation) == (Role.MEMBER, objs.org)

    response = client.post(url, {"remove": "1"}, follow=True)
    assert response.redirect_chain == [(reverse("partnership_people", args=[partnership.slug]), 302)]
    assert f"{people['observer']} has been removed from the partnership." in body_text(response)
    assert not Membership.objects.filter(pk=objs.membership.pk).exists()
    assert AuditEntry.objects.filter(action="membership.remove").exists()

    # The removed person is now an outsider.
    client.force_login(people["observer"])
    assert client.get(reverse("partnership_detail", args=[partnership.slug])).status_code == 404


def test_removing_a_member_also_takes_them_out_of_groups(client, partnership, people, objs):
    client.force_login(people["convenor"])
    m = Membership.objects.get(partnership=partnership, user=people["member"])
    client.post(reverse("membership_edit", args=[partnership.slug, m.pk]), {"remove": "1"})
    assert not BodyMember.objects.filter(body=objs.body, user=people["member"]).exists()


# Invitation acceptance ------------------------------------------------------------------


def test_new_person_creates_an_account_and_joins(client, partnership, objs):
    url = reverse("invitation_accept", args=[objs.token])
    assert "Create your account" in body_text(client.get(url))
    response = client.post(
        url,
        {"full_name": "  Nia Newcomer ", "password1": "plum-orchard-lantern", "password2": "plum-orchard-lantern"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("partnership_detail", args=[partnership.slug]), 302)]
    assert f"Welcome to Compact. You have joined {partnership.name}." in body_text(response)
    user = Membership.objects.get(partnership=partnership, user__email="newcomer@example.org").user
    assert user.full_name == "Nia Newcomer" and user.check_password("plum-orchard-lantern")
    assert response.context["user"] == user  # signed in
    assert user.emailaddress_set.get().verified
    assert Invitation.objects.get(pk=objs.invitation.pk).status == "accepted"
    # The link works once.
    client.logout()
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in body_text(again)


def test_signed_in_matching_person_accepts(client, partnership, people):
    person = UserFactory(email="kim@example.org")
    _, token = invitation_for(partnership, by=people["convenor"], email="kim@example.org", role=Role.OBSERVER)
    client.force_login(person)
    url = reverse("invitation_accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Accept and join" in body_text(page)
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(reverse("partnership_detail", args=[partnership.slug]), 302)]
    assert f"You have joined {partnership.name}." in body_text(response)
    assert Membership.objects.get(partnership=partnership, user=person).role == Role.OBSERVER


def test_signed_in_person_with_another_email_cannot_use_someone_elses_invitation(client, partnership, people, objs):
    client.force_login(people["outsider"])
    response = client.post(reverse("invitation_accept", args=[objs.token]))
    assert response.status_code == 409
    assert "This invitation is for newcomer@example.org" in body_text(response)
    assert not Membership.objects.filter(partnership=partnership, user=people["outsider"]).exists()
    assert Invitation.objects.get(pk=objs.invitation.pk).status == "pending"


def test_existing_account_holder_not_signed_in_is_asked_to_sign_in(client, partnership, people):
    sam = UserFactory(email="sam@example.org")
    _, token = invitation_for(partnership, by=people["convenor"], email="sam@example.org")
    url = reverse("invitation_accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Sign in to accept" in body_text(page)
    assert f'href="{reverse("account_login")}?next={url}"' in page.content.decode()
    # Posting a new password does not take over the account.
    response = client.post(
        url, {"full_name": "Mallory", "password1": "plum-orchard-lantern", "password2": "plum-orchard-lantern"}
    )
    assert response.status_code == 200 and "Sign in to accept" in body_text(response)
    assert not Membership.objects.filter(partnership=partnership, user__email="sam@example.org").exists()
    # After signing in with their own password they can accept.
    client.force_login(sam)
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(partnership=partnership, user__email="sam@example.org").exists()


def test_unusable_invitations_show_a_friendly_page(client, partnership, people):
    expired, expired_token = invitation_for(partnership, by=people["convenor"], email="late@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    revoked, revoked_token = invitation_for(partnership, by=people["convenor"], email="gone@example.org")
    services.invitation_revoke(invitation=revoked, actor=people["convenor"])
    used, used_token = invitation_for(partnership, by=people["convenor"], email="used@example.org")
    services.invitation_accept(token=used_token, user=UserFactory(email="used@example.org"))

    cases = [
        (expired_token, 410, "This invitation has expired"),
        (revoked_token, 410, "withdrawn or replaced"),
        (used_token, 410, "already been used"),
        ("not-a-real-token", 404, "This invitation link is not valid"),
        ("x" * 150, 404, "This invitation link is not valid"),
    ]
    for token, status, text in cases:
        for method in ("get", "post"):
            response = getattr(client, method)(
                reverse("invitation_accept", args=[token]),
                {"full_name": "X", "password1": "plum-orchard-lantern", "password2": "plum-orchard-lantern"},
            )
            assert response.status_code == status, (token, method)
            assert "This invitation cannot be used" in body_text(response)
            assert text in body_text(response)
    assert not Membership.objects.filter(user__email__in=["late@example.org", "gone@example.org"]).exists()


# Groups ---------------------------------------------------------------------------------


def test_create_and_edit_group(client, partnership, people):
    client.force_login(people["convenor"])
    response = client.post(
        reverse("body_create", args=[partnership.slug]),
        {
            "name": "Charter leadership group",
            "kind": "leadership",
            "description": "Agrees the vision.",
        },
        follow=True,
    )
    body = Body.objects.get(name="Charter leadership group")
    assert response.redirect_chain == [(reverse("body_detail", args=[partnership.slug, body.pk]), 302)]
    assert "Charter leadership group has been created." in body_text(response)

    response = client.post(
        reverse("body_edit", args=[partnership.slug, body.pk]),
        {
            "name": "ICP board",
            "kind": "governance",
            "description": "",
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("body_detail", args=[partnership.slug, body.pk]), 302)]
    assert "Group details saved." in body_text(response)
    body.refresh_from_db()
    assert (body.name, body.kind) == ("ICP board", "governance")


def test_add_and_remove_group_member(client, partnership, people, objs):
    client.force_login(people["convenor"])
    url = reverse("body_detail", args=[partnership.slug, objs.body.pk])
    response = client.post(url, {"user": people["facilitator"].pk, "organisation": objs.org.pk}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert f"{people['facilitator']} has joined Leadership group." in body_text(response)
    bm = BodyMember.objects.get(body=objs.body, user=people["facilitator"])
    assert bm.organisation == objs.org

    response = client.post(url, {"remove_member": bm.pk}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert f"{people['facilitator']} has left Leadership group." in body_text(response)
    assert not BodyMember.objects.filter(pk=bm.pk).exists()
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="body.")][:2] == [
        "body.remove_member",
        "body.add_member",
    ]


def test_removing_a_member_of_another_group_is_404(client, partnership, people, objs):
    other = BodyFactory(partnership=partnership, name="Board")
    stranger = BodyMember.objects.create(body=other, user=people["facilitator"])
    client.force_login(people["convenor"])
    response = client.post(
        reverse("body_detail", args=[partnership.slug, objs.body.pk]), {"remove_member": stranger.pk}
    )
    assert response.status_code == 404
    assert BodyMember.objects.filter(pk=stranger.pk).exists()


# Audit log ------------------------------------------------------------------------------


def _entries_at(when, fn):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return fn()


def test_audit_log_filters(client, partnership, people, objs):
    old = timezone.now() - dt.timedelta(days=30)
    _entries_at(
        old,
        lambda: services.body_create(partnership=partnership, actor=people["convenor"], name="Old group", kind="other"),
    )
    services.partnership_organisation_create(
        partnership=partnership,
        actor=people["facilitator"],
        org_id="GB-CHC-1234567",
        name="Food bank",
        kind="vcse",
    )
    client.force_login(people["convenor"])
    url = reverse("audit_log", args=[partnership.slug])

    everything = client.get(url)
    assert everything.status_code == 200
    total = everything.context["page"].paginator.count
    assert total == AuditEntry.objects.filter(partnership_id=partnership.pk).count() >= 3

    by_action = client.get(url, {"action": "body.create"})
    assert [e.action for e in by_action.context["page"].object_list] == ["body.create"]

    by_person = client.get(url, {"actor": people["facilitator"].pk})
    assert {e.actor for e in by_person.context["page"].object_list} == {people["facilitator"]}
    assert by_person.context["page"].paginator.count == 1

    today = timezone.localdate()
    recent = client.get(url, {"since": (today - dt.timedelta(days=1)).isoformat()})
    assert recent.context["page"].paginator.count == total - 1
    older = client.get(url, {"until": (today - dt.timedelta(days=10)).isoformat()})
    assert [e.object_repr for e in older.context["page"].object_list] == ["Old group"]
    window = client.get(
        url,
        {"since": (today - dt.timedelta(days=31)).isoformat(), "until": (today - dt.timedelta(days=29)).isoformat()},
    )
    assert window.context["page"].paginator.count == 1

    backwards = client.get(url, {"since": today.isoformat(), "until": (today - dt.timedelta(days=3)).isoformat()})
    assert backwards.status_code == 200
    assert "There is a problem" in body_text(backwards)
    assert field_errors(backwards, "until") == ["The 'to' date must be the same as or after the 'from' date"]

    not_a_date = client.get(url, {"since": "yesterday"})
    assert not_a_date.status_code == 200 and field_errors(not_a_date, "since") == ["Enter a valid date."]


def test_only_convenors_reach_the_audit_log_and_its_menu_link(client, partnership, people):
    url = reverse("audit_log", args=[partnership.slug])
    for role in ALL_ROLES:
        client.force_login(people[role])
        assert client.get(url).status_code == (200 if role == Role.CONVENOR else 403), role
        overview = client.get(reverse("partnership_detail", args=[partnership.slug])).content.decode()
        assert (url in overview) == (role == Role.CONVENOR), role


def test_audit_log_shows_only_this_partnerships_entries(client, partnership, people):
    other = PartnershipFactory(name="Elsewhere")
    other_convenor = member(other, Role.CONVENOR)
    services.body_create(partnership=other, actor=other_convenor, name="Secret group", kind="other")
    client.force_login(people["convenor"])
    response = client.get(reverse("audit_log", args=[partnership.slug]))
    assert "Secret group" not in body_text(response)


# Directory ------------------------------------------------------------------------------


@pytest.fixture
def directory(partnership):
    lewisham, southwark = _place("Lewisham", "E09000023"), _place("Southwark", "E09000028")
    orgs = [
        OrganisationFactory(org_id="GB-CHC-1090095", name="Age UK Lewisham", kind="vcse", size_band="medium"),
        OrganisationFactory(
            org_id="GB-LAE-LEW", name="Lewisham Council", kind="local_authority", size_band="super_major"
        ),
        OrganisationFactory(
            org_id="GB-NHS-RJ1", name="Guy's and St Thomas'", kind="nhs_trust", size_band="super_major"
        ),
        OrganisationFactory(org_id="GB-CHC-1164021", name="Southwark Food Bank", kind="vcse", size_band="small"),
    ]
    for org, places in zip(orgs, [[lewisham], [lewisham], [southwark], [southwark, lewisham]], strict=True):
        org.places_served.set(places)
        PartnershipOrganisationFactory(partnership=partnership, organisation=org)
    OrganisationIdentifier.objects.create(organisation=orgs[3], value="GB-COH-09876543")
    OrganisationFactory(org_id="GB-CHC-1000001", name="Lewisham Elsewhere")  # not in this partnership
    return SimpleNamespace(lewisham=lewisham, southwark=southwark, orgs=orgs)


def _names(response):
    return [o.name for o in response.context["page"].object_list]


DIRECTORY_CASES = [
    ({}, ["Age UK Lewisham", "Guy's and St Thomas'", "Lewisham Council", "Southwark Food Bank"]),
    ({"q": "lewisham"}, ["Age UK Lewisham", "Lewisham Council"]),
    ({"q": "  LEWISHAM  "}, ["Age UK Lewisham", "Lewisham Council"]),
    ({"q": "GB-NHS-RJ1"}, ["Guy's and St Thomas'"]),
    ({"q": "1090095"}, ["Age UK Lewisham"]),
    ({"q": "GB-COH-0987"}, ["Southwark Food Bank"]),
    ({"q": "no such thing"}, []),
    ({"kind": "vcse"}, ["Age UK Lewisham", "Southwark Food Bank"]),
    ({"size": "super_major"}, ["Guy's and St Thomas'", "Lewisham Council"]),
    ({"place": "E09000028"}, ["Guy's and St Thomas'", "Southwark Food Bank"]),
    ({"place": "E09000023", "kind": "vcse"}, ["Age UK Lewisham", "Southwark Food Bank"]),
    ({"place": "E09000023", "kind": "vcse", "size": "small", "q": "food"}, ["Southwark Food Bank"]),
]


def test_directory_search_and_filters(client, partnership, people, directory):
    client.force_login(people["observer"])
    url = reverse("organisation_directory", args=[partnership.slug])
    for query, expected in DIRECTORY_CASES:
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert _names(response) == expected, query
        assert f"<strong>{len(expected)}</strong> organisation" in response.content.decode(), query
        assert ("Clear filters" in response.content.decode()) == bool(query), query


def test_directory_ignores_invalid_filters_without_error(client, partnership, people, directory):
    client.force_login(people["member"])
    response = client.get(
        reverse("organisation_directory", args=[partnership.slug]),
        {"kind": "spaceship", "place": "nowhere", "page": "abc"},
    )
    assert response.status_code == 200
    assert len(_names(response)) == 4


def test_directory_place_filter_offers_only_places_of_member_organisations(client, partnership, people, directory):
    _place("Bromley", "E09000006")
    client.force_login(people["member"])
    response = client.get(reverse("organisation_directory", args=[partnership.slug]))
    assert [c[0] for c in response.context["form"].fields["place"].choices] == ["", "E09000023", "E09000028"]


def test_directory_pagination_keeps_filters(client, partnership, people):
    for i in range(55):
        PartnershipOrganisationFactory(
            partnership=partnership, organisation=OrganisationFactory(name=f"Org {i:02d}", kind="vcse")
        )
    client.force_login(people["member"])
    url = reverse("organisation_directory", args=[partnership.slug])
    first = client.get(url, {"kind": "vcse"})
    assert len(_names(first)) == 50
    content = first.content.decode()
    assert "Page 1 of 2" in content
    assert 'href="?kind=vcse&amp;page=2"' in content
    second = client.get(url, {"kind": "vcse", "page": 2})
    assert _names(second) == [f"Org {i}" for i in range(50, 55)]
    assert "Page 2 of 2" in second.content.decode()
    beyond = client.get(url, {"page": 99})
    assert beyond.context["page"].number == 2


def test_directory_htmx_request_returns_only_the_results(client, partnership, people, directory):
    client.force_login(people["member"])
    url = reverse("organisation_directory", args=[partnership.slug])
    full = client.get(url, {"q": "lewisham"}).content.decode()
    partial = client.get(url, {"q": "lewisham"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in full and 'id="directory-results"' in full
    assert "<html" not in partial and "<form" not in partial and "govuk-header" not in partial
    assert 'id="directory-results"' not in partial
    assert partial.lstrip().startswith('<p class="govuk-body" role="status">')
    assert "Age UK Lewisham" in partial and "Southwark Food Bank" not in partial


def test_directory_htmx_for_outsider_is_still_404(client, partnership, people, directory):
    client.force_login(people["outsider"])
    response = client.get(reverse("organisation_directory", args=[partnership.slug]), headers={"HX-Request": "true"})
    assert response.status_code == 404
