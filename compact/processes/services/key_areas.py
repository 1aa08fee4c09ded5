"""A process's key areas: the headings its commitments will sit under, which workshop prompts
can be tied to. Organisers change them until drafting ends."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from compact.activity.services import audit_record
from compact.core.services import require_perm

from ..models import KeyArea, Process

PERM = "processes.edit_key_areas"
REFUSED = "Only convenors and facilitators can change key areas, and only until drafting ends."
MAX_KEY_AREAS = 20


def _clean(title: str, description: str) -> tuple[str, str]:
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationError({"title": "Enter the key area's name"})
    if len(title) > KeyArea._meta.get_field("title").max_length:
        raise ValidationError({"title": "The name must be 200 characters or fewer"})
    return title, str(description or "").strip()


def _save(key_area: KeyArea) -> None:
    try:
        with transaction.atomic():
            key_area.save()
    except IntegrityError:
        raise ValidationError({"title": f"There is already a key area called {key_area.title}"}) from None


@transaction.atomic
def key_area_add(*, process: Process, actor, title: str, description: str = "") -> KeyArea:
    require_perm(actor, PERM, process, REFUSED)
    title, description = _clean(title, description)
    Process.objects.select_for_update().filter(pk=process.pk).first()  # one position at a time
    if process.key_areas.count() >= MAX_KEY_AREAS:
        raise ValidationError({"title": f"A process can have up to {MAX_KEY_AREAS} key areas"})
    last = process.key_areas.aggregate(last=Max("position"))["last"] or 0
    key_area = KeyArea(process=process, title=title, description=description, position=last + 1)
    _save(key_area)
    audit_record(actor=actor, action="process.add_key_area", obj=process, partnership_id=process.partnership_id,
                 changes={"key_area": title})  # fmt: skip
    return key_area


@transaction.atomic
def key_area_update(*, key_area: KeyArea, actor, title: str, description: str = "") -> KeyArea:
    process = key_area.process
    require_perm(actor, PERM, process, REFUSED)
    before = key_area.title
    key_area.title, key_area.description = _clean(title, description)
    _save(key_area)
    audit_record(actor=actor, action="process.change_key_area", obj=process, partnership_id=process.partnership_id,
                 changes={"key_area": [before, key_area.title]})  # fmt: skip
    return key_area


@transaction.atomic
def key_area_move(*, key_area: KeyArea, actor, direction: str) -> KeyArea:
    """Swap with the key area above or below; at either end nothing moves."""
    process = key_area.process
    require_perm(actor, PERM, process, REFUSED)
    if direction not in ("up", "down"):
        raise ValidationError("Choose whether to move the key area up or down")
    areas = list(KeyArea.objects.select_for_update().filter(process=process).order_by("position"))
    index = next(i for i, area in enumerate(areas) if area.pk == key_area.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(areas):
        return key_area
    mine, theirs = areas[index], areas[other]
    first, second = mine.position, theirs.position
    KeyArea.objects.filter(pk=mine.pk).update(position=0)  # positions are unique: park it first
    KeyArea.objects.filter(pk=theirs.pk).update(position=first)
    KeyArea.objects.filter(pk=mine.pk).update(position=second)
    key_area.position = second
    audit_record(actor=actor, action="process.move_key_area", obj=process, partnership_id=process.partnership_id,
                 changes={"key_area": mine.title, "position": [first, second]})  # fmt: skip
    return key_area


@transaction.atomic
def key_area_remove(*, key_area: KeyArea, actor) -> None:
    """Prompts tied to it become untied (their ideas are kept)."""
    process = key_area.process
    require_perm(actor, PERM, process, REFUSED)
    audit_record(actor=actor, action="process.remove_key_area", obj=process, partnership_id=process.partnership_id,
                 changes={"key_area": key_area.title})  # fmt: skip
    key_area.delete()
