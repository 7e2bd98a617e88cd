"""Comparing what the CMS has live with what the matcher holds, and closing the gap.

Used by ``matcher_reindex`` (queue everything) and ``matcher_status`` (show the drift,
and with ``--repair`` queue what is missing or stale). Both queue outbox rows and let
the worker's drain send them, so a rebuild follows the same rules as every other
change: coalescing, row locks against a running ``matcher_sync``, retries.

Ids the CMS writes are page ids, so all digits. Other clients may keep records in the
same matcher under their own keys; those are counted as foreign and left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .clients import MatcherClient
from .indexing import enqueue, live_project_ids
from .models import IndexOutbox


@dataclass
class Drift:
    """The difference between the CMS's live projects and the matcher's records."""

    live: int
    indexed: int
    missing: list[int] = field(default_factory=list)  # live, not in the matcher
    stale: list[int] = field(default_factory=list)  # in the matcher, not live
    in_flight: int = 0  # differences that pending outbox rows will settle
    foreign: int = 0  # records of other clients (not page ids)
    pending: int = 0  # outbox rows not yet sent (any page)

    @property
    def drifting(self) -> bool:
        """Differences no outbox row will settle: ``matcher_status --repair`` work."""
        return bool(self.missing or self.stale)

    @property
    def in_sync(self) -> bool:
        """The matcher holds exactly the live projects and nothing waits to be sent.

        A pending row means the matcher lacks a change (new text, a removal), even
        when the sets of ids agree, so "in sync" waits for an empty outbox.
        """
        return not self.drifting and not self.pending


def matcher_page_ids(client: MatcherClient) -> tuple[set[int], int]:
    """The CMS page ids the matcher holds, and how many other ids it holds."""
    ids: set[int] = set()
    foreign = 0
    for key in client.iter_ids():
        if key.isdigit():
            ids.add(int(key))
        else:
            foreign += 1
    return ids, foreign


def compare(client: MatcherClient) -> Drift:
    """Compare the live set with the matcher; pending outbox rows count as in flight."""
    indexed, foreign = matcher_page_ids(client)
    live = set(live_project_ids())
    pending_rows = list(IndexOutbox.objects.pending().values_list("page_id", flat=True))
    pending = set(pending_rows)
    missing = live - indexed
    stale = indexed - live
    return Drift(
        live=len(live),
        indexed=len(indexed),
        missing=sorted(missing - pending),
        stale=sorted(stale - pending),
        in_flight=len((missing | stale) & pending),
        foreign=foreign,
        pending=len(pending_rows),
    )


@transaction.atomic
def queue_repair(drift: Drift) -> int:
    """Queue rows that make the matcher agree with the CMS; returns rows written."""
    return enqueue(drift.missing, IndexOutbox.Action.UPSERT, "repair") + enqueue(
        drift.stale, IndexOutbox.Action.DELETE, "repair"
    )


def queue_reindex(client: MatcherClient) -> tuple[int, int]:
    """Queue every live project, and the removal of every page id that is not live.

    :returns: ``(to index, to remove)``.
    :raises MatcherUnavailable: when the matcher's ids cannot be listed.
    """
    indexed, _foreign = matcher_page_ids(client)
    with transaction.atomic():
        live = live_project_ids()
        stale = sorted(indexed - set(live))
        enqueue(live, IndexOutbox.Action.UPSERT, "reindex")
        enqueue(stale, IndexOutbox.Action.DELETE, "reindex")
    return len(live), len(stale)
