"""Embedders turn query and document texts into L2-normalised vectors.

``OnnxEmbedder`` (onnx_embedder.py, onnxruntime, no torch) serves by default;
``SentenceTransformerEmbedder`` (torch) is the reference, what ``adapt`` trains with, and
the fallback for a model folder without an ONNX export. ``FakeEmbedder`` hashes words into
a small vector and exists only for plumbing tests (persistence, bad input) where speed
matters and ranking quality does not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

logger = logging.getLogger("matcher_service")

PROBE_TEXT = "Voorleesuur voor peuters in de bibliotheek"


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to float32 unit vectors of a fixed dimension."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_documents(
        self, texts: Sequence[str], batch_size: int = 64
    ) -> np.ndarray: ...


def fingerprint(embedder: Embedder) -> list[float]:
    """A probe vector that identifies the model by what it computes, not by its path."""
    return [round(float(x), 5) for x in embedder.embed_documents([PROBE_TEXT])[0]]


def same_model(a: Sequence[float], b: Sequence[float]) -> bool:
    if len(a) != len(b):
        return False
    return float(np.dot(np.asarray(a), np.asarray(b))) > 0.9999


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, offline.

    Uses the folder's ``query``/``passage`` prompts when it defines them (E5 does); a
    model without prompts embeds texts as they are.
    """

    def __init__(self, model_path: str | Path, *, torch_threads: int = 0) -> None:
        # Imported here so that the service's plumbing and the CLI start without torch.
        import torch
        from sentence_transformers import SentenceTransformer

        if torch_threads:
            torch.set_num_threads(torch_threads)
        path = Path(model_path)
        if not (path / "modules.json").is_file():
            raise FileNotFoundError(
                f"{path} is not a sentence-transformers model folder (no modules.json); "
                "build it with `python -m matcher_service build-model PATH`"
            )
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.model.eval()
        self.name = path.resolve().name
        dim = self.model.get_embedding_dimension()
        if dim is None:
            raise ValueError(f"{path}: model does not report an embedding dimension")
        self.dim = int(dim)
        prompts = self.model.prompts or {}
        self.query_prompt = "query" if prompts.get("query") else None
        self.document_prompt = next(
            (name for name in ("passage", "document") if prompts.get(name)), None
        )
        self._torch = torch

    def _encode(
        self, texts: Sequence[str], prompt: str | None, batch_size: int
    ) -> np.ndarray:
        with self._torch.inference_mode():
            vectors = self.model.encode(
                list(texts),
                prompt_name=prompt,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.query_prompt, batch_size=32)

    def embed_documents(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self._encode(texts, self.document_prompt, batch_size=batch_size)


_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    """Hashes lower-cased words into a ``dim``-sized unit vector. For plumbing tests only."""

    def __init__(self, dim: int = 64, name: str = "fake-hash") -> None:
        self.dim = dim
        self.name = name
        self._lock = threading.Lock()

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(
                (self.name + word).encode(), digest_size=8
            ).digest()
            h = int.from_bytes(digest, "little")
            vec[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return vec / norm

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return (
            np.stack([self._one(t) for t in texts])
            if texts
            else np.zeros((0, self.dim), np.float32)
        )

    def embed_documents(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self.embed_queries(texts)


def load_embedder(
    model: str | Path,
    kind: str = "onnx",
    *,
    torch_threads: int = 0,
    onnx_threads: int = 1,
) -> Embedder:
    """Build the embedder a setting names.

    :param model: a model folder, or ``fake[:DIM[:NAME]]``.
    :param kind: ``onnx`` (serving default; falls back to torch, with a log line, for a
        folder without an export), ``torch`` (alias ``sentence-transformers``) or ``fake``.
    :param onnx_threads: onnxruntime intra-op threads per query.
    """
    if kind == "fake" or str(model).startswith("fake"):
        parts = str(model).split(":")
        dim = int(parts[1]) if len(parts) > 1 and parts[1] else 64
        name = parts[2] if len(parts) > 2 else "fake-hash"
        return FakeEmbedder(dim=dim, name=name)
    if kind == "onnx":
        from .export_layout import EXPORT_DIR, has_export

        if has_export(Path(model)):
            from .onnx_embedder import OnnxEmbedder

            return OnnxEmbedder(model, query_threads=onnx_threads)
        logger.warning(
            "%s has no ONNX export (%s/): serving through torch; run "
            "`python -m matcher_service export-onnx %s` for the faster, lighter path",
            model,
            EXPORT_DIR,
            model,
        )
    return SentenceTransformerEmbedder(model, torch_threads=torch_threads)


def describe(embedder: Embedder) -> str:
    return json.dumps({"name": embedder.name, "dim": embedder.dim})
