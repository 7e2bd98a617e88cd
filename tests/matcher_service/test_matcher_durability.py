"""Restart, model change and kill -9: the real service as a child process."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from matcher_corpus import PROJECTS, payload, topic_ids

from matcher_service.build.sample_texts import dutch_sentences
from matcher_service.testing import run_matcher

pytestmark = pytest.mark.matcher


def _ids(url: str, headers: dict[str, str]) -> list[str]:
    return httpx.get(f"{url}/v1/projects/ids", headers=headers).json()["ids"]


def _search(url: str, headers: dict[str, str], **body: Any) -> list[dict[str, Any]]:
    r = httpx.post(f"{url}/v1/search", headers=headers, json=body, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_restart_keeps_everything(model_dir: Path, tmp_path: Path) -> None:
    with run_matcher(tmp_path / "data", model=model_dir) as m:
        r = httpx.post(
            f"{m.url}/v1/projects/bulk",
            headers=m.headers,
            timeout=60,
            json={"projects": [payload(p) for p in PROJECTS]},
        )
        assert r.status_code == 200
        httpx.delete(f"{m.url}/v1/projects/p24", headers=m.headers)
        changed = {**payload(PROJECTS[0]), "title": "BoekStart-koffertje voor baby's"}
        del changed["id"]
        httpx.put(f"{m.url}/v1/projects/p01", headers=m.headers, json=changed)
        before_ids = _ids(m.url, m.headers)
        before = _search(m.url, m.headers, query="voorlezen aan baby's", k=5)

        m.restart()

        assert _ids(m.url, m.headers) == before_ids
        assert "p24" not in before_ids and len(before_ids) == len(PROJECTS) - 1
        assert (
            httpx.get(f"{m.url}/v1/projects/p01", headers=m.headers).json()["title"]
            == changed["title"]
        )
        after = _search(m.url, m.headers, query="voorlezen aan baby's", k=5)
        # Same vectors, not re-embedded: identical ranking and scores.
        assert [(r["id"], r["score"]) for r in after] == [
            (r["id"], r["score"]) for r in before
        ]
        assert "re-embedding" not in m.stderr_text()


def test_model_change_reembeds_stored_texts(model_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with run_matcher(data, model="fake") as m:
        r = httpx.post(
            f"{m.url}/v1/projects/bulk",
            headers=m.headers,
            json={"projects": [payload(p) for p in PROJECTS]},
        )
        assert r.status_code == 200
        assert httpx.get(f"{m.url}/v1/health").json()["dim"] == 64

    with run_matcher(data, model=model_dir) as m:
        health = httpx.get(f"{m.url}/v1/health").json()
        assert health["dim"] == 384 and health["records"] == len(PROJECTS)
        assert "re-embedding 24 stored records" in m.stderr_text()
        # Ranking is the real model's now: a paraphrase finds its topic.
        top = _search(m.url, m.headers, query="reading aloud to toddlers", k=3)
        assert top[0]["id"] in topic_ids("baby")


def test_kill_9_during_bulk_upsert_loses_no_acknowledged_write(
    model_dir: Path, tmp_path: Path
) -> None:
    texts = dutch_sentences(2000, seed=11)
    acknowledged: list[dict[str, Any]] = []
    failures: list[BaseException] = []
    stop = threading.Event()

    with run_matcher(tmp_path / "data", model=model_dir) as m:

        def writer() -> None:
            batch = 0
            with httpx.Client(base_url=m.url, headers=m.headers, timeout=60) as c:
                while not stop.is_set() and batch < 90:
                    records = [
                        {
                            "id": f"crash-{batch}-{j}",
                            "library_id": f"crash-lib-{batch}-{j}",
                            "library_name": "Crash",
                            "title": texts[(batch * 20 + j) % len(texts)],
                            "summary": texts[(batch * 20 + j + 7) % len(texts)],
                        }
                        for j in range(20)
                    ]
                    try:
                        r = c.post("/v1/projects/bulk", json={"projects": records})
                    except httpx.HTTPError as exc:
                        failures.append(exc)
                        return
                    assert r.status_code == 200
                    acknowledged.extend(records)
                    batch += 1

        thread = threading.Thread(target=writer)
        thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 100 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(acknowledged) >= 100, "the writer made no progress"
        time.sleep(0.07)  # land inside the next request's embedding or commit
        m.kill()
        thread.join(30)
        stop.set()
        # The kill interrupted a request in flight: the writer saw the connection drop.
        assert failures, "kill -9 did not hit an in-flight bulk upsert"

        m.restart()
        stored = set(_ids(m.url, m.headers))
        acked_ids = {r["id"] for r in acknowledged}
        assert acked_ids <= stored
        # Anything else stored can only be from the interrupted (committed, unanswered) batch.
        extra = stored - acked_ids
        assert len(extra) in (0, 20)
        health = httpx.get(f"{m.url}/v1/health").json()
        assert health["records"] == len(stored)
        # Every acknowledged record is in the index: a filter on its own library finds it.
        for rec in (
            acknowledged[:: max(1, len(acknowledged) // 40)] + acknowledged[-20:]
        ):
            hits = _search(
                m.url,
                m.headers,
                query=rec["title"],
                k=1,
                filters={"library_id": rec["library_id"]},
            )
            assert [h["id"] for h in hits] == [rec["id"]]
        # And unfiltered, its own title finds it near the top.
        for rec in acknowledged[-3:]:
            hits = _search(
                m.url, m.headers, query=rec["title"] + " " + rec["summary"], k=5
            )
            assert rec["id"] in [h["id"] for h in hits]
