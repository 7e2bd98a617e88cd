"""FAISS storage kinds: flat, SQ8 and auto (flat, then SQ8 above a size); deletes work on
both, through the index and through the real service."""

from __future__ import annotations

from pathlib import Path

import httpx
import numpy as np
import pytest

from matcher_service.index import SQ8_MIN_TRAIN, Filters, VectorIndex
from matcher_service.testing import run_matcher


def _unit(rng: np.random.Generator, n: int, dim: int = 64) -> np.ndarray:
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_sq8_finds_what_flat_finds_and_deletes() -> None:
    rng = np.random.default_rng(3)
    vecs = _unit(rng, 3000)
    nums = np.arange(1, 3001, dtype=np.int64)
    attrs = [(f"lib{i % 7}", 2020 + i % 5, None) for i in range(3000)]
    flat, sq8 = VectorIndex(64, "flat"), VectorIndex(64, "sq8")
    for index in (flat, sq8):
        index.upsert(nums, vecs, attrs)
    assert (flat.storage, sq8.storage) == ("flat", "sq8")
    overlap = []
    for q in _unit(rng, 50):
        a = {n for n, _ in flat.search(q, 10, Filters())}
        b = {n for n, _ in sq8.search(q, 10, Filters())}
        overlap.append(len(a & b) / 10)
    assert np.mean(overlap) >= 0.9
    # Its own vector finds each record first; after a delete it is gone, filters still hold.
    target = 1234
    assert sq8.search(vecs[target - 1], 1, Filters())[0][0] == target
    sq8.remove(target)
    assert target not in {n for n, _ in sq8.search(vecs[target - 1], 50, Filters())}
    hits = sq8.search(vecs[10], 20, Filters(exclude_library_ids=["lib0"], years=[2021]))
    assert hits and all(
        attrs[n - 1][0] != "lib0" and attrs[n - 1][1] == 2021 for n, _ in hits
    )
    # Replacing a vector keeps one copy under the same id.
    sq8.upsert(np.array([5], dtype=np.int64), vecs[99:100], [("lib5", 2020, None)])
    assert sq8.ntotal == 2999
    assert sq8.search(vecs[99], 2, Filters())[0][0] in (5, 100)


def test_auto_switches_to_sq8_above_its_size() -> None:
    rng = np.random.default_rng(4)
    index = VectorIndex(64, "auto", sq8_min_records=2000)
    index.upsert(
        np.arange(1500, dtype=np.int64), _unit(rng, 1500), [("l", None, None)] * 1500
    )
    assert index.storage == "flat"
    index.upsert(
        np.arange(1500, 2500, dtype=np.int64),
        _unit(rng, 1000),
        [("l", None, None)] * 1000,
    )
    assert index.storage == "sq8" and index.ntotal == 2500
    # "sq8" waits for enough vectors to learn the ranges from.
    small = VectorIndex(64, "sq8")
    small.upsert(
        np.arange(10, dtype=np.int64), _unit(rng, 10), [("l", None, None)] * 10
    )
    assert small.storage == "flat" and SQ8_MIN_TRAIN > 10
    with pytest.raises(ValueError, match="index kind"):
        VectorIndex(64, "hnsw")


def test_service_with_sq8_searches_deletes_and_restarts(tmp_path: Path) -> None:
    projects = [
        {
            "id": f"s{i}",
            "library_id": f"lib{i % 9}",
            "library_name": "Bibliotheek",
            "title": f"Project {i} leesclub taalcafé {i * 7919 % 1000}",
            "year": 2020 + i % 6,
        }
        for i in range(1500)
    ]
    with run_matcher(
        tmp_path / "data", model="fake", env={"MATCHER_INDEX": "sq8"}
    ) as m:
        c = httpx.Client(base_url=m.url, headers=m.headers, timeout=60)
        for start in range(0, 1500, 500):
            assert (
                c.post(
                    "/v1/projects/bulk",
                    json={"projects": projects[start : start + 500]},
                ).status_code
                == 200
            )
        target = projects[700]
        first = c.post("/v1/search", json={"query": target["title"], "k": 5}).json()[
            "results"
        ]
        assert first[0]["id"] == "s700"
        assert c.delete("/v1/projects/s700").json() == {"id": "s700", "deleted": True}
        after = c.post("/v1/search", json={"query": target["title"], "k": 20}).json()[
            "results"
        ]
        assert "s700" not in {r["id"] for r in after} and len(after) == 20
        c.close()
        m.restart()
        assert "(sq8 index)" in m.stderr_text()
        assert httpx.get(f"{m.url}/v1/health").json()["records"] == 1499
        again = httpx.post(
            f"{m.url}/v1/search",
            headers=m.headers,
            json={"query": target["title"], "k": 20},
        ).json()["results"]
        assert "s700" not in {r["id"] for r in again}
