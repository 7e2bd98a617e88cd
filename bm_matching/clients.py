"""Talking to the matcher service (see DESIGN.md, "matcher_service HTTP contract (v1)").

``MatcherClient`` is the protocol the rest of bm_matching uses; ``HttpMatcherClient``
speaks HTTP with httpx, ``FakeMatcherClient`` keeps records in memory for unit tests
where matching is beside the point. ``get_client()`` returns the shared HTTP client
for the current settings; its connection pool keeps connections to the matcher open,
which saves a TCP handshake on every search.

Errors: ``MatcherUnavailable`` when the matcher cannot be reached or is not working
(connection refused, timeout, 5xx, rejected token). The editor sees a message and
keeps working; the worker backs off. ``MatcherRequestError`` when the matcher refused
what we sent (4xx): retrying the same request will not help.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import httpx

from .conf import get_setting

logger = logging.getLogger("bm_matching")

RETRY_STATUSES = frozenset({502, 503, 504})
IDS_PAGE = 10_000


class MatcherError(Exception):
    """Something went wrong talking to the matcher."""


class MatcherUnavailable(MatcherError):
    """The matcher could not be reached, timed out, failed (5xx) or refused our token."""


class MatcherRequestError(MatcherError):
    """The matcher refused the request (4xx); ``status`` and ``detail`` say why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"matcher answered {status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class MatcherRecord:
    """One project as the matcher stores it (``PUT /v1/projects/{id}``)."""

    id: str
    library_id: str
    library_name: str
    title: str
    summary: str = ""
    year: int | None = None
    region: str | None = None
    phase: str | None = None
    url: str | None = None
    # The root of the project's copy/import chain: its copies share it (one line).
    lineage: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class MatcherHit:
    """One search result as the matcher returned it."""

    id: str
    library_id: str
    library_name: str
    title: str
    score: float
    matched_terms: list[str] = field(default_factory=list)
    summary: str = ""
    year: int | None = None
    region: str | None = None
    phase: str | None = None
    url: str | None = None
    lineage: str | None = None
    # "good" | "possible" | "weak": the matcher's calibrated reading of the score.
    level: str = "possible"
    # The other members of the hit's lineage: {"id", "year"}.
    also: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class MatcherSearchResponse:
    hits: list[MatcherHit]
    took_ms: float


class MatcherClient(Protocol):
    """What bm_matching needs from a matcher."""

    def bulk_upsert(self, records: Sequence[MatcherRecord]) -> int:
        """Insert or replace records; returns how many the matcher acknowledged."""
        ...

    def delete(self, project_id: str) -> bool:
        """Delete one record; ``False`` if it was not there. Idempotent."""
        ...

    def feedback(
        self, query: str, project_id: str, signal: str, *, event_id: str | None = None
    ) -> bool:
        """Store what an editor did after a search; ``False`` if ``event_id`` was
        stored before."""
        ...

    def search(
        self,
        query: str,
        k: int,
        *,
        exclude_library_ids: Sequence[str] = (),
        filters: Mapping[str, Any] | None = None,
    ) -> MatcherSearchResponse: ...

    def iter_ids(self) -> Iterator[str]:
        """Every id the matcher holds, in ascending order."""
        ...

    def get(self, project_id: str) -> dict[str, Any] | None: ...

    def health(self) -> dict[str, Any]: ...


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])[:500]
    return str(body)[:500]


def _hit(item: Mapping[str, Any]) -> MatcherHit:
    return MatcherHit(
        id=str(item["id"]),
        library_id=str(item["library_id"]),
        library_name=str(item.get("library_name", "")),
        title=str(item.get("title", "")),
        score=float(item.get("score", 0.0)),
        matched_terms=list(item.get("matched_terms") or []),
        summary=str(item.get("summary") or ""),
        year=item.get("year"),
        region=item.get("region"),
        phase=item.get("phase"),
        url=item.get("url"),
        lineage=item.get("lineage"),
        # A matcher from before levels: every hit is "possible".
        level=str(item.get("level") or "possible"),
        also=[dict(m) for m in item.get("also") or []],
    )


