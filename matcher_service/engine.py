"""The matcher engine: embedder + SQLite store + FAISS index behind one small API.

Write path: embed (only texts that changed), commit to SQLite, then update FAISS, with
the store's write lock held across commit and FAISS update so both see writes in the
same order. Read path: embed the query, search FAISS under its lock, then read the hits'
records from SQLite. Model calls take turns on one lock, in batches, so a long bulk
upsert lets searches through between batches.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import lexical, rerank
from .embedder import Embedder, fingerprint, same_model
from .index import Filters, VectorIndex
from .levels import UNCALIBRATED, MatchLevels
from .query_cache import QueryVectorCache
from .store import TEXT_FORMAT, ProjectRecord, ProjectStore

logger = logging.getLogger("matcher_service")

DB_NAME = "matcher.sqlite3"


@dataclass
class SearchHit:
    record: ProjectRecord
    score: float
    matched_terms: list[str] = field(default_factory=list)
    level: str = "possible"
    # The other members of the hit's lineage that pass the filters: {"id", "year"}.
    also: list[dict[str, object]] = field(default_factory=list)


@dataclass
class UpsertResult:
    upserted: int
    embedded: int


class MatcherEngine:
    """Owns the store and the index of one data directory."""

    def __init__(
        self,
        data_dir: Path,
        embedder: Embedder,
        *,
        batch_size: int = 64,
        lexical_weight: float = 0.0,
        index_kind: str = "flat",
        sq8_min_records: int = 10_000,
        levels: MatchLevels = UNCALIBRATED,
        smoothing: float = 0.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.embedder = embedder
        self.batch_size = batch_size
        self.lexical_weight = lexical_weight
        self.levels = levels
        self.smoothing = smoothing
        self.store = ProjectStore(self.data_dir / DB_NAME)
        self.index = VectorIndex(embedder.dim, index_kind, sq8_min_records)
        # torch's model takes turns (one request at a time gets every core); an
        # onnxruntime session runs concurrent calls itself, so it needs no lock.
        self._model_lock: threading.Lock | contextlib.nullcontext[None] = (
            contextlib.nullcontext()
            if getattr(embedder, "thread_safe", False)
            else threading.Lock()
        )
        self.reembedded = 0
        self.query_vectors = QueryVectorCache()

    # --- start-up -------------------------------------------------------------
    def open(self) -> None:
        """Check the stored vectors were made by this model (re-embed if not), load FAISS."""
        self._ensure_model()
        t0 = time.perf_counter()
        for nums, vectors, attrs in self.store.iter_index_rows():
            self.index.upsert(nums, vectors, attrs)
        logger.info(
            "index loaded: %d records (%s) in %.2fs",
            self.index.ntotal,
            self.index.storage,
            time.perf_counter() - t0,
        )

    def _ensure_model(self) -> None:
        probe = fingerprint(self.embedder)
        stored = self.store.get_meta("model")
        current = {
            "name": self.embedder.name,
            "dim": self.embedder.dim,
            "probe": probe,
            "text": TEXT_FORMAT,
        }
        if (
            isinstance(stored, dict)
            and same_model(stored.get("probe", []), probe)
            and stored.get("text") == TEXT_FORMAT
        ):
            if stored.get("name") != self.embedder.name:
                self.store.set_meta("model", current)  # same weights, new folder name
            return
        if self.store.count():
            logger.warning(
                "model or embedded text changed (%s, %s -> %s, %s): re-embedding %d "
                "stored records",
                stored.get("name") if isinstance(stored, dict) else None,
                stored.get("text") if isinstance(stored, dict) else None,
                self.embedder.name,
                TEXT_FORMAT,
                self.store.count(),
            )
            t0 = time.perf_counter()
            for nums, texts in self.store.iter_texts(
                batch=max(self.batch_size * 8, 256)
            ):
                vectors = self.embedder.embed_documents(
                    texts, batch_size=self.batch_size
                )
                self.store.replace_vectors(nums, vectors, texts)
                self.reembedded += len(nums)
            logger.info(
                "re-embedded %d records in %.1fs",
                self.reembedded,
                time.perf_counter() - t0,
            )
        # Written last: a crash mid-way re-embeds again at the next start.
        self.store.set_meta("model", current)

    def close(self) -> None:
        self.store.close()

    # --- writes ---------------------------------------------------------------
    def _embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), self.embedder.dim), dtype=np.float32)
        # Batches of similar length waste little on padding (what model.encode does
        # within one call); the lock is taken per batch so searches get in between.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            with self._model_lock:
                out[chunk] = self.embedder.embed_documents(
                    [texts[i] for i in chunk], batch_size=self.batch_size
                )
        return out

    def upsert(self, records: Sequence[ProjectRecord]) -> UpsertResult:
        """Insert or replace records; returns once they are committed to SQLite.

        A record whose title and summary did not change keeps its stored vector.
        Repeated ids in one call: the last one wins.
        """
        latest = {r.id: r for r in records}
        records = list(latest.values())
        if not records:
            return UpsertResult(0, 0)
        known = self.store.text_hashes(latest)
        vectors = np.empty((len(records), self.embedder.dim), dtype=np.float32)
        to_embed: list[int] = []
        for i, rec in enumerate(records):
            old = known.get(rec.id)
            if (
                old is not None
                and old[0] == rec.text_hash()
                and len(old[1]) == 4 * self.embedder.dim
            ):
                vectors[i] = np.frombuffer(old[1], dtype="<f4")
            else:
                to_embed.append(i)
        if to_embed:
            vectors[to_embed] = self._embed_documents(
                [records[i].embed_text() for i in to_embed]
            )
        with self.store.write_lock:
            nums = self.store.upsert_many(records, vectors)
            self.index.upsert(
                np.asarray(nums, dtype=np.int64),
                vectors,
                [(r.library_id, r.year, r.region) for r in records],
            )
        return UpsertResult(upserted=len(records), embedded=len(to_embed))

    def delete(self, project_id: str) -> bool:
        """Delete a record; ``False`` if there was none (deleting is idempotent)."""
        with self.store.write_lock:
            num = self.store.delete(project_id)
            if num is None:
                return False
            self.index.remove(num)
        return True

    # --- reads ----------------------------------------------------------------
    def get(self, project_id: str) -> ProjectRecord | None:
        return self.store.get(project_id)

    def embed_query(self, query: str) -> np.ndarray:
        with self._model_lock:
            vector: np.ndarray = self.embedder.embed_queries([query])[0]
            return vector

    def search(
        self, query: str, k: int, filters: Filters, *, collapse: bool = True
    ) -> list[SearchHit]:
        """The ``k`` best records (lineages, with ``collapse``) for ``query`` that pass
        ``filters``, best first.

        ``score`` is the cosine similarity and ``level`` its calibrated reading; ranking
        never cuts on either.
        """
        qvec = self.query_vectors.get(query, self.embed_query)
        rerank_pool = self.lexical_weight > 0.0 or self.smoothing > 0.0
        pool = max(50, 4 * k) if rerank_pool else (2 * k if collapse else k)
        while True:
            hits = self.index.search(qvec, pool, filters)
            ordered = self._rerank(query, hits)
            records = self.store.get_by_nums([n for n, _ in ordered])

            # A hit missing from ``records`` was deleted since the FAISS search.
            keys = {
                n: rerank.lineage_key(rec.id, rec.lineage) for n, rec in records.items()
            }
            chosen = (
                rerank.collapse(ordered, keys.get, k)
                if collapse
                else [h for h in ordered if h[0] in records][:k]
            )
            # Copies took slots and more records exist: look further.
            if len(chosen) >= k or len(hits) < pool:
                break
            pool *= 2
        also = self._also([records[n] for n, _ in chosen] if collapse else [], filters)
        terms = lexical.content_terms(query)
        return [
            SearchHit(
                record=records[num],
                score=score,
                matched_terms=lexical.matched_terms(
                    terms, f"{records[num].title} {records[num].summary}"
                ),
                level=self.levels.level(score),
                also=also.get(records[num].id, []),
            )
            for num, score in chosen
        ]

    def _rerank(
        self, query: str, hits: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        if self.lexical_weight > 0.0 and hits:
            dense = dict(hits)
            match = lexical.fts_query(query)
            lex = self.store.bm25(match, list(dense), len(dense)) if match else {}
            fused = lexical.fuse(dense, lex, self.lexical_weight)
            hits = [
                (n, dense[n])
                for n in sorted(fused, key=fused.__getitem__, reverse=True)
            ]
        if self.smoothing > 0.0 and len(hits) > 1:
            vectors = self.index.vectors_of([n for n, _ in hits])
            hits = rerank.smooth(hits, vectors, self.smoothing)
        return hits

    def _also(
        self, chosen: list[ProjectRecord], filters: Filters
    ) -> dict[str, list[dict[str, object]]]:
        """Per chosen record id: the other members of its lineage passing ``filters``."""
        members = self.store.lineage_members(
            sorted({r.lineage for r in chosen if r.lineage})
        )
        return {
            rec.id: [
                {"id": pid, "year": year}
                for pid, year, library_id, region in members.get(rec.lineage, [])
                if pid != rec.id and filters.allows(library_id, year, region)
            ]
            for rec in chosen
            if rec.lineage
        }

    def ids(self, after: str | None, limit: int) -> list[str]:
        return self.store.ids(after, limit)

    def count(self) -> int:
        return self.index.ntotal
