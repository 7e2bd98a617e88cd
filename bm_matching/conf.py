"""Settings of bm_matching, read from the ``BM_MATCHING`` dict with defaults.

Read through :func:`get_setting` at the moment of use (not at import), so tests can
override ``settings.BM_MATCHING`` and a host site only sets what it changes.
"""

from __future__ import annotations

from typing import Any

from bm_pages.conf import AppSettings

DEFAULTS: dict[str, Any] = {
    # Where the matcher service answers, and the bearer token it requires.
    "MATCHER_URL": "http://127.0.0.1:8765",
    "MATCHER_API_TOKEN": "",
    # Seconds to establish a connection: the matcher runs next to the CMS, so a
    # slow connect means it is down, not busy.
    "CONNECT_TIMEOUT": 1.0,
    # Seconds to wait for writes (a bulk upsert embeds up to BATCH_SIZE texts on CPU).
    "TIMEOUT": 30.0,
    # Seconds an editor's search may take before the panel says the matcher is slow.
    "SEARCH_TIMEOUT": 3.0,
    # Extra attempts for a call that failed on the network or with 502/503/504.
    # Every matcher call is idempotent (upserts and deletes by id, read-only search).
    "RETRIES": 2,
    # Outbox rows the worker claims per round; at most the matcher's max_bulk (2000).
    "BATCH_SIZE": 100,
    # Exponential backoff for rows that failed: MIN_BACKOFF * 2 ** (attempts - 1),
    # capped at MAX_BACKOFF, with jitter. Seconds.
    "MIN_BACKOFF": 1.0,
    "MAX_BACKOFF": 300.0,
    # How often an idle worker looks for rows when it has no other wake-up
    # (PostgreSQL wakes it at once through LISTEN/NOTIFY). Seconds.
    "POLL_INTERVAL": 2.0,
    # Done rows are kept this many days (for `matcher_status`), then pruned.
    "DONE_RETENTION_DAYS": 7,
    # The largest ``k`` a search may ask for.
    "MAX_RESULTS": 50,
}


_settings = AppSettings("BM_MATCHING", DEFAULTS)


def get_setting(name: str) -> Any:
    """Return ``BM_MATCHING[name]``, or its default (a name of :data:`DEFAULTS`).

    :raises ImproperlyConfigured: for a name bm_matching does not know.
    """
    return _settings.get(name)
