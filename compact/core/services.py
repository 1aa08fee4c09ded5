"""Small helpers every app's services share."""

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify


def require_perm(actor, perm: str, obj, message: str = "Your role in this partnership does not allow this.") -> None:
    """Raise PermissionDenied unless `actor` has `perm` on `obj` (a django-rules check)."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def unique_slug(queryset, text: str, *, max_length: int = 50, fallback: str = "item") -> str:
    """A slug from `text` not yet used in `queryset`: 'name', then 'name-2', 'name-3'..."""
    base = slugify(text)[:max_length] or fallback
    slug, n = base, 2
    while queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
