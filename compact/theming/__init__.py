"""Suggesting themes for short ideas (sticky notes, consultation comments). Pure Python: no Django.

    vectors = embed(texts)                      # once per idea; store pack_vector(row), model_name()
    themes = suggest_themes(texts, vectors)     # on demand; k=... for "more / fewer themes"
    embedding_backend().is_semantic             # False: say suggestions use word overlap only

The language model is an optional extra (requirements-embeddings.txt). Without it, pass no
vectors: themes come from word overlap (TF-IDF + LSA over the texts being grouped).
"""

from .clustering import Theme, cluster_labels, suggest_themes
from .embedding import (
    Backend,
    EmbeddingUnavailable,
    ModelIntegrityError,
    dimensions,
    embed,
    embedding_backend,
    load_model,
    lsa_vectors,
    model_name,
    pack_vector,
    unpack_vector,
    unpack_vectors,
    verify_model_files,
)
from .naming import c_tf_idf, label_from_terms, top_terms

__all__ = [
    "Backend",
    "EmbeddingUnavailable",
    "ModelIntegrityError",
    "Theme",
    "c_tf_idf",
    "cluster_labels",
    "dimensions",
    "embed",
    "embedding_backend",
    "label_from_terms",
    "load_model",
    "lsa_vectors",
    "model_name",
    "pack_vector",
    "suggest_themes",
    "top_terms",
    "unpack_vector",
    "unpack_vectors",
    "verify_model_files",
]
