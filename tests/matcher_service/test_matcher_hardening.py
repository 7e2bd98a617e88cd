"""Hardening of the matcher's HTTP surface, through the real service over HTTP.

- A chunked body (no Content-Length) over the limit is a 413, like a declared one, and
  writes nothing.
- ``/docs``, ``/redoc`` and ``/openapi.json`` need no token, so they are off unless
  ``MATCHER_OPENAPI_DOCS`` enables them (production leaves it unset).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from matcher_service.config import MatcherSettings
from matcher_service.testing import run_matcher

LIMIT = 4096


def _chunked(payload: bytes, size: int = 1000) -> Iterator[bytes]:
    # A generator body makes httpx send Transfer-Encoding: chunked, no Content-Length.
    for start in range(0, len(payload), size):
        yield payload[start : start + size]


def _bulk(n: int, summary: str = "") -> bytes:
    projects = [
        {
            "id": f"c{i}",
            "library_id": "lib-1",
            "library_name": "Bibliotheek Een",
            "title": f"Voorleesuur {i}",
            "summary": summary,
        }
        for i in range(n)
    ]
    return json.dumps({"projects": projects}).encode()


@pytest.fixture
def small_limit_matcher(tmp_path: Path):
    with run_matcher(
        tmp_path / "data", model="fake", env={"MATCHER_MAX_BODY_BYTES": str(LIMIT)}
    ) as m:
        yield m


def test_chunked_body_over_the_limit_is_413_and_writes_nothing(
    small_limit_matcher,
) -> None:
    m = small_limit_matcher
    body = _bulk(20, summary="x" * 400)
    assert len(body) > LIMIT
    r = httpx.post(
        f"{m.url}/v1/projects/bulk",
        content=_chunked(body),
        headers={**m.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 413, r.text
    assert f"larger than {LIMIT} bytes" in r.json()["detail"]
    ids = httpx.get(f"{m.url}/v1/projects/ids", headers=m.headers, timeout=10).json()
    assert ids["total"] == 0 and ids["ids"] == []


def test_chunked_body_under_the_limit_is_accepted(small_limit_matcher) -> None:
    m = small_limit_matcher
    body = _bulk(3)
    r = httpx.post(
        f"{m.url}/v1/projects/bulk",
        content=_chunked(body, size=50),
        headers={**m.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert r.json()["upserted"] == 3
    assert httpx.get(f"{m.url}/v1/projects/ids", headers=m.headers).json()["total"] == 3


def test_chunked_search_over_its_limit_is_413(small_limit_matcher) -> None:
    m = small_limit_matcher
    # Search bodies have their own, smaller limit (256 KiB) whatever MAX_BODY_BYTES says.
    body = json.dumps(
        {"query": "lezen", "exclude_library_ids": ["x" * 100] * 3000}
    ).encode()
    r = httpx.post(
        f"{m.url}/v1/search",
        content=_chunked(body, size=64 * 1024),
        headers={**m.headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 413, r.text


def test_docs_and_schema_are_off_unless_enabled(tmp_path: Path) -> None:
    assert (
        MatcherSettings().openapi_docs is False
    )  # production: nothing set, nothing served
    with run_matcher(
        tmp_path / "off", model="fake", env={"MATCHER_OPENAPI_DOCS": "0"}
    ) as m:
        for path in ("/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"):
            r = httpx.get(f"{m.url}{path}", timeout=10)
            assert r.status_code == 404, path
            r = httpx.get(f"{m.url}{path}", headers=m.headers, timeout=10)
            assert r.status_code == 404, path
        assert httpx.get(f"{m.url}/v1/health", timeout=10).status_code == 200
    with run_matcher(
        tmp_path / "on", model="fake", env={"MATCHER_OPENAPI_DOCS": "1"}
    ) as m:
        assert (
            httpx.get(f"{m.url}/openapi.json", timeout=10).json()["info"]["title"]
            == "matcher_service"
        )
        assert httpx.get(f"{m.url}/docs", timeout=10).status_code == 200
        assert httpx.get(f"{m.url}/redoc", timeout=10).status_code == 200
