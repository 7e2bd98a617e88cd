"""The public search's semantic source: the matcher, skipped for a while when down.

A reader of the public search must not wait for a matcher that is not there: the
client retries a refused connection with pauses (about 0.4 s in all), and every
search would pay that again. After a failure this process leaves the matcher out
for ``PAUSE_SECONDS`` and bm_pages serves the full-text half alone (it says so on
the page), then tries again.
"""

from __future__ import annotations

import threading
import time

from bm_pages.public_search import SourcePaused

from .clients import MatcherUnavailable, get_client
from .search import MATCHER_MAX_K

PAUSE_SECONDS = 30.0

_lock = threading.Lock()
_skip_until = 0.0


def semantic_public_search(query: str, limit: int) -> list[int]:
    """The matcher's best project ids for ``query``.

    bm_pages keeps only the live, public pages among them and skips this source when
    it raises: ``MatcherUnavailable`` (logged) when the matcher fails, then
    ``SourcePaused`` (not logged again) while it is left out.
    """
    global _skip_until
    if time.monotonic() < _skip_until:
        raise SourcePaused("the matcher failed a moment ago; not asked again yet")
    try:
        response = get_client().search(query, min(limit, MATCHER_MAX_K))
    except MatcherUnavailable:
        with _lock:
            _skip_until = time.monotonic() + PAUSE_SECONDS
        raise
    return [int(hit.id) for hit in response.hits if hit.id.isdigit()]


def resume() -> None:
    """Ask the matcher again on the next search (tests; an operator after a restart)."""
    global _skip_until
    with _lock:
        _skip_until = 0.0
