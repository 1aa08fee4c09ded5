"""factory-boy factories shared by every test package."""

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from compact.accounts.models import User
from compact.geography.models import Area, AreaKind
from compact.organisations.models import Organisation, OrganisationKind
from compact.partnerships.models import Body, Membership, Partnership, PartnershipOrganisation, Role
from compact.processes.models import Process, Stage, StageKind, StageStatus

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


# Helpers for view tests --------------------------------------------------------------------

ERROR_SUMMARY = "There is a problem"


def png_bytes(width: int = 2, height: int = 2, *, noise: bool = False) -> bytes:
    """A real PNG made with Pillow. noise=True makes it barely compressible (for size limits)."""
    import io
    import os

    from PIL import Image

    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), "#1d4f7a")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_upload(name: str = "logo.png", **kwargs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def invitation_for(partnership, *, by, email: str, role=Role.MEMBER, organisation=None):
    """A pending invitation made through the service; returns (invitation, raw token)."""
    from compact.partnerships import services

    return services.invitation_create(
        partnership=partnership, actor=by, email=email, role=role, organisation=organisation
    )


def field_errors(response, field: str) -> list[str]:
    """The error messages shown beside one field (crispy-forms-gds and the hand-written
    GOV.UK templates alike), unescaped, whitespace collapsed."""
    import html
    import re

    text = response.content.decode() if hasattr(response, "content") else str(response)
    pattern = re.compile(
        r'id="id_' + re.escape(field) + r'(?:_\d+_error|-error)"[^>]*>\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</(?:span|p)>',
        re.DOTALL,
    )
    return [" ".join(html.unescape(m).split()) for m in pattern.findall(text)]


def messages_shown(response) -> list[str]:
    """Texts of the flash messages on a (followed) response."""
    return [str(m) for m in response.context["messages"]] if response.context and "messages" in response.context else []


def at_stage(process: Process, state: str) -> Process:
    """Put `process` at a point in its life: "setup" (no stage started), a stage kind (earlier
    stages done, that one in progress, later ones planned) or "closed" (every stage done).
    Returns a fresh copy of the process, with nothing cached."""
    stages = list(process.stages.order_by("position"))
    if state in ("setup", "closed"):
        target_position = max((s.position for s in stages), default=0) + 1 if state == "closed" else 0
    else:
        target_position = next(s.position for s in stages if s.kind == state)
    Stage.objects.filter(process=process).update(status=StageStatus.PLANNED)
    Stage.objects.filter(process=process, position__lt=target_position).update(status=StageStatus.DONE)
    Stage.objects.filter(process=process, position=target_position).update(status=StageStatus.ACTIVE)
    return Process.objects.get(pk=process.pk)
