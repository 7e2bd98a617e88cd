"""Plumbing with the FakeEmbedder: limits, pagination, concurrency, filter logic, CLI.

Ranking quality is beside the point here; the real model is tested elsewhere.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from matcher_service.__main__ import main
from matcher_service.embedder import FakeEmbedder
from matcher_service.engine import MatcherEngine
from matcher_service.index import Filters, VectorIndex
from matcher_service.store import ProjectRecord
from matcher_service.testing import run_matcher


def _project(i: int, lib: str = "lib") -> dict[str, object]:
    return {
        "id": f"id-{i:05d}",
        "library_id": lib,
        "library_name": "L",
        "title": f"project {i}",
    }


def test_body_larger_than_the_limit_is_413(fake_client: TestClient) -> None:
    big = {"projects": [{**_project(i), "summary": "x" * 2000} for i in range(40)]}
    r = fake_client.post("/v1/projects/bulk", json=big)
    assert r.status_code == 413 and "larger than" in r.json()["detail"]
    assert fake_client.get("/v1/health").json()["records"] == 0


def test_too_many_projects_in_one_bulk_is_413(tmp_path: Path) -> None:
    from matcher_service.app import create_app
    from matcher_service.config import MatcherSettings

    settings = MatcherSettings(api_token="t", data_dir=tmp_path, max_bulk=3)
    with TestClient(
        create_app(settings, embedder=FakeEmbedder()),
        headers={"Authorization": "Bearer t"},
    ) as c:
        r = c.post(
            "/v1/projects/bulk", json={"projects": [_project(i) for i in range(4)]}
        )
        assert r.status_code == 413 and "At most 3" in r.json()["detail"]


def test_ids_paginate_in_order(fake_client: TestClient) -> None:
    r = fake_client.post(
        "/v1/projects/bulk", json={"projects": [_project(i) for i in range(25)]}
    )
    assert r.json() == {"upserted": 25, "embedded": 25}
    seen: list[str] = []
    after = None
    while True:
        params = {"limit": 10, **({"after": after} if after else {})}
        page = fake_client.get("/v1/projects/ids", params=params).json()
        seen += page["ids"]
        assert page["total"] == 25
        after = page["next_after"]
        if after is None:
            break
    assert seen == sorted(f"id-{i:05d}" for i in range(25))


def test_ids_may_hold_any_characters(fake_client: TestClient) -> None:
    odd = "page/12 ä?x=1#frag"
    path = "/v1/projects/" + quote(odd, safe="/")
    body = {k: v for k, v in _project(1).items() if k != "id"}
    assert fake_client.put(path, json=body).status_code == 200
    assert fake_client.get(path).json()["id"] == odd
    r = fake_client.post(
        "/v1/projects/bulk", json={"projects": [{**body, "id": "bulk/" + odd}]}
    )
    assert r.status_code == 200
    assert fake_client.get("/v1/projects/ids").json()["ids"] == ["bulk/" + odd, odd]
    assert fake_client.delete(path).json() == {"id": odd, "deleted": True}


def test_repeated_id_in_one_bulk_keeps_the_last(fake_client: TestClient) -> None:
    first, second = _project(1), {**_project(1), "title": "second"}
    fake_client.post("/v1/projects/bulk", json={"projects": [first, second]})
    assert fake_client.get("/v1/projects/id-00001").json()["title"] == "second"
    assert fake_client.get("/v1/health").json()["records"] == 1


@pytest.mark.parametrize("seed", [0, 1])
def test_filtered_search_equals_brute_force(seed: int) -> None:
    """Both the over-fetch and the bitmap-selector paths return the exact filtered top k."""
    rng = np.random.default_rng(seed)
    n, dim = 3000, 16
    vecs = rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    libs = [f"lib{i % 50}" for i in range(n)]
    years = [2019 + i % 7 for i in range(n)]
    regions = [None if i % 5 == 0 else f"r{i % 3}" for i in range(n)]
    index = VectorIndex(dim)
    nums = np.arange(1, n + 1, dtype=np.int64)
    index.upsert(nums, vecs, list(zip(libs, years, regions, strict=True)))
    removed = set(range(1, n + 1, 17))
    for num in removed:
        index.remove(num)
    q = rng.normal(size=dim).astype(np.float32)
    cases = [
        Filters(exclude_library_ids=["lib1", "lib2"]),  # loose: over-fetch
        Filters(library_ids=["lib7"]),  # tight: selector
        Filters(years=[2020, 2021], regions=["r1"]),
        Filters(years=[2024], exclude_library_ids=[f"lib{i}" for i in range(45)]),
        Filters(regions=["nowhere"]),
    ]
    for f in cases:

        def ok(i: int, f: Filters = f) -> bool:
            return (
                (i + 1) not in removed
                and libs[i] not in f.exclude_library_ids
                and (f.library_ids is None or libs[i] in f.library_ids)
                and (f.years is None or years[i] in f.years)
                and (f.regions is None or regions[i] in f.regions)
            )

        allowed = [i for i in range(n) if ok(i)]
        expected = sorted(allowed, key=lambda i: -float(vecs[i] @ q))[:20]
        got = index.search(q, 20, f)
        assert [num - 1 for num, _ in got] == expected


def test_concurrent_searches_and_writes_are_safe(tmp_path: Path) -> None:
    errors: list[str] = []
    with run_matcher(tmp_path / "data", model="fake") as m:

        def write(worker: int) -> None:
            with httpx.Client(base_url=m.url, headers=m.headers, timeout=30) as c:
                for batch in range(10):
                    projects = [
                        _project(worker * 1000 + batch * 10 + j, lib=f"w{worker}")
                        for j in range(10)
                    ]
                    r = c.post("/v1/projects/bulk", json={"projects": projects})
                    if r.status_code != 200:
                        errors.append(r.text)
                    if batch % 3 == 0:
                        c.delete(f"/v1/projects/id-{worker * 1000 + batch * 10:05d}")

        def read() -> None:
            with httpx.Client(base_url=m.url, headers=m.headers, timeout=30) as c:
                for i in range(60):
                    r = c.post(
                        "/v1/search",
                        json={
                            "query": f"project {i}",
                            "k": 5,
                            "exclude_library_ids": ["w0"],
                        },
                    )
                    if r.status_code != 200 or any(
                        x["library_id"] == "w0" for x in r.json()["results"]
                    ):
                        errors.append(r.text)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
        threads += [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        ids = httpx.get(f"{m.url}/v1/projects/ids", headers=m.headers).json()
        assert len(ids["ids"]) == ids["total"] == 4 * (100 - 4)


def test_engine_reopens_from_sqlite_without_embedding(tmp_path: Path) -> None:
    class CountingEmbedder(FakeEmbedder):
        calls = 0

        def embed_documents(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
            CountingEmbedder.calls += len(texts)
            return super().embed_documents(texts, batch_size)

    engine = MatcherEngine(tmp_path, CountingEmbedder())
    engine.open()
    engine.upsert([ProjectRecord(f"x{i}", "l", "L", f"titel {i}") for i in range(50)])
    engine.close()
    CountingEmbedder.calls = 0
    again = MatcherEngine(tmp_path, CountingEmbedder())
    again.open()
    assert again.count() == 50
    assert CountingEmbedder.calls == 1  # the model probe only
    assert again.search("titel 7", 1, Filters())[0].record.id == "x7"


def test_stats_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = MatcherEngine(tmp_path, FakeEmbedder())
    engine.open()
    engine.upsert(
        [ProjectRecord("a", "l1", "L", "t"), ProjectRecord("b", "l2", "L", "t")]
    )
    engine.close()
    assert main(["stats", "--data-dir", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["records"] == 2 and out["libraries"] == 2 and out["model"] == "fake-hash"
    assert main(["stats", "--data-dir", str(tmp_path / "nothing")]) == 1


def test_service_refuses_to_start_without_token(tmp_path: Path) -> None:
    from matcher_service.app import create_app
    from matcher_service.config import MatcherSettings

    with pytest.raises(ValueError, match="MATCHER_API_TOKEN"):
        create_app(MatcherSettings(api_token="", data_dir=tmp_path))
