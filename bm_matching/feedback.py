"""Search feedback: what editors do after a search, queued for the matcher.

``record`` writes a ``SearchFeedback`` row (the caller's transaction) and wakes the
worker; ``send_due`` (called by the outbox worker after the index rows) delivers due
rows to ``POST /v1/feedback``. The event id makes a resend harmless: the matcher
stores each event once. Signals: ``open`` (a result opened), ``partnership`` ("Request
partnership" followed from a result), ``import`` (a result imported into a plan).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .clients import MatcherClient, MatcherRequestError, MatcherUnavailable
from .indexing import wake_worker
from .models import SearchFeedback

logger = logging.getLogger("bm_matching.feedback")

MAX_QUERY = 2000
BATCH = 200


def record(query: str, project_id: int, signal: str) -> SearchFeedback | None:
    """Queue one event; nothing for an empty query (not after a search).

    :param query: what the editor had typed.
    :param project_id: the result's page id.
    :param signal: a ``SearchFeedback.Signal`` value.
    :raises ValueError: for an unknown signal.
    """
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        return None
    if signal not in SearchFeedback.Signal.values:
        raise ValueError(f"unknown feedback signal {signal!r}")
    row = SearchFeedback.objects.create(
        query=query, project_id=int(project_id), signal=signal
    )
    wake_worker()
    return row


@dataclass
class FeedbackResult:
    sent: int = 0
    failed: int = 0
    outage: str = ""


def send_due(client: MatcherClient, backoff: Callable[[int], float]) -> FeedbackResult:
    """Send due feedback rows, oldest first, until none is due or the matcher is down.

    :param backoff: ``worker.backoff_seconds`` (passed in: the worker imports this).
    """
    result = FeedbackResult()
    rows = list(
        SearchFeedback.objects.filter(
            sent_at__isnull=True, next_attempt_at__lte=timezone.now()
        ).order_by("next_attempt_at", "id")[:BATCH]
    )
    for row in rows:
        try:
            client.feedback(
                row.query, str(row.project_id), row.signal, event_id=str(row.event_id)
            )
        except MatcherUnavailable as exc:
            result.outage = str(exc)
            _retry_later(row, str(exc), backoff)
            break
        except MatcherRequestError as exc:
            # Refused (4xx): kept, with the reason, and tried again later.
            result.failed += 1
            _retry_later(row, str(exc), backoff)
        else:
            result.sent += 1
            SearchFeedback.objects.filter(pk=row.pk).update(
                sent_at=timezone.now(), last_error=""
            )
    return result


def _retry_later(
    row: SearchFeedback, error: str, backoff: Callable[[int], float]
) -> None:
    attempts = row.attempts + 1
    delay = backoff(attempts)
    SearchFeedback.objects.filter(pk=row.pk).update(
        attempts=attempts,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=float(delay)),
    )
