"""The real service with the real model, over HTTP, on the Dutch fixture corpus."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from matcher_corpus import LIBRARIES, PROJECTS, library_of, payload, topic_ids

from matcher_service.testing import MatcherProcess

pytestmark = pytest.mark.matcher


def search(client: httpx.Client, query: str, **body: Any) -> list[dict[str, Any]]:
    response = client.post("/v1/search", json={"query": query, **body})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def ids(results: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in results]


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("voorlezen aan baby's en peuters", "baby"),
        ("ouderen helpen met DigiD en online zaken van de overheid", "digital"),
        ("Nederlands oefenen met statushouders", "language"),
        ("leerlingen leren desinformatie te herkennen", "media"),
        ("jongeren leren programmeren en robots bouwen", "maker"),
        ("schuldhulp en budgetcursus", "money"),
        ("hulp bij het zoeken naar werk", "jobs"),
    ],
)
def test_dutch_query_ranks_its_topic_first(
    client: httpx.Client, query: str, topic: str
) -> None:
    expected = topic_ids(topic)
    top = ids(search(client, query, k=len(expected)))
    # The first hit is on topic, and most of the topic fills the top len(topic) places.
    assert top[0] in expected, (query, top)
    assert len(set(top) & expected) >= len(expected) - 1, (query, top)


@pytest.mark.parametrize(
    ("query", "topic"),
    [
        ("reading aloud to toddlers", "baby"),
        ("helping elderly people with e-government websites", "digital"),
        ("conversation practice for refugees learning Dutch", "language"),
        ("reading group for people with dementia", "dementia"),
    ],
)
def test_english_query_finds_dutch_projects(
    client: httpx.Client, query: str, topic: str
) -> None:
    top = ids(search(client, query, k=3))
    assert top[0] in topic_ids(topic), (query, top)


def test_result_carries_all_metadata_and_score(client: httpx.Client) -> None:
    result = search(client, "Repair Café", k=1)[0]
    stored = next(p for p in PROJECTS if p["id"] == result["id"])
    assert result["id"] == "p20"
    for key in (
        "library_id",
        "library_name",
        "title",
        "summary",
        "year",
        "region",
        "phase",
        "url",
    ):
        assert result[key] == stored[key]
    assert 0.5 < result["score"] <= 1.0
    assert "Repair" in result["matched_terms"]


def test_scores_are_descending_and_k_is_respected(client: httpx.Client) -> None:
    results = search(client, "bibliotheek", k=7)
    assert len(results) == 7
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_matched_terms_are_query_words_found_in_the_project(
    client: httpx.Client,
) -> None:
    result = search(client, "Taalcafé voor nieuwkomers in Utrecht", k=1)[0]
    assert result["id"] == "p07"
    assert result["matched_terms"] == ["Taalcafé", "nieuwkomers"]


def test_own_library_is_excluded_and_k_still_filled(client: httpx.Client) -> None:
    first = search(client, "voorlezen aan baby's en peuters", k=1)[0]
    own = first["library_id"]
    results = search(
        client, "voorlezen aan baby's en peuters", k=20, exclude_library_ids=[own]
    )
    own_count = sum(1 for p in PROJECTS if p["library_id"] == own)
    assert len(results) == 20
    assert len(PROJECTS) - own_count >= 20
    assert own not in {r["library_id"] for r in results}
    # Excluding every library but one leaves exactly that library's projects.
    others = [lib for lib in LIBRARIES if lib != "lib-zwo"]
    only = search(client, "bibliotheek", k=10, exclude_library_ids=others)
    assert {r["library_id"] for r in only} == {"lib-zwo"}
    assert len(only) == sum(1 for p in PROJECTS if p["library_id"] == "lib-zwo")


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"year": 2023}, lambda p: p["year"] == 2023),
        ({"year": [2023, 2025]}, lambda p: p["year"] in (2023, 2025)),
        ({"region": "Noord"}, lambda p: p["region"] == "Noord"),
        (
            {"network": ["Utrecht", "Noord-Holland"]},
            lambda p: p["region"] in ("Utrecht", "Noord-Holland"),
        ),
        ({"library_id": "lib-gro"}, lambda p: p["library_id"] == "lib-gro"),
        (
            {"library_id": ["lib-gro", "lib-ams"], "year": 2025},
            lambda p: p["library_id"] in ("lib-gro", "lib-ams") and p["year"] == 2025,
        ),
    ],
)
def test_filters(client: httpx.Client, filters: dict[str, Any], check: Any) -> None:
    expected = {p["id"] for p in PROJECTS if check(p)}
    results = search(client, "project in de bibliotheek", k=50, filters=filters)
    assert set(ids(results)) == expected


def test_filter_with_no_match_returns_empty(client: httpx.Client) -> None:
    assert search(client, "voorlezen", filters={"library_id": "nobody"}) == []


def test_upsert_replaces_and_delete_removes(client: httpx.Client) -> None:
    base = {"library_id": "lib-tmp", "library_name": "Tijdelijke bieb", "year": 2026}
    r = client.put(
        "/v1/projects/tmp-1",
        json={
            **base,
            "title": "Schaakclub voor kinderen",
            "summary": "Kinderen leren schaken op zaterdag.",
        },
    )
    assert r.status_code == 200 and r.json() == {"upserted": 1, "embedded": 1}
    total = client.get("/v1/health").json()["records"]
    before = search(client, "schaken", k=1)[0]
    assert before["id"] == "tmp-1"

    # Same id, new text: replaced, not duplicated.
    r = client.put(
        "/v1/projects/tmp-1",
        json={
            **base,
            "title": "Breicafé voor buurtbewoners",
            "summary": "Samen breien bij de koffie.",
        },
    )
    assert r.status_code == 200
    assert client.get("/v1/health").json()["records"] == total
    assert ids(search(client, "breien", k=1)) == ["tmp-1"]
    # The old text is gone: "schaken" no longer finds it first, and scores it lower.
    # (The new text shares no word with the old: "haken" next to "schaken" made
    # the int8 query graph on one CPU rank it first on its own merit.)
    after = search(client, "schaken", k=len(PROJECTS) + 1)
    assert after[0]["id"] != "tmp-1"
    assert (
        next(r["score"] for r in after if r["id"] == "tmp-1") < before["score"] - 0.03
    )
    assert (
        client.get("/v1/projects/tmp-1").json()["title"]
        == "Breicafé voor buurtbewoners"
    )

    # Metadata-only change keeps the vector (no re-embedding).
    r = client.put(
        "/v1/projects/tmp-1",
        json={
            **base,
            "title": "Breicafé voor buurtbewoners",
            "summary": "Samen breien bij de koffie.",
            "phase": "done",
        },
    )
    assert r.json() == {"upserted": 1, "embedded": 0}

    r = client.delete("/v1/projects/tmp-1")
    assert r.status_code == 200 and r.json() == {"id": "tmp-1", "deleted": True}
    assert client.delete("/v1/projects/tmp-1").json()["deleted"] is False
    assert client.get("/v1/projects/tmp-1").status_code == 404
    assert "tmp-1" not in ids(search(client, "breien en haken", k=5))
    assert client.get("/v1/health").json()["records"] == total - 1


def test_ids_endpoint_lists_everything(client: httpx.Client) -> None:
    body = client.get("/v1/projects/ids").json()
    assert set(body["ids"]) >= {p["id"] for p in PROJECTS}
    assert body["next_after"] is None
    page = client.get("/v1/projects/ids", params={"limit": 5}).json()
    assert (
        page["ids"] == sorted(body["ids"])[:5] and page["next_after"] == page["ids"][-1]
    )


def test_health_needs_no_token(matcher: MatcherProcess) -> None:
    body = httpx.get(f"{matcher.url}/v1/health").json()
    assert body["status"] == "ok"
    assert body["model"] == "multilingual-e5-small" and body["dim"] == 384
    assert body["records"] >= len(PROJECTS)


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("POST", "/v1/search", {}),
        ("POST", "/v1/search", {"Authorization": "Bearer wrong"}),
        ("POST", "/v1/search", {"Authorization": "test-token"}),
        ("PUT", "/v1/projects/x", {}),
        ("POST", "/v1/projects/bulk", {}),
        ("DELETE", "/v1/projects/p01", {}),
        ("GET", "/v1/projects/p01", {}),
        ("GET", "/v1/projects/ids", {"Authorization": "Basic dGVzdC10b2tlbg=="}),
    ],
)
def test_auth_required(
    matcher: MatcherProcess, method: str, path: str, headers: dict[str, str]
) -> None:
    body = {"query": "x"} if path == "/v1/search" else {"projects": []}
    r = httpx.request(method, matcher.url + path, headers=headers, json=body)
    assert r.status_code == 401
    assert r.json() == {"detail": "Missing or invalid bearer token."}
    # Nothing was deleted by the refused request.
    assert (
        httpx.get(f"{matcher.url}/v1/projects/p01", headers=matcher.headers).status_code
        == 200
    )


GOOD = {"library_id": "l", "library_name": "L", "title": "T"}

BAD_INPUTS: list[tuple[str, str, Any, int, str]] = [
    # (method, path, json body or raw bytes, expected status, words in the detail)
    ("POST", "/v1/search", {"query": ""}, 422, "query"),
    ("POST", "/v1/search", {"query": "   "}, 422, "query"),
    ("POST", "/v1/search", {"query": "a" * 10_000}, 422, "at most 2000"),
    ("POST", "/v1/search", {"query": "a", "k": 0}, 422, "k"),
    ("POST", "/v1/search", {"query": "a", "k": 101}, 422, "k"),
    ("POST", "/v1/search", {"query": "a", "k": "5"}, 422, "k"),
    ("POST", "/v1/search", {"query": "a", "k": 2.5}, 422, "k"),
    ("POST", "/v1/search", {"query": 12}, 422, "query"),
    ("POST", "/v1/search", {"query": "a", "colour": "red"}, 422, "Unknown field"),
    ("POST", "/v1/search", {"query": "a", "filters": {"year": "2024"}}, 422, "year"),
    (
        "POST",
        "/v1/search",
        {"query": "a", "filters": {"city": "Ede"}},
        422,
        "Unknown field",
    ),
    (
        "POST",
        "/v1/search",
        {"query": "a", "exclude_library_ids": "lib-ams"},
        422,
        "exclude_library_ids",
    ),
    (
        "POST",
        "/v1/search",
        {"query": "a", "exclude_library_ids": ["x" * 129]},
        422,
        "exclude_library_ids",
    ),
    ("POST", "/v1/search", {}, 422, "query"),
    ("POST", "/v1/search", ["query"], 422, "valid dictionary"),
    ("POST", "/v1/search", b"{not json", 422, "Invalid JSON"),
    ("POST", "/v1/search", b"", 422, ""),
    ("POST", "/v1/search", b'{"query": "\\ud800 lone surrogate"}', 422, "query"),
    (
        "POST",
        "/v1/search",
        b'{"query": "a", "filters": {"region": ["\\udc00"]}}',
        422,
        "invalid Unicode",
    ),
    ("POST", "/v1/search", b'{"query": "a", "k": 1e400}', 422, "k"),
    (
        "POST",
        "/v1/search",
        '{"query": "caf\u00e9"}'.encode("latin-1"),
        400,
        "parsing the body",
    ),
    ("POST", "/v1/search", b'{"query": "' + b"a" * 300_000 + b'"}', 413, "larger than"),
    ("PUT", "/v1/projects/x", {**GOOD, "title": ""}, 422, "title"),
    ("PUT", "/v1/projects/x", {"library_id": "l", "title": "T"}, 422, "library_name"),
    ("PUT", "/v1/projects/x", {**GOOD, "year": "2024"}, 422, "year"),
    ("PUT", "/v1/projects/x", {**GOOD, "year": 99999}, 422, "year"),
    ("PUT", "/v1/projects/x", {**GOOD, "library_id": "x" * 129}, 422, "library_id"),
    ("PUT", "/v1/projects/x", {**GOOD, "owner": "me"}, 422, "Unknown field"),
    ("PUT", "/v1/projects/x", {**GOOD, "id": "y"}, 422, "Unknown field"),
    ("PUT", "/v1/projects/" + "x" * 129, GOOD, 422, "project_id"),
    ("POST", "/v1/projects/bulk", {"projects": [GOOD]}, 422, "id"),
    ("POST", "/v1/projects/bulk", {"projects": {"id": "x"}}, 422, "projects"),
    ("POST", "/v1/projects/bulk", {"items": []}, 422, "Unknown field"),
    (
        "POST",
        "/v1/projects/bulk",
        b'{"projects": [{"id": "\\ud800", "library_id": "l", "library_name": "L", "title": "t"}]}',
        422,
        "projects.0.id",
    ),
    ("GET", "/v1/projects/ids?limit=0", None, 422, "limit"),
    ("GET", "/v1/nowhere", None, 404, "No such route"),
    ("PATCH", "/v1/projects/p01", GOOD, 405, "not allowed"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "words"), BAD_INPUTS)
def test_bad_input_is_a_clear_4xx_and_changes_nothing(
    client: httpx.Client, method: str, path: str, body: Any, status: int, words: str
) -> None:
    before = client.get("/v1/projects/ids").json()["ids"]
    if isinstance(body, bytes):
        r = client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
    else:
        r = client.request(method, path, json=body)
    assert r.status_code == status, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and words in detail
    assert client.get("/v1/projects/ids").json()["ids"] == before


def test_bulk_with_one_bad_record_stores_none(client: httpx.Client) -> None:
    good = {**payload(PROJECTS[0]), "id": "bulk-ok"}
    bad = {**payload(PROJECTS[1]), "id": "bulk-bad", "year": "twenty"}
    r = client.post("/v1/projects/bulk", json={"projects": [good, bad]})
    assert r.status_code == 422 and "projects.1.year" in r.json()["detail"]
    assert client.get("/v1/projects/bulk-ok").status_code == 404


def test_own_library_projects_are_the_only_match_when_filtered(
    client: httpx.Client,
) -> None:
    lib = library_of("p10")
    results = search(client, "nepnieuws", filters={"library_id": lib})
    assert results[0]["id"] == "p10"
    assert {r["library_id"] for r in results} == {lib}
