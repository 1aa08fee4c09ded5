"""factory-boy factories shared by every test package."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from compact.accounts.models import User
from compact.geography.models import Area, AreaKind
from compact.organisations.models import Organisation, OrganisationKind
from compact.partnerships.models import Body, Membership, Partnership, PartnershipOrganisation, Role
from compact.processes.models import Process, Stage, StageKind

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E09{n:06d}")
    name = factory.Sequence(lambda n: f"Borough {n}")
    kind = AreaKind.BOROUGH


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    org_id = factory.Sequence(lambda n: f"GB-CHC-{1100000 + n}")
    name = factory.Sequence(lambda n: f"Community Organisation {n}")
    kind = OrganisationKind.VCSE


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class PartnershipOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipOrganisation

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Group {n}")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Charter {n}")
    slug = factory.Sequence(lambda n: f"charter-{n}")

    @factory.post_generation
    def stages(self, create, extracted, **kwargs):
        """All eight stages by default; pass stages=[...kinds] for fewer."""
        if create:
            kinds = extracted if extracted is not None else list(StageKind.values)
            Stage.objects.bulk_create([Stage(process=self, kind=k, position=i) for i, k in enumerate(kinds, 1)])


def member(partnership, role=Role.MEMBER, **user_kwargs) -> User:
    """A new person with `role` in `partnership`."""
    return MembershipFactory(partnership=partnership, role=role, user=UserFactory(**user_kwargs)).user


def days_from_today(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