class HttpMatcherClient:
    """The matcher over HTTP, with timeouts, retries and the bearer token.

    Every call is idempotent (upserts and deletes by id, read-only search and
    listing), so each is retried ``retries`` times, with a short pause, when the
    request did not get through (connect error, dropped keep-alive connection) or the
    matcher answered 502/503/504. A read timeout is not retried: the matcher is busy
    or stuck, and the caller (an editor waiting, or the worker with its backoff) is
    better placed to decide. Thread-safe: one instance serves all threads.

    :param base_url: e.g. ``http://127.0.0.1:8765``.
    :param token: the matcher's ``MATCHER_API_TOKEN``.
    :param timeout: seconds to wait for a write or listing.
    :param search_timeout: seconds to wait for a search.
    :param connect_timeout: seconds to establish a connection.
    :param retries: extra attempts after a failure that is worth retrying.
    :param transport: an httpx transport (tests wrap the real one to count calls).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        search_timeout: float = 3.0,
        connect_timeout: float = 1.0,
        retries: int = 2,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = max(0, int(retries))
        self._timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self._search_timeout = httpx.Timeout(search_timeout, connect=connect_timeout)
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=self._timeout,
            # The matcher sits next to the CMS: never route it through a proxy.
            trust_env=False,
            transport=transport,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        )

    def close(self) -> None:
        self._http.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        timeout: httpx.Timeout | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    method, path, timeout=timeout or self._timeout, **kwargs
                )
            except (
                httpx.ConnectError,
                httpx.ConnectTimeout,
                httpx.RemoteProtocolError,
                httpx.WriteError,
            ) as exc:
                if attempt < self.retries:
                    attempt += 1
                    time.sleep(0.05 * 2**attempt)
                    continue
                raise MatcherUnavailable(
                    f"cannot reach the matcher at {self.base_url}: {exc}"
                ) from exc
            except httpx.TimeoutException as exc:
                raise MatcherUnavailable(
                    f"the matcher at {self.base_url} did not answer in time ({exc})"
                ) from exc
            except httpx.HTTPError as exc:
                raise MatcherUnavailable(
                    f"error talking to the matcher at {self.base_url}: {exc}"
                ) from exc
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                attempt += 1
                time.sleep(0.05 * 2**attempt)
                continue
            return self._check(response)

    def _check(self, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 400:
            return response
        if status in (401, 403):
            raise MatcherUnavailable(
                f"the matcher refused our token ({status}): check "
                "BM_MATCHING['MATCHER_API_TOKEN'] against the matcher's MATCHER_API_TOKEN"
            )
        if status >= 500:
            raise MatcherUnavailable(
                f"the matcher failed ({status}): {_detail(response)}"
            )
        raise MatcherRequestError(status, _detail(response))

    # --- writes -----------------------------------------------------------------
    def bulk_upsert(self, records: Sequence[MatcherRecord]) -> int:
        if not records:
            return 0
        response = self._request(
            "POST",
            "/v1/projects/bulk",
            json={"projects": [record.as_json() for record in records]},
        )
        return int(response.json().get("upserted", len(records)))

    def upsert(self, record: MatcherRecord) -> None:
        body = record.as_json()
        body.pop("id")
        self._request("PUT", f"/v1/projects/{record.id}", json=body)

    def delete(self, project_id: str) -> bool:
        response = self._request("DELETE", f"/v1/projects/{project_id}")
        return bool(response.json().get("deleted", False))

    def feedback(
        self, query: str, project_id: str, signal: str, *, event_id: str | None = None
    ) -> bool:
        body = {"query": query, "project_id": project_id, "signal": signal}
        if event_id:
            body["event_id"] = event_id
        response = self._request("POST", "/v1/feedback", json=body)
        return bool(response.json().get("stored", True))

    # --- reads ------------------------------------------------------------------
    def search(
        self,
        query: str,
        k: int,
        *,
        exclude_library_ids: Sequence[str] = (),
        filters: Mapping[str, Any] | None = None,
    ) -> MatcherSearchResponse:
        body: dict[str, Any] = {
            "query": query,
            "k": k,
            "exclude_library_ids": list(exclude_library_ids),
        }
        if filters:
            body["filters"] = dict(filters)
        response = self._request(
            "POST", "/v1/search", json=body, timeout=self._search_timeout
        )
        data = response.json()
        return MatcherSearchResponse(
            hits=[_hit(item) for item in data.get("results", [])],
            took_ms=float(data.get("took_ms", 0.0)),
        )

    def iter_ids(self) -> Iterator[str]:
        after: str | None = None
        while True:
            params: dict[str, Any] = {"limit": IDS_PAGE}
            if after is not None:
                params["after"] = after
            data = self._request("GET", "/v1/projects/ids", params=params).json()
            yield from data.get("ids", [])
            after = data.get("next_after")
            if not after:
                return

    def get(self, project_id: str) -> dict[str, Any] | None:
        try:
            return self._request("GET", f"/v1/projects/{project_id}").json()
        except MatcherRequestError as exc:
            if exc.status == 404:
                return None
            raise

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/v1/health").json()


_WORD = re.compile(r"\w+", re.UNICODE)


class FakeMatcherClient:
    """An in-memory matcher for unit tests where matching is beside the point.

    Scores by shared words, so tests can tell results apart, but it says nothing about
    ranking quality. Collapses lineages like the matcher; levels from the share of
    the query's words found (good >= 3/4, possible >= 2/5). Set ``available = False``
    to simulate an outage; ``calls`` lists every call as ``(method, argument)``.
    """

    def __init__(self) -> None:
        self.records: dict[str, MatcherRecord] = {}
        self.events: dict[str, tuple[str, str, str]] = {}
        self.available = True
        self.calls: list[tuple[str, Any]] = []
        self._lock = threading.Lock()

    def _check(self) -> None:
        if not self.available:
            raise MatcherUnavailable("fake matcher is down")

    def bulk_upsert(self, records: Sequence[MatcherRecord]) -> int:
        with self._lock:
            self.calls.append(("bulk_upsert", [r.id for r in records]))
            self._check()
            for record in records:
                self.records[record.id] = record
        return len(records)

    def upsert(self, record: MatcherRecord) -> None:
        self.bulk_upsert([record])

    def delete(self, project_id: str) -> bool:
        with self._lock:
            self.calls.append(("delete", project_id))
            self._check()
            return self.records.pop(project_id, None) is not None

    def feedback(
        self, query: str, project_id: str, signal: str, *, event_id: str | None = None
    ) -> bool:
        with self._lock:
            self.calls.append(("feedback", (query, project_id, signal)))
            self._check()
            key = event_id or f"{query}|{project_id}|{signal}|{len(self.events)}"
            if key in self.events:
                return False
            self.events[key] = (query, project_id, signal)
            return True

    def search(
        self,
        query: str,
        k: int,
        *,
        exclude_library_ids: Sequence[str] = (),
        filters: Mapping[str, Any] | None = None,
    ) -> MatcherSearchResponse:
        with self._lock:
            self.calls.append(("search", query))
            self._check()
            words = {w.lower() for w in _WORD.findall(query)}
            allowed = _fake_filter(filters or {})
            scored = []
            for record in self.records.values():
                if record.library_id in exclude_library_ids or not allowed(record):
                    continue
                text = {
                    w.lower() for w in _WORD.findall(f"{record.title} {record.summary}")
                }
                shared = sorted(words & text)
                score = len(shared) / (len(words) or 1)
                scored.append((score, record, shared))
            scored.sort(key=lambda item: (-item[0], item[1].id))
            hits = []
            lines: dict[str, list[MatcherRecord]] = {}
            for _, record, _ in scored:
                lines.setdefault(record.lineage or f"id:{record.id}", []).append(record)
            for score, record, shared in scored:
                line = lines.pop(record.lineage or f"id:{record.id}", None)
                if line is None:
                    continue  # a lower member of a lineage already listed
                level = (
                    "good" if score >= 0.75 else "possible" if score >= 0.4 else "weak"
                )
                also = [{"id": r.id, "year": r.year} for r in line[1:]]
                hits.append(
                    MatcherHit(
                        score=score,
                        matched_terms=shared,
                        level=level,
                        also=also,
                        **asdict(record),
                    )
                )
                if len(hits) == k:
                    break
        return MatcherSearchResponse(hits=hits, took_ms=0.0)

    def iter_ids(self) -> Iterator[str]:
        self._check()
        yield from sorted(self.records)

    def get(self, project_id: str) -> dict[str, Any] | None:
        self._check()
        record = self.records.get(project_id)
        return record.as_json() if record else None

    def health(self) -> dict[str, Any]:
        self._check()
        return {"status": "ok", "model": "fake", "records": len(self.records)}


def _as_set(value: Any) -> set[Any] | None:
    if value is None:
        return None
    return (
        set(value)
        if isinstance(value, Iterable) and not isinstance(value, str)
        else {value}
    )


def _fake_filter(filters: Mapping[str, Any]):
    years = _as_set(filters.get("year"))
    regions = _as_set(filters.get("region"))
    libraries = _as_set(filters.get("library_id"))

    def allowed(record: MatcherRecord) -> bool:
        return (
            (years is None or record.year in years)
            and (regions is None or record.region in regions)
            and (libraries is None or record.library_id in libraries)
        )

    return allowed


_client_lock = threading.Lock()
_client: HttpMatcherClient | None = None
_client_key: tuple[Any, ...] | None = None
_override: MatcherClient | None = None


def _settings_key() -> tuple[Any, ...]:
    return tuple(
        get_setting(name)
        for name in (
            "MATCHER_URL",
            "MATCHER_API_TOKEN",
            "TIMEOUT",
            "SEARCH_TIMEOUT",
            "CONNECT_TIMEOUT",
            "RETRIES",
        )
    )


def get_client() -> MatcherClient:
    """The matcher client for the current ``BM_MATCHING`` settings (shared, cached)."""
    global _client, _client_key
    if _override is not None:
        return _override
    key = _settings_key()
    with _client_lock:
        if _client is None or _client_key != key:
            if _client is not None:
                _client.close()
            url, token, timeout, search_timeout, connect_timeout, retries = key
            _client = HttpMatcherClient(
                url,
                token,
                timeout=float(timeout),
                search_timeout=float(search_timeout),
                connect_timeout=float(connect_timeout),
                retries=int(retries),
            )
            _client_key = key
        return _client


def set_client_override(client: MatcherClient | None) -> None:
    """Make ``get_client()`` return ``client`` (tests); ``None`` restores HTTP."""
    global _override
    _override = client
