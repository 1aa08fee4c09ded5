"""Cutting named versions. A version is the document frozen as plain data (versioning.snapshot);
nothing changes it afterwards. Amendments taken into the text since the last version are marked
as included in this one, so the version can credit their proposers."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from compact.core.services import require_perm

from ..models import Amendment, AmendmentStatus, Document, Version
from ..versioning import snapshot
from ._common import FROZEN, clean_text, full_clean_into, lock_document, record


@transaction.atomic
def version_cut(*, document: Document, actor, name: str, note: str = "") -> Version:
    document = lock_document(document)
    require_perm(actor, "drafting.change_document", document, FROZEN)
    errors: dict = {}
    version = Version(document=document, created_by=actor, snapshot={})
    version.name = clean_text(name, "name", errors, one_line=True)
    version.note = clean_text(note, "note", errors)
    if not version.name:
        errors["name"] = 'Enter a name for the version, for example "Draft 2 for consultation"'
    top = Version.objects.filter(document=document).aggregate(top=Max("number"))["top"]
    version.number = (top or 0) + 1
    version.snapshot = snapshot(document)
    full_clean_into(version, errors, whole="name")
    version.save()
    Amendment.objects.filter(
        document=document, status__in=(AmendmentStatus.ACCEPTED, AmendmentStatus.PARTLY), included_in=None
    ).update(included_in=version)
    record(document, actor, "drafting.version_cut", obj=version, changes={"number": version.number})
    return version
