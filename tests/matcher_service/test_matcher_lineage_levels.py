"""Lineage collapse with ``also``, match levels, feedback, stop words, old stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from matcher_corpus import topic_ids

from matcher_service.embedder import FakeEmbedder
from matcher_service.engine import DB_NAME, MatcherEngine
from matcher_service.index import Filters
from matcher_service.levels import calibrate, load_levels
from matcher_service.store import embed_text


def put(client: TestClient, pid: str, **fields: Any) -> None:
    body = {"library_id": "lib-a", "library_name": "Bibliotheek A", **fields}
    response = client.put(f"/v1/projects/{pid}", json=body)
    assert response.status_code == 200, response.text


def search(client: Any, query: str, **body: Any) -> list[dict[str, Any]]:
    response = client.post("/v1/search", json={"query": query, **body})
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


# --- lineage ----------------------------------------------------------------------------
def test_one_line_per_lineage_with_the_others_in_also(fake_client: TestClient) -> None:
    text = {"title": "Voorleesuur peuters", "summary": "Voorlezen aan peuters."}
    put(fake_client, "p2024", year=2024, lineage="L1", **text)
    put(fake_client, "p2025", year=2025, lineage="L1", **text)
    put(fake_client, "copy-b", year=2025, lineage="L1", library_id="lib-b", **text)
    put(fake_client, "other", year=2025, title="Voorleesuur peuters", summary="x")
    put(fake_client, "third", year=2025, title="Taalcafé", summary="Praten.")

    results = search(fake_client, "voorleesuur peuters", k=2)
    # k counts lineages: the three copies take one line, "other" the second.
    assert len(results) == 2
    lineage = next(r for r in results if r["lineage"] == "L1")
    members = {lineage["id"]} | {m["id"] for m in lineage["also"]}
    assert members == {"p2024", "p2025", "copy-b"}
    assert {m["year"] for m in lineage["also"]} <= {2024, 2025}
    assert any(r["id"] == "other" and r["also"] == [] for r in results)

    # Filters apply to ``also`` too: an excluded library's copy is not listed.
    excluded = search(fake_client, "voorleesuur peuters", exclude_library_ids=["lib-b"])
    line = next(r for r in excluded if r["lineage"] == "L1")
    assert "copy-b" not in {line["id"]} | {m["id"] for m in line["also"]}

    # Deleting the best member promotes another; without collapse every copy shows.
    assert fake_client.delete(f"/v1/projects/{lineage['id']}").status_code == 200
    again = search(fake_client, "voorleesuur peuters")
    assert sum(r["lineage"] == "L1" for r in again) == 1


def test_engine_without_collapse_returns_every_copy(tmp_path: Path) -> None:
    from matcher_service.store import ProjectRecord

    engine = MatcherEngine(tmp_path, FakeEmbedder())
    engine.open()
    engine.upsert(
        [
            ProjectRecord(
                f"c{i}",
                "l",
                "L",
                "Zomerlezen",
                "Lezen in de zomer",
                2020 + i,
                lineage="Z",
            )
            for i in range(4)
        ]
        + [ProjectRecord("solo", "l", "L", "Zomerlezen", "Lezen", 2024)]
    )
    collapsed = engine.search("zomerlezen", 10, Filters())
    assert len(collapsed) == 2
    assert len(engine.search("zomerlezen", 10, Filters(), collapse=False)) == 5
    # k=1 still finds a lineage even when its copies fill the first places.
    assert len(engine.search("zomerlezen", 2, Filters())) == 2
    engine.close()


def test_a_store_from_before_lineage_and_the_text_fix_keeps_working(
    tmp_path: Path,
) -> None:
    """A data dir written by the previous version: no lineage column, vectors of
    "title\\nsummary". It opens, gains the column, re-embeds once, and searches."""
    db = tmp_path / DB_NAME
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE projects (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
            library_id TEXT NOT NULL, library_name TEXT NOT NULL, title TEXT NOT NULL,
            summary TEXT NOT NULL, year INTEGER, region TEXT, phase TEXT, url TEXT,
            text_hash TEXT NOT NULL, vector BLOB NOT NULL, updated_at REAL NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )
    fake = FakeEmbedder()
    old_vec = fake.embed_documents(["Taalcafé\nPraten"])[0]
    conn.execute(
        "INSERT INTO projects VALUES (1, 'old', 'l', 'L', 'Taalcafé', 'Praten', 2023,"
        " NULL, NULL, NULL, 'h', ?, 0)",
        (np.asarray(old_vec, "<f4").tobytes(),),
    )
    conn.execute(
        "INSERT INTO meta VALUES ('model', json_object('name', 'fake-hash', 'dim', 64))"
    )
    conn.commit()
    conn.close()
    engine = MatcherEngine(tmp_path, fake)
    engine.open()
    assert engine.reembedded == 1
    stored = engine.store.get("old")
    assert stored is not None and stored.lineage is None
    hits = engine.search("taalcafé", 5, Filters())
    assert [h.record.id for h in hits] == ["old"] and hits[0].also == []
    vector = engine.index.vectors_of([1])[0]
    np.testing.assert_allclose(
        vector, fake.embed_documents([embed_text("Taalcafé", "Praten")])[0], atol=1e-6
    )
    engine.close()


def test_embed_text_ends_the_title_with_a_full_stop() -> None:
    assert embed_text("Taalcafé", "Praten over alledaagse dingen.") == (
        "Taalcafé. Praten over alledaagse dingen."
    )
    assert embed_text("Wat leest u?", "Een leesclub.") == "Wat leest u? Een leesclub."
    assert embed_text("Alleen een titel", "") == "Alleen een titel"


# --- levels -----------------------------------------------------------------------------
def test_calibrate_keeps_good_precise() -> None:
    hits = [
        (0.9 - i * 0.001, 2 if i < 30 else (1 if i < 60 else 0)) for i in range(200)
    ]
    levels = calibrate(hits, good_precision=0.8, possible_precision=0.5)
    good = [g for s, g in hits if s >= levels.good]
    assert len(good) >= 30 and sum(g == 2 for g in good) / len(good) >= 0.8
    assert levels.possible < levels.good
    assert levels.level(0.95) == "good" and levels.level(0.0) == "weak"


def test_levels_come_from_the_model_folder(tmp_path: Path) -> None:
    (tmp_path / "levels.json").write_text('{"good": 0.5, "possible": 0.4}')
    assert load_levels(tmp_path, "x").good == 0.5
    assert load_levels(tmp_path / "none", "multilingual-e5-small").source == "built-in"
    uncalibrated = load_levels(tmp_path / "none", "some-model")
    assert uncalibrated.level(0.99) == "possible" == uncalibrated.level(-0.5)


@pytest.mark.matcher
def test_real_service_reports_levels(client: httpx.Client) -> None:
    health = client.get("/v1/health").json()
    good, possible = health["levels"]["good"], health["levels"]["possible"]
    assert 0.5 < possible < good < 1.0
    on_topic = search(client, "voorlezen aan baby's en peuters")
    assert on_topic[0]["level"] in {"good", "possible"}
    assert on_topic[0]["id"] in topic_ids("baby")
    for hit in on_topic:
        expected = (
            "good"
            if hit["score"] >= good
            else ("possible" if hit["score"] >= possible else "weak")
        )
        assert hit["level"] == expected, hit
    # A subject no project in the corpus is about: nothing is called good.
    unrelated = search(client, "onderhoud van de parkeergarage en de liften")
    assert all(hit["level"] != "good" for hit in unrelated), unrelated


@pytest.mark.matcher
def test_matched_words_leave_out_stop_words(client: httpx.Client) -> None:
    results = search(client, "samen per week peuters krijgen voorlezen volgen")
    words = {w.lower() for r in results for w in r["matched_terms"]}
    assert "peuters" in words or "voorlezen" in words
    assert not words & {"samen", "per", "week", "krijgen", "volgen"}


# --- feedback ---------------------------------------------------------------------------
def test_feedback_is_stored_once_per_event(fake_client: TestClient) -> None:
    body = {"query": "voorleesuur", "project_id": "p1", "signal": "import"}
    first = fake_client.post("/v1/feedback", json={**body, "event_id": "e1"})
    assert first.status_code == 201 and first.json() == {
        "stored": True,
        "feedback": {"import": 1},
    }
    again = fake_client.post("/v1/feedback", json={**body, "event_id": "e1"})
    assert again.json()["stored"] is False
    fake_client.post(
        "/v1/feedback", json={**body, "signal": "partnership", "event_id": "e2"}
    )
    assert fake_client.get("/v1/health").json()["feedback"] == 2
    bad = fake_client.post("/v1/feedback", json={**body, "signal": "like"})
    assert bad.status_code == 422 and "signal" in bad.text
    assert fake_client.post("/v1/feedback", json={"query": "x"}).status_code == 422
