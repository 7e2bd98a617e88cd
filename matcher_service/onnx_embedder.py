"""The serving embedder: onnxruntime + tokenizers over a model folder's ONNX export.

Imports neither torch nor sentence-transformers. Pooling and normalisation are inside
the exported graph, so a session's output is the sentence vector. Queries go through
the int8 graph, documents through the variant ``export.json`` names (both written and
checked against sentence-transformers by ``build.onnx_export.export_onnx``).

``InferenceSession.run`` is thread-safe, so queries need no lock: with one intra-op
thread per query, two concurrent searches use both cores (measured against two threads
per query under 8 concurrent clients; see bench/matcher.py). Documents come in batches
and get every core.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort

from .export_layout import EXPORT_DIR, META_FILE
from .onnx_tokenizer import load_token_ids

# A batch's attention holds batch x heads x width^2 floats: batches of long texts are
# made smaller so that batch x width^2 stays under this (16 texts of 64 tokens). Smaller
# batches measured faster here and keep the arena small (bench/matcher_results.md).
TOKEN_BUDGET = 16 * 64 * 64


def _session(path: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle intra-op threads would otherwise spin and take CPU from the other session.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class OnnxEmbedder:
    """Queries and documents through onnxruntime; same vectors as the torch model."""

    thread_safe = True

    def __init__(
        self,
        model_path: str | Path,
        *,
        query_threads: int = 1,
        document_threads: int = 0,
        query_model: str | None = None,
        document_model: str | None = None,
        prefer_spm: bool = True,
    ) -> None:
        """
        :param model_path: the model folder, or its ``onnx`` folder itself.
        :param query_threads: onnxruntime intra-op threads per query.
        :param document_threads: threads for document batches; 0 means all cores.
        :param query_model: override ``export.json``'s query graph (export checks).
        :param document_model: override its document graph.
        :param prefer_spm: tokenize with the export's SentencePiece model if it has one.
        """
        path = Path(model_path)
        export = path if (path / META_FILE).is_file() else path / EXPORT_DIR
        if not (export / META_FILE).is_file():
            raise FileNotFoundError(
                f"{path} has no ONNX export ({EXPORT_DIR}/{META_FILE})"
            )
        meta = json.loads((export / META_FILE).read_text())
        self.meta = meta
        self.name = (path if export != path else path.parent).resolve().name
        self.dim = int(meta["dim"])
        self.query_prompt = str(meta.get("query_prompt") or "")
        self.document_prompt = str(meta.get("document_prompt") or "")
        self._pad_id = int(meta["pad_id"])
        self._tokenizer = load_token_ids(export, meta, prefer_spm=prefer_spm)
        query_file = query_model or str(meta["query_model"])
        document_file = document_model or str(meta["document_model"])
        self._query = _session(export / query_file, max(1, query_threads))
        if document_file == query_file and document_threads == query_threads:
            self._documents = self._query
        else:
            cores = os.cpu_count() or 1
            # The arena keeps a batch's buffers for the next one (+25% documents/s
            # measured); TOKEN_BUDGET bounds how large they get.
            self._documents = _session(
                export / document_file, document_threads or cores
            )
        self.query_file = query_file
        self.document_file = document_file

    def _run(
        self, session: ort.InferenceSession, encodings: Sequence[list[int]]
    ) -> np.ndarray:
        width = max(len(e) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc)] = enc
            mask[row, : len(enc)] = 1
        (vectors,) = session.run(None, {"input_ids": ids, "attention_mask": mask})
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _embed(
        self, session: ort.InferenceSession, texts: list[str], batch_size: int
    ) -> np.ndarray:
        """Longest first, in batches of similar length (little padding), each batch
        at most ``batch_size`` texts and ``TOKEN_BUDGET`` (bounded memory)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i]), reverse=True)
        start = 0
        while start < len(order):
            width = len(encodings[order[start]])
            size = max(1, min(batch_size, TOKEN_BUDGET // (width * width)))
            chunk = order[start : start + size]
            out[chunk] = self._run(session, [encodings[i] for i in chunk])
            start += size
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(self._query, [self.query_prompt + t for t in texts], 32)

    def embed_documents(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self._embed(
            self._documents, [self.document_prompt + t for t in texts], batch_size
        )
