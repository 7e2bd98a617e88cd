"""The outbox worker: drains ``IndexOutbox`` into the matcher, then the search
feedback (``SearchFeedback``, ``feedback.send_due``) with the same back-off.

One round (``OutboxWorker.process_batch``):

1. Claim up to ``BATCH_SIZE`` due rows, oldest first. On PostgreSQL inside a
   transaction with ``SELECT ... FOR UPDATE SKIP LOCKED``, so a second worker takes
   other rows instead of waiting or sending the same ones. On SQLite (one writer, one
   worker) a plain select.
2. Coalesce per page: also claim the page's other pending rows, due or not. If
   another worker holds a row of the same page, leave the page to it, so two workers
   never send two states of one page out of order.
3. Build each page's record from its current state (``indexing.build_records``):
   indexable pages become one bulk upsert, the others deletes. The last state wins,
   whatever the rows said.
4. Mark rows done only after the matcher acknowledged them (2xx). Failed rows stay
   pending with ``attempts + 1``, ``last_error`` and ``next_attempt_at`` pushed back
   exponentially with jitter. A record the matcher refuses (4xx) is retried alone, so
   one bad record does not hold up the batch. Nothing is ever dropped.

On PostgreSQL the claim's transaction stays open while sending, so the row locks hold
until the rows are marked; a worker that dies mid-round leaves its rows pending (the
locks go with its connection) and they are sent again: every call is idempotent.

``OutboxWorker.run`` loops: drain, then wait for a NOTIFY from a committing change
(PostgreSQL), the next row's due time or ``POLL_INTERVAL``. When the matcher is down
it backs off as a whole too, and it keeps running when the database is briefly gone.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone

from .clients import (
    MatcherClient,
    MatcherRecord,
    MatcherRequestError,
    MatcherUnavailable,
    get_client,
)
from .conf import get_setting
from .feedback import send_due
from .indexing import NOTIFY_CHANNEL, build_records
from .models import IndexOutbox
from .sync import compare, queue_repair

logger = logging.getLogger("bm_matching.worker")


def backoff_seconds(attempts: int) -> float:
    """Delay before attempt ``attempts + 1``: exponential, capped, with jitter.

    "Equal jitter": half the exponential delay, plus a random share of the other
    half, so workers and rows that failed together do not retry in lockstep.
    """
    base = float(get_setting("MIN_BACKOFF"))
    cap = float(get_setting("MAX_BACKOFF"))
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not crypto


@dataclass
class BatchResult:
    """What one round did."""

    claimed: int = 0  # outbox rows taken (coalesced rows included)
    pages: int = 0
    upserted: int = 0
    deleted: int = 0
    failed_pages: dict[int, str] = field(default_factory=dict)
    deferred_pages: int = 0  # held by another worker: left for it
    outage: str | None = None  # the matcher could not be reached
    failed_rows: int = 0

    @property
    def done_rows(self) -> int:
        return self.claimed - self.failed_rows


@dataclass
class DrainResult:
    batches: int = 0
    rows: int = 0
    upserted: int = 0
    deleted: int = 0
    failed_pages: int = 0
    outage: str | None = None
    feedback_sent: int = 0


class OutboxWorker:
    """Sends pending outbox rows to the matcher.

    :param client: the matcher client; default the shared HTTP client.
    :param batch_size: rows per round; default ``BM_MATCHING["BATCH_SIZE"]``.
    """

    def __init__(
        self, client: MatcherClient | None = None, *, batch_size: int | None = None
    ) -> None:
        self._client = client
        self.batch_size = int(batch_size or get_setting("BATCH_SIZE"))

    @property
    def client(self) -> MatcherClient:
        return self._client or get_client()

    # --- one round ------------------------------------------------------------------
    def _locking(self) -> bool:
        return bool(connection.features.has_select_for_update_skip_locked)

    def _claim(self, locking: bool) -> tuple[list[IndexOutbox], int]:
        due = IndexOutbox.objects.due().order_by("next_attempt_at", "id")
        if locking:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[: self.batch_size])
        if not rows:
            return [], 0
        page_ids = {row.page_id for row in rows}
        siblings = (
            IndexOutbox.objects.pending()
            .filter(page_id__in=page_ids)
            .exclude(pk__in=[row.pk for row in rows])
        )
        if locking:
            siblings = siblings.select_for_update(skip_locked=True)
        rows.extend(siblings)
        if not locking:
            return rows, 0
        # A pending row of one of our pages that we could not lock belongs to another
        # worker: leave the whole page to it, so the page's states stay in order.
        mine = {row.pk for row in rows}
        held = {
            page_id
            for pk, page_id in IndexOutbox.objects.pending()
            .filter(page_id__in=page_ids)
            .values_list("pk", "page_id")
            if pk not in mine
        }
        return [row for row in rows if row.page_id not in held], len(held)

    def process_batch(self) -> BatchResult:
        """Claim, send and mark one batch. See the module docstring."""
        locking = self._locking()
        # PostgreSQL: hold the row locks across the send. SQLite: no transaction
        # while waiting on HTTP, so editors' writes are never blocked by it.
        with transaction.atomic() if locking else contextlib.nullcontext():
            rows, deferred = self._claim(locking)
            result = BatchResult(claimed=len(rows), deferred_pages=deferred)
            if not rows:
                return result
            by_page: dict[int, list[IndexOutbox]] = defaultdict(list)
            for row in rows:
                by_page[row.page_id].append(row)
            result.pages = len(by_page)
            ok = self._send(sorted(by_page), result)
            with transaction.atomic():
                self._mark(by_page, ok, result)
        return result

    def _build(self, page_ids: list[int], result: BatchResult) -> dict[int, Any]:
        try:
            return build_records(page_ids)
        except Exception:
            logger.exception("building records for %d pages failed", len(page_ids))
        records: dict[int, Any] = {}
        for page_id in page_ids:
            try:
                records.update(build_records([page_id]))
            except Exception as exc:
                logger.exception("building the record of page %s failed", page_id)
                result.failed_pages[page_id] = f"cannot build record: {exc!r}"[:2000]
        return records

    def _send(self, page_ids: list[int], result: BatchResult) -> set[int]:
        client = self.client
        records = self._build(page_ids, result)
        upserts: list[MatcherRecord] = [r for r in records.values() if r is not None]
        deletes = [pk for pk, r in records.items() if r is None]
        ok: set[int] = set()
        if upserts:
            try:
                client.bulk_upsert(upserts)
                ok.update(int(r.id) for r in upserts)
                result.upserted += len(upserts)
            except MatcherUnavailable as exc:
                result.outage = str(exc)
            except MatcherRequestError as exc:
                logger.warning("bulk upsert refused (%s); sending one by one", exc)
                for record in upserts:
                    if result.outage:
                        break
                    try:
                        client.bulk_upsert([record])
                    except MatcherUnavailable as one_exc:
                        result.outage = str(one_exc)
                    except MatcherRequestError as one_exc:
                        result.failed_pages[int(record.id)] = str(one_exc)[:2000]
                    else:
                        ok.add(int(record.id))
                        result.upserted += 1
        for page_id in deletes:
            if result.outage:
                break
            try:
                client.delete(str(page_id))
            except MatcherUnavailable as exc:
                result.outage = str(exc)
            except MatcherRequestError as exc:
                result.failed_pages[page_id] = str(exc)[:2000]
            else:
                ok.add(page_id)
                result.deleted += 1
        if result.outage:
            for page_id in page_ids:
                if page_id not in ok:
                    result.failed_pages.setdefault(page_id, result.outage[:2000])
        return ok

    def _mark(
        self,
        by_page: dict[int, list[IndexOutbox]],
        ok: set[int],
        result: BatchResult,
    ) -> None:
        now = timezone.now()
        done = [row.pk for page_id in ok for row in by_page[page_id]]
        if done:
            IndexOutbox.objects.filter(pk__in=done).update(done_at=now, last_error="")
        # Failed pages, grouped by their next attempt number: one UPDATE per group.
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        for page_id, error in result.failed_pages.items():
            attempts = max(row.attempts for row in by_page[page_id]) + 1
            groups[(attempts, error)].extend(row.pk for row in by_page[page_id])
        failed_rows = 0
        for (attempts, error), pks in groups.items():
            failed_rows += len(pks)
            IndexOutbox.objects.filter(pk__in=pks).update(
                attempts=attempts,
                last_error=error,
                next_attempt_at=now + timedelta(seconds=backoff_seconds(attempts)),
            )
        result.failed_rows = failed_rows

    # --- loops --------------------------------------------------------------------
    def drain(
        self,
        *,
        stop: threading.Event | None = None,
        on_batch: Callable[[BatchResult], None] | None = None,
        max_seconds: float | None = None,
    ) -> DrainResult:
        """Run rounds until no row is due, the matcher is down, or ``stop`` is set.

        :param stop: checked between rounds.
        :param on_batch: called after each round (progress bars, logging).
        :param max_seconds: give up after this long (rows stay pending).
        """
        total = DrainResult()
        started = time.monotonic()
        while not (stop and stop.is_set()):
            result = self.process_batch()
            if on_batch is not None:
                on_batch(result)
            total.batches += 1
            total.rows += result.claimed
            total.upserted += result.upserted
            total.deleted += result.deleted
            total.failed_pages += len(result.failed_pages)
            if result.outage:
                total.outage = result.outage
                break
            if result.claimed == 0:
                if not result.deferred_pages:
                    break
                time.sleep(0.05)  # another worker holds what is due: let it finish
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
        if not total.outage and not (stop and stop.is_set()):
            # Then the search feedback, same matcher, same retry rules.
            sent = send_due(self.client, backoff_seconds)
            total.feedback_sent = sent.sent
            if sent.outage:
                total.outage = sent.outage
        return total

    def run(
        self,
        stop: threading.Event,
        *,
        log: Callable[[str], None] | None = None,
        reconcile: bool = False,
    ) -> None:
        """Drain and wait, until ``stop`` is set. Survives matcher and database outages.

        :param stop: set it to end the loop (after the round in progress).
        :param log: where progress and outages are reported.
        :param reconcile: once the matcher first answers, compare it with the live
            projects and queue what is missing or stale (``matcher_status --repair``),
            so a matcher that lost its data, or a database loaded without the
            worker running, heals itself.
        """
        say = log or logger.info
        outages = 0
        last_prune = 0.0
        waiting_said = False
        with _Waker() as waker:
            while not stop.is_set():
                close_old_connections()
                try:
                    if reconcile:
                        try:
                            reconcile = not self.startup_check(say)
                        except MatcherUnavailable as exc:
                            if not waiting_said:
                                say(f"matcher not reachable yet ({exc}); waiting")
                                waiting_said = True
                    result = self.drain(stop=stop, on_batch=_reporter(say))
                    if time.monotonic() - last_prune > 3600:
                        pruned = prune_done_rows()
                        last_prune = time.monotonic()
                        if pruned:
                            say(f"pruned {pruned} done outbox rows")
                    delay = seconds_until_next_due()
                except DatabaseError as exc:
                    say(f"database error, retrying: {exc}")
                    with contextlib.suppress(DatabaseError):
                        connection.close()
                    stop.wait(float(get_setting("POLL_INTERVAL")))
                    continue
                if result.outage:
                    outages += 1
                    pause = backoff_seconds(outages)
                    say(
                        f"matcher unavailable ({result.outage}); rows stay pending; "
                        f"retrying in {pause:.1f}s"
                    )
                    stop.wait(pause)
                    continue
                if outages:
                    say("matcher reachable again")
                    outages = 0
                waker.wait(stop, delay)

    def startup_check(self, say: Callable[[str], None]) -> bool:
        """Queue the difference between the live set and the matcher; ``True`` if done.

        :raises MatcherUnavailable: when the matcher cannot be asked yet.
        """
        drift = compare(self.client)
        queued = queue_repair(drift)
        if queued:
            say(
                f"start-up check: {len(drift.missing)} live projects missing from the "
                f"matcher, {len(drift.stale)} stale records; queued {queued} rows"
            )
        elif drift.in_sync:
            say(f"start-up check: the matcher holds all {drift.live} live projects")
        else:
            # Only the outbox's own rows differ: not in sync until they are sent.
            say(
                f"start-up check: nothing to repair; {drift.pending} outbox rows "
                "still pending, sending them"
            )
        return True


def _reporter(say: Callable[[str], None]) -> Callable[[BatchResult], None]:
    def report(result: BatchResult) -> None:
        if result.claimed and (
            result.upserted or result.deleted or result.failed_pages
        ):
            say(
                f"sent {result.pages} pages ({result.claimed} rows): "
                f"{result.upserted} indexed, {result.deleted} removed, "
                f"{len(result.failed_pages)} failed"
            )

    return report


def seconds_until_next_due() -> float:
    """How long an idle worker may wait: until the next row is due, at most a poll."""
    poll = float(get_setting("POLL_INTERVAL"))
    next_at = (
        IndexOutbox.objects.pending()
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_at is None:
        return poll
    return max(0.0, min(poll, (next_at - timezone.now()).total_seconds()))


def prune_done_rows() -> int:
    """Delete done rows older than ``DONE_RETENTION_DAYS``."""
    cutoff = timezone.now() - timedelta(days=float(get_setting("DONE_RETENTION_DAYS")))
    deleted, _ = IndexOutbox.objects.filter(done_at__lt=cutoff).delete()
    return deleted


class _Waker:
    """Waits for a NOTIFY on PostgreSQL (own connection), else just sleeps."""

    def __init__(self) -> None:
        self._conn: Any = None

    def __enter__(self) -> _Waker:
        if connection.vendor == "postgresql":
            try:
                self._conn = connection.get_new_connection(
                    connection.get_connection_params()
                )
                self._conn.autocommit = True
                self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            except Exception:  # noqa: BLE001 - fall back to polling
                logger.warning("cannot LISTEN for outbox changes; polling instead")
                self._close()
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def wait(self, stop: threading.Event, timeout: float) -> None:
        if timeout <= 0 or stop.is_set():
            return
        if self._conn is None:
            stop.wait(timeout)
            return
        try:
            for _ in _notifies(self._conn, timeout):
                break
        except Exception:  # noqa: BLE001 - connection lost: poll from now on
            logger.warning("lost the LISTEN connection; polling instead")
            self._close()
            stop.wait(timeout)


def _notifies(conn: Any, timeout: float) -> Iterator[Any]:
    yield from conn.notifies(timeout=timeout, stop_after=1)
