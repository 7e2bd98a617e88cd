"""Health endpoints of the CMS, for compose, load balancers and orchestrators.

- ``/healthz/``: liveness. The process answers; nothing else is checked.
- ``/readyz/``: readiness. The database and the cache (Redis in production: the API
  throttles count there, so the API fails without it) must answer (else 503); the
  matcher's reachability is reported but does not fail readiness, because the CMS
  works without it (the index outbox catches up later).

``HealthCheckMiddleware`` answers both paths before any other middleware runs, so a
probe by IP address or ``localhost`` is neither refused by ``ALLOWED_HOSTS`` nor
redirected to HTTPS. Production puts it first in ``MIDDLEWARE``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

MATCHER_TIMEOUT = 2.0


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("readiness: database unreachable: %s", exc)
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_cache() -> dict:
    started = time.perf_counter()
    try:
        cache.set("bm:readyz", "ok", timeout=10)
        answered = cache.get("bm:readyz")
    except Exception as exc:  # noqa: BLE001 - any backend's connection error
        logger.warning("readiness: cache unreachable: %s", exc)
        return {"ok": False, "error": exc.__class__.__name__}
    if answered != "ok":
        return {"ok": False, "error": "no answer"}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def check_matcher() -> dict:
    url = settings.BM_MATCHING.get("MATCHER_URL", "").rstrip("/")
    if not url:
        return {"ok": False, "error": "MATCHER_URL is not set"}
    started = time.perf_counter()
    try:
        response = httpx.get(f"{url}/v1/health", timeout=MATCHER_TIMEOUT)
    except httpx.HTTPError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    if response.status_code != 200:
        return {"ok": False, "error": f"HTTP {response.status_code}"}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
def liveness(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readiness(request: HttpRequest) -> JsonResponse:
    database = check_database()
    cache_check = check_cache()
    matcher = check_matcher()
    ready = database["ok"] and cache_check["ok"]
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {"database": database, "cache": cache_check, "matcher": matcher},
    }
    return JsonResponse(body, status=200 if ready else 503)


HEALTH_VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz/": liveness,
    "/readyz/": readiness,
}


class HealthCheckMiddleware:
    """Answers ``/healthz/`` and ``/readyz/`` (GET/HEAD) before host checks and redirects."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = HEALTH_VIEWS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
