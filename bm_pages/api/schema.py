"""OpenAPI schema (drf-spectacular) helpers."""

from __future__ import annotations

from typing import Any

PUBLIC_WAGTAIL_API_PREFIX = "/api/v2/"


def drf_api_endpoints_only(endpoints: list[tuple], **kwargs: Any) -> list[tuple]:
    """Keep the authenticated DRF API (``/api/...``) in the schema, nothing else.

    The Wagtail admin's own API and the public Wagtail API v2 are not DRF-style
    endpoints (their fields depend on ``?fields=``); they are documented elsewhere.
    """
    return [
        endpoint
        for endpoint in endpoints
        if endpoint[0].startswith("/api/")
        and not endpoint[0].startswith(PUBLIC_WAGTAIL_API_PREFIX)
    ]
