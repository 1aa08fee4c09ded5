"""The partnership's list of framework tags that commitments carry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from compact.activity.services import audit_record
from compact.core.services import require_perm

from ..models import Framework, FrameworkTag
from ._common import clean_text, full_clean_into

# Offered to every partnership on its tags page; each is added only when an editor picks it.
STANDARD_TAGS = {
    Framework.COVENANT: [
        "Recognition and value", "Partnership and collaboration", "Participation and inclusion",
        "Transparency and access",
    ],
    Framework.CORE20PLUS5: ["Core20", "PLUS groups"],
}  # fmt: skip


@transaction.atomic
def framework_tag_create(*, partnership, actor, framework: str, name: str) -> FrameworkTag:
    require_perm(actor, "drafting.manage_tags", partnership, "Only convenors and facilitators can add tags.")
    errors: dict = {}
    tag = FrameworkTag(partnership=partnership, framework=framework)
    tag.name = clean_text(name, "name", errors, one_line=True)
    if not tag.name:
        errors.setdefault("name", "Enter the tag's name")
    if FrameworkTag.objects.filter(partnership=partnership, framework=framework, name__iexact=tag.name).exists():
        raise ValidationError({"name": "This partnership already has that tag"})
    full_clean_into(tag, errors)
    tag.save()
    audit_record(
        actor=actor, action="drafting.tag_create", obj=tag, partnership_id=partnership.pk, changes={"name": tag.name}
    )
    return tag
