"""Requests of a library to join a regional network, and the network's answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NetworkMembershipRequest(models.Model):
    """A library asks to join a regional network; the network's side decides.

    Network members are partners of each other by default, so joining opens the
    members' shared documents and projects both ways: the library's approver asks
    (``requested``), an approver of a library already in the network, or a
    superuser, accepts (``accepted``: the library's network changes at that moment)
    or declines (``declined``); the asking library may withdraw (``withdrawn``).
    One open request per library; the rows are the history.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        on_delete=models.CASCADE,
        related_name="network_requests",
        help_text=_("The library that asks to join."),
    )
    network = models.ForeignKey(
        "bm_pages.RegionalNetwork",
        verbose_name=_("regional network"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
        help_text=_("The network the library asks to join."),
    )
    message = models.TextField(
        _("message"),
        blank=True,
        max_length=2000,
        help_text=_("Why the library would like to join, for the network's members."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("decided for library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The member library on whose behalf it was decided (if any)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("network membership request")
        verbose_name_plural = _("network membership requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["library"],
                condition=Q(status="requested"),
                name="bm_pages_one_open_network_request_per_library",
                violation_error_message=_(
                    "This library already has an open request to join a network."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.library} → {self.network} ({self.get_status_display()})"
