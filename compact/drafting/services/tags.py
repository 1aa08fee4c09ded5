"""The partnership's list of framework tags that commitments carry: adding one (or the standard
set in one go), renaming and removing. Tags are the partnership's own labels, not anyone's
words, so the audit entries keep their names. Saved versions hold tag names as they were
(versioning.snapshot), so renaming or removing a tag never changes a version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compact.core.services import require_perm
from compact.core.validation import raise_if

from ..models import BlockKind, Framework, FrameworkTag
from ._common import clean_text, record

# Offered to every partnership on its tags page; each is added only when an editor picks it.
STANDARD_TAGS = {
    Framework.COVENANT: [
        "Recognition and value", "Partnership and collaboration", "Participation and inclusion",
        "Transparency and access",
    ],
    Framework.CORE20PLUS5: ["Core20", "PLUS groups"],
}  # fmt: skip
NAME_MAX = FrameworkTag._meta.get_field("name").max_length
REFUSED = "Only convenors and facilitators can change the partnership's tags."
GONE = "The tag “%(name)s” was removed a moment ago, so there is nothing to change"
# With Django's parameters, so the form's own length check says the same.
TOO_LONG = "The tag's name must be %(limit_value)d characters or fewer (it has %(show_value)d)"


def duplicate(framework: str, name: str) -> str:
    return f"This partnership already has a tag called “{name}” under {Framework(framework).label}"


def _clean_name(partnership, framework: str, name, errors: dict, *, exclude: FrameworkTag | None = None) -> str:
    """The name as it will be saved, with any error under `name`: empty, too long, on more
    than one line, or already used in this framework (in any case: "core20" is "Core20")."""
    name = clean_text(name, "name", errors, one_line=True)
    if not name:
        errors.setdefault("name", "Enter the name of the tag")
    elif len(name) > NAME_MAX:
        errors.setdefault("name", TOO_LONG % {"limit_value": NAME_MAX, "show_value": len(name)})
    same = FrameworkTag.objects.filter(partnership=partnership, framework=framework, name__iexact=name)
    if "name" not in errors and same.exclude(pk=getattr(exclude, "pk", None)).exists():
        errors["name"] = duplicate(framework, name)
    return name


def _save(tag: FrameworkTag) -> None:
    """Save, turning a duplicate saved by someone else a moment ago into the same error."""
    try:
        with transaction.atomic():
            tag.save()
    except IntegrityError:
        raise ValidationError({"name": duplicate(tag.framework, tag.name)}) from None


def _locked(tag: FrameworkTag, actor) -> FrameworkTag:
    """The tag as saved, locked for the change. A tag removed a moment ago (a second click on
    "Yes, remove the tag", or another editor) is a clear error, not a crash."""
    require_perm(actor, "drafting.manage_tags", tag.partnership, REFUSED)
    found = FrameworkTag.objects.select_for_update().select_related("partnership").filter(pk=tag.pk).first()
    if found is None:
        raise ValidationError(GONE % {"name": tag.name})
    return found


def commitments_using(tag: FrameworkTag) -> int:
    """How many commitments in the partnership's documents carry the tag (removed ones aside)."""
    return tag.blocks.filter(kind=BlockKind.COMMITMENT, removed_at=None).count()


@transaction.atomic
def framework_tag_create(*, partnership, actor, framework: str, name: str) -> FrameworkTag:
    require_perm(actor, "drafting.manage_tags", partnership, REFUSED)
    errors: dict = {}
    if framework not in Framework.values:
        errors["framework"] = "Choose the framework the tag belongs to"
    tag = FrameworkTag(partnership=partnership, framework=framework)
    tag.name = _clean_name(partnership, framework, name, errors)
    raise_if(errors)
    _save(tag)
    record(tag, actor, "drafting.tag_create", obj=tag, changes={"framework": tag.framework, "name": tag.name})
    return tag


def standard_tags_missing(partnership) -> list[tuple[str, str]]:
    """The standard tags (framework, name) the partnership does not have yet, in order."""
    have = {
        (framework, name.casefold())
        for framework, name in FrameworkTag.objects.filter(partnership=partnership).values_list("framework", "name")
    }
    return [
        (framework, name)
        for framework, names in STANDARD_TAGS.items()
        for name in names
        if (framework, name.casefold()) not in have
    ]


@transaction.atomic
def framework_tags_add_standard(*, partnership, actor) -> list[FrameworkTag]:
    """Add every standard tag the partnership lacks; those it has already are left alone.
    Returns the tags added (none when the set is complete)."""
    require_perm(actor, "drafting.manage_tags", partnership, REFUSED)
    return [
        framework_tag_create(partnership=partnership, actor=actor, framework=framework, name=name)
        for framework, name in standard_tags_missing(partnership)
    ]


@transaction.atomic
def framework_tag_rename(*, tag: FrameworkTag, actor, name: str) -> FrameworkTag:
    """Give a tag a new name. Commitments that carry it show the new name at once."""
    tag = _locked(tag, actor)
    errors: dict = {}
    new_name = _clean_name(tag.partnership, tag.framework, name, errors, exclude=tag)
    raise_if(errors)
    if new_name == tag.name:
        return tag
    old_name, tag.name = tag.name, new_name
    _save(tag)
    record(tag, actor, "drafting.tag_rename", obj=tag, changes={"from": old_name, "to": new_name})
    return tag


@transaction.atomic
def framework_tag_remove(*, tag: FrameworkTag, actor) -> int:
    """Delete a tag; the commitments that carried it lose it. Returns how many did."""
    tag = _locked(tag, actor)
    lost = commitments_using(tag)
    changes = {"framework": tag.framework, "name": tag.name, "commitments": lost}
    record(tag, actor, "drafting.tag_remove", obj=tag, changes=changes)
    tag.delete()
    return lost
