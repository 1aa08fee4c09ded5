"""Images and attachments are served through this view, never straight from storage, so the
same rules as the page apply: an unpublished case study's photo is not public, an anonymised
version never shows a picture of a person, and withdrawing consent stops the file at once."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..models import MediaFile, MediaKind
from ..presentation import shown
from ..selectors import reading_versions
from .common import session_contributor


def _may_see(request, media: MediaFile) -> bool:
    case_study = media.case_study
    contributor = session_contributor(request)
    if contributor is not None and case_study.contributor_id == contributor.pk:
        return True
    if not request.user.has_perm("casestudies.view_casestudy", case_study):
        return False
    version = reading_versions(request.user, case_study.partnership, [case_study])[case_study.pk]
    if version is None:
        return False
    view = shown(case_study, version)
    return media in view.images or media in view.attachments


def media_file(request, media_pk):
    media = get_object_or_404(MediaFile.objects.select_related("case_study__partnership"), pk=media_pk)
    if not _may_see(request, media):
        raise Http404("No such file")
    try:
        handle = media.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle, as_attachment=media.kind == MediaKind.ATTACHMENT, filename=media.original_name,
        content_type=media.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"  # a withdrawn consent must take effect at once
    return response
