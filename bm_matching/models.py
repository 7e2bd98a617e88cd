"""The index outbox: every change that may alter what the matcher should hold.

A row says "page N may have changed; make the matcher agree with the CMS". It is
written in the same database transaction as the change (see ``signal_handlers``), so
a committed change always has its row and a rolled-back one never does. The worker
(``manage.py matcher_sync``) sends pending rows and marks them done only after the
matcher acknowledged them.

The row holds no payload. The worker builds the record from the page's state at send
time (``indexing.build_records``): the matcher then always receives the latest
committed state, several rows for one page collapse into one call, and a library
rename writes one small row per project instead of serialising every project inside
the editor's request. ``action`` records what the change looked like (for
``matcher_status`` and debugging); the page's state decides what is sent.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndexOutboxQuerySet(models.QuerySet):
    def pending(self) -> IndexOutboxQuerySet:
        return self.filter(done_at__isnull=True)

    def due(self, now=None) -> IndexOutboxQuerySet:
        return self.pending().filter(next_attempt_at__lte=now or timezone.now())


class IndexOutbox(models.Model):
    """One pending (or recently sent) change of a project page for the matcher.

    Not a foreign key to the page: a row for a deleted page must outlive the page,
    since it is what removes the page from the matcher.
    """

    class Action(models.TextChoices):
        UPSERT = "upsert", _("index")
        DELETE = "delete", _("remove")

    page_id = models.PositiveBigIntegerField(_("page id"))
    action = models.CharField(_("action"), max_length=6, choices=Action.choices)
    reason = models.CharField(
        _("reason"),
        max_length=40,
        blank=True,
        help_text=_("What caused the row, e.g. publish, move, library or reindex."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = IndexOutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("index outbox row")
        verbose_name_plural = _("index outbox rows")
        indexes = [
            # The worker's scan: pending rows that are due, oldest first. Partial, so
            # it stays as small as the backlog however many done rows are kept.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(done_at__isnull=True),
                name="bm_outbox_pending_due",
            ),
            # Coalescing: the other pending rows of the pages in a batch.
            models.Index(
                fields=["page_id"],
                condition=Q(done_at__isnull=True),
                name="bm_outbox_pending_page",
            ),
            # Pruning old done rows.
            models.Index(
                fields=["done_at"],
                condition=Q(done_at__isnull=False),
                name="bm_outbox_done",
            ),
        ]

    def __str__(self) -> str:
        state = "done" if self.done_at else "pending"
        return f"{self.action} page {self.page_id} ({state})"


class SearchFeedback(models.Model):
    """What an editor did right after a search: opened, asked to partner, imported.

    The outbox of ``POST /v1/feedback``: written in the request's transaction, sent by
    the same worker as the index (``matcher_sync``), marked sent only after the matcher
    acknowledged it, retried with back-off while the matcher is down. No user identity
    is stored or sent: the query text, the project and the signal only. ``adapt``
    learns from partnership requests and imports.
    """

    class Signal(models.TextChoices):
        OPEN = "open", _("opened")
        PARTNERSHIP = "partnership", _("partnership requested")
        IMPORT = "import", _("imported")

    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True)
    query = models.CharField(_("query"), max_length=2000)
    project_id = models.PositiveBigIntegerField(_("project page id"))
    signal = models.CharField(_("signal"), max_length=12, choices=Signal.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("search feedback")
        verbose_name_plural = _("search feedback")
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(sent_at__isnull=True),
                name="bm_feedback_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.signal} {self.project_id} ({'sent' if self.sent_at else 'pending'})"
        )
