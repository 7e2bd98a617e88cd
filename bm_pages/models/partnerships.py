"""Partnerships between two libraries: requested, then accepted or declined, then ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PartnershipQuerySet(models.QuerySet):
    def between(self, library, other):
        """Rows of the pair ``library``/``other`` (either order), oldest first."""
        low, high = sorted((int(library.pk), int(other.pk)))
        return self.filter(library_a_id=low, library_b_id=high).order_by("created_at")

    def involving(self, *library_ids):
        """Rows in which one of ``library_ids`` is a side."""
        return self.filter(
            Q(library_a_id__in=library_ids) | Q(library_b_id__in=library_ids)
        )

    def awaiting_decision_of(self, *library_ids):
        """Requests other libraries sent to one of ``library_ids``, not yet decided."""
        return (
            self.involving(*library_ids)
            .filter(status=Partnership.Status.REQUESTED)
            .exclude(requested_by_library_id__in=library_ids)
        )

    def open(self):
        """Requested or active: at most one per pair (a database constraint)."""
        return self.filter(status__in=Partnership.OPEN_STATUSES)


class Partnership(models.Model):
    """A partnership between two libraries, and its history.

    One library's staff asks (``requested``, with a message) and may take the
    request back while it waits (``withdrawn``); the other library's approvers
    accept (``active``) or decline (``declined``); either side's approvers end an
    active partnership (``ended``). A new request after a decline or an end is
    a new row, so the rows are the history. The pair is stored ordered by page id
    (``library_a`` < ``library_b``) so that the database itself allows only one open
    (requested or active) row per pair.

    Members of a regional network that links its members by default are partners
    without a row. Ending such a link writes an ``ended`` row with ``network_link``
    set; see ``bm_pages.partnerships`` for the whole rule.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACTIVE = "active", _("active")
        DECLINED = "declined", _("declined")
        ENDED = "ended", _("ended")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN_STATUSES = (Status.REQUESTED, Status.ACTIVE)

    library_a = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        on_delete=models.CASCADE,
        related_name="partnerships_as_a",
        help_text=_("The library of the pair with the lower id."),
    )
    library_b = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("other library"),
        on_delete=models.CASCADE,
        related_name="partnerships_as_b",
        help_text=_("The library of the pair with the higher id."),
    )
    requested_by_library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("requesting library"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The library that asked for the partnership."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(
        _("message"),
        blank=True,
        max_length=2000,
        help_text=_("Why the library would like to work together."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
    )
    network_link = models.BooleanField(
        _("regional network link"),
        default=False,
        help_text=_(
            "Set when this row records the end of the link two members of a "
            "regional network have by default."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by_library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("ended by library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(library_a__lt=F("library_b")),
                name="bm_pages_partnership_pair_ordered",
                violation_error_message=_(
                    "A partnership joins two different libraries."
                ),
            ),
            models.CheckConstraint(
                condition=Q(requested_by_library=F("library_a"))
                | Q(requested_by_library=F("library_b")),
                name="bm_pages_partnership_requester_in_pair",
            ),
            models.UniqueConstraint(
                fields=["library_a", "library_b"],
                condition=Q(status__in=["requested", "active"]),
                name="bm_pages_one_open_partnership_per_pair",
                violation_error_message=_(
                    "These libraries already have a partnership or an open request."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library_a} – {self.library_b} ({self.get_status_display()})"

    def set_pair(self, library, other) -> None:
        """Fill in ``library_a``/``library_b`` in page-id order."""
        first, second = sorted((library, other), key=lambda lib: lib.pk)
        self.library_a, self.library_b = first, second

    @property
    def receiving_library_id(self) -> int:
        """The side that was asked: it accepts or declines."""
        if self.requested_by_library_id == self.library_a_id:
            return self.library_b_id
        return self.library_a_id

    @property
    def receiving_library(self):
        if self.requested_by_library_id == self.library_a_id:
            return self.library_b
        return self.library_a

    def other_side(self, library):
        """The other library of the pair, seen from ``library``."""
        return self.library_b if library.pk == self.library_a_id else self.library_a

    def involves(self, library_id: int) -> bool:
        return library_id in (self.library_a_id, self.library_b_id)
