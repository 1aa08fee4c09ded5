"""Partnership services: every write checks permission, validates, saves all-or-nothing and is audited."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from compact.activity.models import AuditEntry
from compact.organisations.models import Organisation, OrganisationIdentifier, OrganisationKind
from compact.organisations.services import organisation_add_identifier
from compact.partnerships import services
from compact.partnerships.models import (
    Body,
    BodyMember,
    Invitation,
    Membership,
    Partnership,
    PartnershipOrganisation,
    Role,
)
from compact.partnerships.selectors import roles_for_user
from compact.partnerships.services import InvitationUnusable

from ..factories import (
    AreaFactory,
    BodyFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipOrganisationFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Partnership,
    Membership,
    Invitation,
    Body,
    BodyMember,
    Organisation,
    OrganisationIdentifier,
    PartnershipOrganisation,
    AuditEntry,
]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def audit() -> list[tuple[str, int | None, int | None]]:
    """(action, actor id, partnership id) of every audit entry, oldest first."""
    return list(AuditEntry.objects.order_by("id").values_list("action", "actor_id", "partnership_id"))


def accept_url(token: str) -> str:
    return f"https://compact.example/invitations/{token}/"


def png(name="logo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#1d4f7a").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def convenor(people):
    return people[Role.CONVENOR]


# Partnerships ------------------------------------------------------------------------------


def test_create_makes_the_creator_convenor_and_is_audited(db):
    creator = UserFactory()
    roles_for_user(creator)  # cached as "no partnerships" before creating one
    places = [AreaFactory(name="Lambeth"), AreaFactory(name="Southwark")]
    partnership = services.partnership_create(
        actor=creator,
        name="  South West London  ",
        brand_colour="#1D70B8",
        places=places,
        description="About us",
    )
    assert partnership.name == "South West London"
    assert partnership.slug == "south-west-london"
    assert partnership.brand_colour == "#1d70b8"
    assert set(partnership.places.all()) == set(places)
    membership = Membership.objects.get(partnership=partnership)
    assert (membership.user, membership.role) == (creator, Role.CONVENOR)
    # The new role counts straight away, without signing in again.
    assert creator.has_perm("partnerships.change_partnership", partnership)
    assert audit() == [("partnership.create", creator.pk, partnership.pk)]
    changes = AuditEntry.objects.get().changes["after"]
    assert changes["name"] == "South West London"
    assert sorted(changes["places"]) == ["Lambeth", "Southwark"]


def test_slugs_stay_unique(db):
    creator = UserFactory()
    first = services.partnership_create(actor=creator, name="Health & Care")
    second = services.partnership_create(actor=creator, name="Health Care")
    third = services.partnership_create(actor=creator, name="Health: Care!")
    assert [first.slug, second.slug, third.slug] == ["health-care", "health-care-2", "health-care-3"]


def test_duplicate_name_refused_and_nothing_saved(partnership):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.partnership_create(actor=UserFactory(), name="South East London")
    assert "name" in info.value.message_dict
    assert counts() == before


@pytest.mark.parametrize("colour", ["#ffdd00", "#ffffff", "#777777"])
def test_brand_colour_without_enough_contrast_refused(db, colour):
    creator = UserFactory()
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.partnership_create(actor=creator, name="Bright", brand_colour=colour)
    [message] = info.value.message_dict["brand_colour"]
    assert message.startswith(f"White text on {colour} has a contrast of ")
    assert "Choose a darker colour: it needs at least 4.5 to 1" in message
    assert counts() == before


def test_logo_needs_a_description(db):
    creator = UserFactory()
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.partnership_create(actor=creator, name="With logo", logo=png())
    assert info.value.message_dict == {"logo_alt": ["Describe the logo for people who cannot see it"]}
    assert counts() == before

    partnership = services.partnership_create(actor=creator, name="With logo", logo=png(), logo_alt="Our logo")
    assert partnership.logo.name.startswith("logos/")
    assert partnership.logo_alt == "Our logo"


def test_anonymous_cannot_create_a_partnership(db):
    with pytest.raises(PermissionDenied):
        services.partnership_create(actor=AnonymousUser(), name="Nobody's")
    assert not Partnership.objects.exists()


def test_update_is_audited_with_the_changes_only(partnership, convenor):
    services.partnership_update(partnership=partnership, actor=convenor, brand_name=" SEL ", brand_colour="#0B0C0C")
    partnership.refresh_from_db()
    assert (partnership.brand_name, partnership.brand_colour) == ("SEL", "#0b0c0c")
    assert audit() == [("partnership.update", convenor.pk, partnership.pk)]
    assert AuditEntry.objects.get().changes == {"brand_name": ["", "SEL"], "brand_colour": ["#1d4f7a", "#0b0c0c"]}
    # Saving without changes records nothing.
    services.partnership_update(partnership=partnership, actor=convenor, brand_name="SEL")
    assert len(audit()) == 1


def test_update_refuses_low_contrast_and_non_convenors(partnership, people):
    before = counts()
    with pytest.raises(ValidationError):
        services.partnership_update(partnership=partnership, actor=people[Role.CONVENOR], brand_colour="#ffdd00")
    for role in (Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"):
        with pytest.raises(PermissionDenied):
            services.partnership_update(partnership=partnership, actor=people[role], name="Taken over")
    assert counts() == before
    partnership.refresh_from_db()
    assert (partnership.name, partnership.brand_colour) == ("South East London", "#1d4f7a")


# Invitations -------------------------------------------------------------------------------


def test_invitation_without_a_link_builder_sends_no_email(partnership, convenor):
    invitation, token = services.invitation_create(
        partnership=partnership,
        actor=convenor,
        email="  New.Person@Example.ORG ",
        role=Role.FACILITATOR,
    )
    assert invitation.email == "new.person@example.org"
    assert invitation.status == "pending"
    assert invitation.invited_by == convenor
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert mail.outbox == []
    assert audit() == [("invitation.create", convenor.pk, partnership.pk)]
    assert AuditEntry.objects.get().changes == {"email": "new.person@example.org", "role": "facilitator"}


def test_invitation_email_carries_the_one_time_link(partnership, convenor):
    _, token = services.invitation_create(
        partnership=partnership,
        actor=convenor,
        email="sam@example.org",
        role=Role.MEMBER,
        accept_url_builder=accept_url,
    )
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "You are invited to join South East London on Compact"
    assert accept_url(token) in message.body
    assert "within 14 days" in message.body
    assert "as member" in message.body


def test_accept_once(partnership, convenor):
    invitee = UserFactory(email="sam@example.org")
    organisation = OrganisationFactory()
    invitation, token = services.invitation_create(
        partnership=partnership,
        actor=convenor,
        email="Sam@Example.org",
        role=Role.OBSERVER,
        organisation=organisation,
    )
    membership = services.invitation_accept(token=token, user=invitee)
    assert (membership.user, membership.role, membership.organisation) == (invitee, Role.OBSERVER, organisation)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.accepted_by == invitee
    assert invitee.has_perm("partnerships.view_partnership", partnership)

    before = counts()
    with pytest.raises(InvitationUnusable) as info:
        services.invitation_accept(token=token, user=invitee)
    assert "already been used" in info.value.reason
    assert counts() == before
    assert audit() == [
        ("invitation.create", convenor.pk, partnership.pk),
        ("invitation.accept", invitee.pk, partnership.pk),
    ]


def test_accepted_link_cannot_be_used_by_someone_else(partnership, convenor):
    _, token = services.invitation_create(
        partnership=partnership, actor=convenor, email="sam@example.org", role=Role.MEMBER
    )
    services.invitation_accept(token=token, user=UserFactory(email="sam@example.org"))
    with pytest.raises(InvitationUnusable, match="already been used"):
        services.invitation_accept(token=token, user=UserFactory(email="other@example.org"))
    assert partnership.memberships.count() == len(Role.values) + 1


def test_expired_invitation_refused(partnership, convenor):
    invitee = UserFactory(email="late@example.org")
    invitation, token = services.invitation_create(
        partnership=partnership, actor=convenor, email=invitee.email, role=Role.MEMBER
    )
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    before = counts()
    with pytest.raises(InvitationUnusable) as info:
        services.invitation_accept(token=token, user=invitee)
    assert info.value.reason == "This invitation has expired. Ask the convenor who invited you to send a new one."
    assert counts() == before
    assert not partnership.memberships.filter(user=invitee).exists()


def test_revoked_invitation_refused(partnership, convenor):
    invitee = UserFactory(email="withdrawn@example.org")
    invitation, token = services.invitation_create(
        partnership=partnership, actor=convenor, email=invitee.email, role=Role.MEMBER
    )
    services.invitation_revoke(invitation=invitation, actor=convenor)
    with pytest.raises(InvitationUnusable, match="withdrawn or replaced"):
        services.invitation_accept(token=token, user=invitee)
    assert not partnership.memberships.filter(user=invitee).exists()
    with pytest.raises(ValidationError, match="Only a pending invitation"):
        services.invitation_revoke(invitation=invitation, actor=convenor)
    assert [a for a, _, _ in audit()] == ["invitation.create", "invitation.revoke"]


def test_only_a_convenor_can_revoke(partnership, people):
    invitation, _ = services.invitation_create(
        partnership=partnership,
        actor=people[Role.CONVENOR],
        email="x@example.org",
        role=Role.MEMBER,
    )
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(invitation=invitation, actor=people[Role.FACILITATOR])
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_wrong_signed_in_email_refused(partnership, convenor):
    invitation, token = services.invitation_create(
        partnership=partnership, actor=convenor, email="sam@example.org", role=Role.MEMBER
    )
    intruder = UserFactory(email="someone.else@example.org")
    before = counts()
    with pytest.raises(InvitationUnusable) as info:
        services.invitation_accept(token=token, user=intruder)
    assert "This invitation is for sam@example.org" in info.value.reason
    assert "You are signed in as someone.else@example.org" in info.value.reason
    assert counts() == before
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    # The right person can still use it.
    services.invitation_accept(token=token, user=UserFactory(email="sam@example.org"))


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 101])
def test_unknown_token_refused(partnership, token):
    with pytest.raises(InvitationUnusable, match="not valid"):
        services.invitation_accept(token=token, user=UserFactory())
    assert not AuditEntry.objects.exists()


def test_reinviting_replaces_the_earlier_pending_invitation(partnership, convenor):
    invitee = UserFactory(email="sam@example.org")
    first, first_token = services.invitation_create(
        partnership=partnership, actor=convenor, email="sam@example.org", role=Role.MEMBER
    )
    second, second_token = services.invitation_create(
        partnership=partnership, actor=convenor, email="SAM@example.org", role=Role.FACILITATOR
    )
    first.refresh_from_db()
    assert first.status == "revoked"
    assert second.status == "pending"
    assert list(partnership.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)) == [second]
    with pytest.raises(InvitationUnusable, match="replaced by a newer one"):
        services.invitation_accept(token=first_token, user=invitee)
    assert services.invitation_accept(token=second_token, user=invitee).role == Role.FACILITATOR
    assert [a for a, _, _ in audit()] == ["invitation.create", "invitation.create", "invitation.accept"]


def test_inviting_an_existing_member_refused(partnership, people):
    existing = people[Role.MEMBER]
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.invitation_create(
            partnership=partnership,
            actor=people[Role.CONVENOR],
            email=existing.email.upper(),
            role=Role.MEMBER,
            accept_url_builder=accept_url,
        )
    assert info.value.message_dict == {"email": [f"{existing.email} is already a member of this partnership"]}
    assert counts() == before
    assert mail.outbox == []


def test_inviting_with_an_unknown_role_refused(partnership, convenor):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.invitation_create(partnership=partnership, actor=convenor, email="a@example.org", role="admin")
    assert info.value.message_dict == {"role": ["Choose a role"]}
    assert counts() == before


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"])
def test_only_convenors_invite(partnership, people, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            partnership=partnership,
            actor=people[role],
            email="a@example.org",
            role=Role.CONVENOR,
            accept_url_builder=accept_url,
        )
    assert counts() == before
    assert mail.outbox == []


# Members -----------------------------------------------------------------------------------


def test_the_last_convenor_cannot_step_down(partnership, convenor):
    membership = partnership.memberships.get(user=convenor)
    before = counts()
    for role in (Role.FACILITATOR, Role.MEMBER, Role.OBSERVER):
        with pytest.raises(ValidationError, match="needs at least one convenor"):
            services.membership_update(membership=membership, actor=convenor, role=role)
    membership.refresh_from_db()
    assert membership.role == Role.CONVENOR
    assert counts() == before


def test_the_last_convenor_cannot_be_removed(partnership, convenor):
    membership = partnership.memberships.get(user=convenor)
    before = counts()
    with pytest.raises(ValidationError, match="needs at least one convenor"):
        services.membership_remove(membership=membership, actor=convenor)
    assert counts() == before
    assert partnership.memberships.filter(user=convenor, role=Role.CONVENOR).exists()


def test_with_a_second_convenor_one_can_step_down(partnership, people):
    convenor, facilitator = people[Role.CONVENOR], people[Role.FACILITATOR]
    services.membership_update(
        membership=partnership.memberships.get(user=facilitator), actor=convenor, role=Role.CONVENOR
    )
    services.membership_update(membership=partnership.memberships.get(user=convenor), actor=convenor, role=Role.MEMBER)
    assert dict(partnership.memberships.values_list("user", "role"))[convenor.pk] == Role.MEMBER
    assert audit() == [
        ("membership.update", convenor.pk, partnership.pk),
        ("membership.update", convenor.pk, partnership.pk),
    ]
    assert AuditEntry.objects.order_by("id").last().changes == {"role": ["convenor", "member"]}
    # And is no longer a convenor (on their next request, when roles are loaded afresh).
    convenor = type(convenor).objects.get(pk=convenor.pk)
    assert not convenor.has_perm("partnerships.manage_members", partnership)


def test_membership_update_without_a_change_is_not_audited(partnership, people):
    membership = partnership.memberships.get(user=people[Role.MEMBER])
    services.membership_update(membership=membership, actor=people[Role.CONVENOR], role=Role.MEMBER)
    assert audit() == []


def test_membership_update_refuses_unknown_roles_and_non_convenors(partnership, people):
    membership = partnership.memberships.get(user=people[Role.MEMBER])
    with pytest.raises(ValidationError):
        services.membership_update(membership=membership, actor=people[Role.CONVENOR], role="owner")
    with pytest.raises(PermissionDenied):
        services.membership_update(membership=membership, actor=people[Role.FACILITATOR], role=Role.CONVENOR)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, actor=people[Role.MEMBER])
    membership.refresh_from_db()
    assert membership.role == Role.MEMBER
    assert audit() == []


def test_removing_a_member_removes_them_from_groups_too(partnership, people):
    convenor, leaver = people[Role.CONVENOR], people[Role.MEMBER]
    body = BodyFactory(partnership=partnership)
    services.body_add_member(body=body, actor=convenor, user=leaver)
    services.membership_remove(membership=partnership.memberships.get(user=leaver), actor=convenor)
    assert not partnership.memberships.filter(user=leaver).exists()
    assert not BodyMember.objects.filter(user=leaver).exists()
    assert [a for a, _, _ in audit()] == ["body.add_member", "membership.remove"]
    assert AuditEntry.objects.get(action="membership.remove").changes == {
        "before": {"user": str(leaver), "role": "member"}
    }
    leaver = type(leaver).objects.get(pk=leaver.pk)
    assert not leaver.has_perm("partnerships.view_partnership", partnership)


# Bodies ------------------------------------------------------------------------------------


def test_body_create_and_duplicate_name(partnership, convenor):
    body = services.body_create(
        partnership=partnership, actor=convenor, name=" Charter leadership group ", kind="leadership"
    )
    assert body.name == "Charter leadership group"
    before = counts()
    with pytest.raises(ValidationError):
        services.body_create(
            partnership=partnership, actor=convenor, name="Charter leadership group", kind="leadership"
        )
    assert counts() == before
    assert audit() == [("body.create", convenor.pk, partnership.pk)]


def test_body_add_and_remove_member(partnership, people):
    convenor, person = people[Role.CONVENOR], people[Role.OBSERVER]
    body = BodyFactory(partnership=partnership, name="ICP board")
    body_member = services.body_add_member(body=body, actor=convenor, user=person)
    assert list(body.members.all()) == [person]

    before = counts()
    with pytest.raises(ValidationError) as info:
        services.body_add_member(body=body, actor=convenor, user=person)
    assert info.value.message_dict == {"user": [f"{person} is already in ICP board"]}
    assert counts() == before

    services.body_remove_member(body=body, actor=convenor, member=body_member)
    assert not body.members.exists()
    assert audit() == [
        ("body.add_member", convenor.pk, partnership.pk),
        ("body.remove_member", convenor.pk, partnership.pk),
    ]
    assert AuditEntry.objects.get(action="body.remove_member").changes == {"member": str(person)}


def test_body_refuses_people_outside_the_partnership(partnership, people):
    body = BodyFactory(partnership=partnership)
    other_partnership_member = member(PartnershipFactory())
    before = counts()
    for outsider in (people["outsider"], other_partnership_member):
        with pytest.raises(ValidationError) as info:
            services.body_add_member(body=body, actor=people[Role.CONVENOR], user=outsider)
        assert info.value.message_dict == {"user": ["Only members of the partnership can join its groups"]}
    assert counts() == before


def test_only_convenors_manage_bodies(partnership, people):
    body = BodyFactory(partnership=partnership)
    before = counts()
    for role in (Role.FACILITATOR, Role.MEMBER, Role.OBSERVER, "outsider"):
        with pytest.raises(PermissionDenied):
            services.body_add_member(body=body, actor=people[role], user=people[Role.MEMBER])
        with pytest.raises(PermissionDenied):
            services.body_create(partnership=partnership, actor=people[role], name="New group", kind="other")
    assert counts() == before


# Organisations -----------------------------------------------------------------------------


def org_fields(**overrides):
    return {"org_id": "GB-CHC-1090095", "name": "Lambeth Community Trust", "kind": OrganisationKind.VCSE} | overrides


@pytest.mark.parametrize("role", [Role.CONVENOR, Role.FACILITATOR])
def test_organisers_add_a_new_organisation_linked_to_the_partnership(partnership, people, role):
    actor = people[role]
    lambeth = AreaFactory(name="Lambeth")
    organisation = services.partnership_organisation_create(
        partnership=partnership,
        actor=actor,
        places=[lambeth],
        **org_fields(org_id=" gb-chc-1090095 "),
    )
    assert organisation.org_id == "GB-CHC-1090095"
    assert list(organisation.places_served.all()) == [lambeth]
    assert list(partnership.organisations.all()) == [organisation]
    assert audit() == [("organisation.create", actor.pk, partnership.pk)]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER, "outsider"])
def test_others_cannot_add_organisations(partnership, people, role):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.partnership_organisation_create(partnership=partnership, actor=people[role], **org_fields())
    assert counts() == before


def test_duplicate_org_id_refused_and_nothing_half_saved(partnership, people):
    elsewhere = OrganisationFactory(org_id="GB-CHC-1090095", name="Already listed")
    PartnershipOrganisationFactory(organisation=elsewhere)
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.partnership_organisation_create(
            partnership=partnership,
            actor=people[Role.CONVENOR],
            **org_fields(org_id="gb-chc-1090095"),
        )
    assert info.value.message_dict == {"org_id": ["GB-CHC-1090095 is already in the directory"]}
    assert counts() == before
    assert not partnership.organisations.exists()


def test_org_id_used_as_another_organisations_second_identifier_refused(partnership, people):
    other = OrganisationFactory(org_id="GB-CHC-1111111")
    OrganisationIdentifier.objects.create(organisation=other, value="GB-COH-04324531")
    before = counts()
    with pytest.raises(ValidationError, match="already in the directory"):
        services.partnership_organisation_create(
            partnership=partnership,
            actor=people[Role.CONVENOR],
            **org_fields(org_id="GB-COH-04324531"),
        )
    assert counts() == before


def test_invalid_org_id_refused_with_the_scheme_message(partnership, people):
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.partnership_organisation_create(
            partnership=partnership,
            actor=people[Role.CONVENOR],
            **org_fields(org_id="GB-CHC-12"),
        )
    assert "GB-CHC (Charity Commission" in str(info.value)
    assert counts() == before


def test_adding_an_existing_organisation_twice_refused(partnership, people):
    organisation = OrganisationFactory(name="Age UK Lambeth")
    services.partnership_add_organisation(
        partnership=partnership, actor=people[Role.FACILITATOR], organisation=organisation
    )
    before = counts()
    with pytest.raises(ValidationError) as info:
        services.partnership_add_organisation(
            partnership=partnership, actor=people[Role.CONVENOR], organisation=organisation
        )
    assert info.value.message_dict == {"org_id": ["Age UK Lambeth is already a member of this partnership"]}
    assert counts() == before
    assert [a for a, _, _ in audit()] == ["partnership.add_organisation"]


def test_cannot_change_an_organisation_that_is_not_in_the_partnership(partnership, people):
    outside = OrganisationFactory(name="Elsewhere")
    with pytest.raises(PermissionDenied):
        services.partnership_organisation_update(
            partnership=partnership,
            actor=people[Role.CONVENOR],
            organisation=outside,
            name="Renamed",
        )
    outside.refresh_from_db()
    assert outside.name == "Elsewhere"


def test_organisation_update_is_audited(partnership, people):
    organisation = OrganisationFactory(name="Old name")
    PartnershipOrganisationFactory(partnership=partnership, organisation=organisation)
    services.partnership_organisation_update(
        partnership=partnership,
        actor=people[Role.FACILITATOR],
        organisation=organisation,
        name="New name",
    )
    assert audit() == [("organisation.update", people[Role.FACILITATOR].pk, partnership.pk)]
    assert AuditEntry.objects.get().changes == {"name": ["Old name", "New name"]}


def test_add_identifier(partnership, convenor):
    organisation = OrganisationFactory(org_id="GB-CHC-1090095")
    identifier = organisation_add_identifier(
        organisation=organisation,
        actor=convenor,
        value=" gb-coh-04324531",
        partnership_id=partnership.pk,
    )
    assert identifier.value == "GB-COH-04324531"
    assert list(organisation.identifiers.values_list("value", flat=True)) == ["GB-COH-04324531"]
    assert audit() == [("organisation.add_identifier", convenor.pk, partnership.pk)]
    assert AuditEntry.objects.get().changes == {"identifier": "GB-COH-04324531"}


@pytest.mark.parametrize("taken", ["GB-CHC-2222222", "GB-COH-04324531", "GB-CHC-1090095"])
def test_add_identifier_already_used_refused(partnership, convenor, taken):
    organisation = OrganisationFactory(org_id="GB-CHC-1090095")
    other = OrganisationFactory(org_id="GB-CHC-2222222")
    OrganisationIdentifier.objects.create(organisation=other, value="GB-COH-04324531")
    before = counts()
    with pytest.raises(ValidationError) as info:
        organisation_add_identifier(organisation=organisation, actor=convenor, value=taken.lower())
    assert info.value.message_dict == {"value": [f"{taken} is already in the directory"]}
    assert counts() == before


def test_add_identifier_with_a_bad_format_refused(partnership, convenor):
    organisation = OrganisationFactory()
    before = counts()
    with pytest.raises(ValidationError) as info:
        organisation_add_identifier(organisation=organisation, actor=convenor, value="GB-COH-123")
    [message] = info.value.message_dict["value"]
    assert message.startswith("GB-COH (Companies House)") and "GB-COH-04324531" in message
    assert counts() == before


def test_audit_entries_never_leak_the_invitation_token(partnership, convenor):
    _, token = services.invitation_create(
        partnership=partnership,
        actor=convenor,
        email="sam@example.org",
        role=Role.MEMBER,
        accept_url_builder=accept_url,
    )
    entry = AuditEntry.objects.get()
    assert token not in str(entry.changes) and token not in entry.object_repr
    assert not re.search(re.escape(token), str(Invitation.objects.values().get()))
