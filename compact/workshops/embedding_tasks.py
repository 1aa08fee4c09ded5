"""Background work for the live wall: embed each idea once it is saved, so theme suggestions
can group ideas by meaning. Without the language model (an optional extra) nothing is stored
and suggestions use word overlap instead."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from compact.core.tasks import enqueue_on_commit

from .models import Idea

logger = logging.getLogger(__name__)


def _theming():
    """The theming library, or None when it (or its embed/model_name) is not there."""
    try:
        from compact import theming
    except ImportError:  # pragma: no cover - the library is part of the project
        return None
    if not all(hasattr(theming, name) for name in ("embed", "model_name", "pack_vector")):
        return None
    return theming


@task()
def embed_idea(idea_id: int) -> bool:
    """Store the idea's vector and the model's name. True when stored; False when the idea is
    gone or the language model is unavailable (suggestions then fall back to word overlap)."""
    theming = _theming()
    idea = Idea.objects.filter(pk=idea_id).only("pk", "text", "embedding_model").first()
    if theming is None or idea is None:
        return False
    try:
        vector = theming.embed([idea.text])[0]
    except theming.EmbeddingUnavailable as exc:
        logger.info("Idea %s not embedded: %s", idea_id, exc)
        return False
    Idea.objects.filter(pk=idea_id).update(embedding=theming.pack_vector(vector), embedding_model=theming.model_name())
    return True


def embed_later(idea_id: int) -> None:
    """Queue the embedding once the idea is saved. WORKSHOPS_EMBED_IDEAS is off only for the
    browser tests' server, whose tasks run inside the request: there the first idea would wait
    for the model to load. Theme suggestions embed any idea still without a vector."""
    if getattr(settings, "WORKSHOPS_EMBED_IDEAS", True):
        enqueue_on_commit(embed_idea, idea_id)
