"""Who holds which role in which library, and the groups that carry the permissions."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LibraryRole(models.TextChoices):
    """The three roles a user can hold in a library."""

    EDITOR = "editor", _("editor")
    APPROVER = "approver", _("approver")
    AUDITOR = "auditor", _("auditor")


def today() -> datetime.date:
    return timezone.localdate()


def active_membership_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """A ``Q`` matching memberships that count on the date ``on`` (default: today).

    :param prefix: a lookup path to the membership, e.g. ``"memberships__"``.
    """
    on = on or today()
    return Q(**{f"{prefix}expires_on__isnull": True}) | Q(
        **{f"{prefix}expires_on__gt": on}
    )


class LibraryGroup(models.Model):
    """Links a library to the Django group of one of its roles.

    ``manage.py setup_library`` creates the three groups and their Wagtail page and
    collection permissions; the link lets the library be renamed without losing them.
    """

    library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        on_delete=models.CASCADE,
        related_name="role_groups",
    )
    role = models.CharField(_("role"), max_length=20, choices=LibraryRole.choices)
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="library_role",
    )

    class Meta:
        verbose_name = _("library group")
        verbose_name_plural = _("library groups")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "role"], name="bm_pages_one_group_per_library_role"
            )
        ]

    def __str__(self) -> str:
        return self.group.name


class LibraryMembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        """Memberships that count on ``on`` (default: today)."""
        return self.filter(active_membership_q(on))

    def expired(self, on: datetime.date | None = None):
        return self.exclude(active_membership_q(on))


class LibraryMembership(models.Model):
    """A user's role in a library: who granted it, when, and until when.

    Kept in step with the library's groups (``LibraryGroup``) by ``grant_role`` and
    ``revoke_role`` in ``bm_pages.roles``; the groups are what Wagtail checks.
    Auditors get an ``expires_on`` date; from that date on the membership no longer
    counts.
    """

    library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="library_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=LibraryRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # A user does not need to list the roles they handed out.
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_on = models.DateField(
        _("access ends on"),
        null=True,
        blank=True,
        help_text=_(
            "From this date on the role no longer works. Leave empty for no end."
        ),
    )

    objects = LibraryMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("library membership")
        verbose_name_plural = _("library memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "user", "role"],
                name="bm_pages_one_membership_per_library_user_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.library}"

    def is_active(self, on: datetime.date | None = None) -> bool:
        """Whether the membership counts on ``on`` (default: today)."""
        on = on or timezone.localdate()
        return self.expires_on is None or self.expires_on > on
