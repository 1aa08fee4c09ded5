import pytest
from django.urls import reverse

from compact.partnerships.models import Role
from compact.partnerships.selectors import partnerships_for_user

from ..factories import PartnershipFactory, PartnershipOrganisationFactory, member


@pytest.mark.django_db
def test_partnership_counts_are_per_partnership_and_not_multiplied(partnership, people):
    for _ in range(3):
        PartnershipOrganisationFactory(partnership=partnership)
    other = PartnershipFactory(name="Kensington & Chelsea and Westminster")
    member(other, Role.MEMBER)
    member(other, Role.CONVENOR, email="both@example.org")
    convenor = people[Role.CONVENOR]
    member_in_other = member(other, Role.OBSERVER)
    rows = {p.name: (p.member_count, p.organisation_count) for p in partnerships_for_user(convenor)}
    # 4 roles + the outsider fixture is not a member: 4 people, 3 organisations.
    assert rows == {"South East London": (4, 3)}
    assert {p.name: (p.member_count, p.organisation_count) for p in partnerships_for_user(member_in_other)} == {
        "Kensington & Chelsea and Westminster": (3, 0)
    }


@pytest.mark.django_db
def test_dashboard_lists_only_my_partnerships_with_counts(client, partnership, people):
    PartnershipFactory(name="Somewhere Else")
    client.force_login(people[Role.MEMBER])
    page = client.get(reverse("dashboard")).content.decode()
    assert "South East London" in page and "Somewhere Else" not in page
    assert "4 people" in page
