"""Repeated queries are answered from the LRU of query vectors, not embedded again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher_service.embedder import FakeEmbedder
from matcher_service.engine import MatcherEngine
from matcher_service.index import Filters
from matcher_service.query_cache import QueryVectorCache
from matcher_service.store import ProjectRecord


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts):  # type: ignore[no-untyped-def]
        self.queries.extend(texts)
        return super().embed_queries(texts)


def test_typing_a_title_embeds_each_prefix_once(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    engine = MatcherEngine(tmp_path, embedder)
    engine.open()
    engine.upsert([ProjectRecord(f"x{i}", "l", "L", f"titel {i}") for i in range(30)])
    embedder.queries.clear()  # the model probe and the documents
    typed = ["tit", "titel", "titel 7", "titel", "titel 7", "titel 7"]

    answers = [engine.search(query, 3, Filters()) for query in typed]
    engine.close()

    assert embedder.queries == ["tit", "titel", "titel 7"]
    assert engine.query_vectors.hits == 3
    assert [hit.record.id for hit in answers[2]] == [
        hit.record.id for hit in answers[5]
    ]
    assert answers[5][0].record.id == "x7"


def test_least_recently_used_query_is_dropped_first() -> None:
    embedded: list[str] = []

    def embed(query: str) -> np.ndarray:
        embedded.append(query)
        return np.full(4, len(embedded), dtype=np.float32)

    cache = QueryVectorCache(size=2)
    cache.get("a", embed)
    cache.get("b", embed)
    cache.get("a", embed)  # a is now the most recent
    cache.get("c", embed)  # drops b
    cache.get("a", embed)
    cache.get("b", embed)

    assert embedded == ["a", "b", "c", "b"]
    assert len(cache) == 2


def test_cached_vectors_cannot_be_changed_by_a_caller() -> None:
    cache = QueryVectorCache()
    vector = cache.get("q", lambda _query: np.ones(4, dtype=np.float32))
    with pytest.raises(ValueError, match="read-only"):
        vector[0] = 5.0
    assert cache.get("q", lambda _query: np.zeros(4, dtype=np.float32))[0] == 1.0
