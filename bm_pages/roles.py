"""Library roles: who may do what in which library.

Every library has three roles. Each role is backed by one Django group per library
(``LibraryGroup``); the groups carry the Wagtail page and collection permissions, so
Wagtail's own permission checks, explorer and workflow tasks do the enforcing.
``LibraryMembership`` records who holds a role, who granted it, when, and until when.

Use the helpers below rather than the groups directly: they keep memberships and group
membership in step, and they ignore expired memberships at once, even before the
cheap clean-up (on login and by ``manage.py expire_memberships``) has taken the user
out of the group.

A membership with ``expires_on`` set stops working *on* that date: it counts up to and
including the day before. An auditor's access may end at most
``BM_PAGES["AUDITOR_ACCESS_MAX_DAYS"]`` days ahead (default 365):
:func:`validate_access_end`, which ``grant_role`` and the team admin's form apply.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from bm_pages.conf import get_setting
from bm_pages.models import LibraryGroup, LibraryMembership, LibraryPage
from bm_pages.models.roles import LibraryRole, active_membership_q, today

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
    from django.db.models import QuerySet
    from wagtail.models import Page


# Group names are data shared by everyone who opens the Users admin, so they are
# written in the site's language (Dutch) rather than translated per request.
GROUP_NAME_SUFFIXES: dict[str, str] = {
    LibraryRole.EDITOR: "redacteuren",
    LibraryRole.APPROVER: "goedkeurders",
    LibraryRole.AUDITOR: "auditors",
}


class LibraryNotSetUpError(RuntimeError):
    """The library has no group for the role yet: run ``setup_library`` first."""


def latest_access_end(on: datetime.date | None = None) -> datetime.date:
    """The furthest date an auditor's access may end on, seen from ``on`` (today)."""
    days = int(get_setting("AUDITOR_ACCESS_MAX_DAYS"))
    return (on or today()) + datetime.timedelta(days=days)


def validate_access_end(role: str, expires_on: datetime.date | None) -> None:
    """Refuse an auditor's end date further ahead than ``latest_access_end()``.

    Access "until 9999-12-31" is access for good; an audit needs months, not years.

    :raises ValidationError: with a message for the user (code ``too_far_ahead``).
    """
    if role != LibraryRole.AUDITOR or expires_on is None:
        return
    latest = latest_access_end()
    if expires_on > latest:
        raise ValidationError(
            gettext(
                "An auditor's access can end on %(date)s at the latest: at most "
                "%(days)s days from today."
            )
            % {"date": date_format(latest), "days": (latest - today()).days},
            code="too_far_ahead",
        )


def group_name(library_title: str, role: str) -> str:
    """The name of a library's group for ``role``: "<library> – redacteuren"."""
    suffix = f" – {GROUP_NAME_SUFFIXES[role]}"
    # auth.Group.name holds 150 characters; keep the role suffix readable.
    return f"{library_title[: 150 - len(suffix)]}{suffix}"


def library_group(library: LibraryPage, role: str) -> Group:
    """Return the Django group that backs ``role`` in ``library``.

    :raises LibraryNotSetUpError: when the library has not been set up.
    """
    link = (
        LibraryGroup.objects.filter(library=library, role=role)
        .select_related("group")
        .first()
    )
    if link is None:
        raise LibraryNotSetUpError(
            f"{library} has no {role} group; run `manage.py setup_library` for it."
        )
    return link.group


@transaction.atomic
def grant_role(
    library: LibraryPage,
    user: AbstractBaseUser,
    role: str,
    *,
    granted_by: AbstractBaseUser | None = None,
    expires_on: datetime.date | None = None,
) -> LibraryMembership:
    """Give ``user`` the ``role`` in ``library`` and put them in the role's group.

    Granting a role the user already holds updates who granted it and the expiry
    date, so this is safe to call again. A membership that is already expired is
    recorded but does not add the user to the group.

    :param library: the library (``LibraryPage``).
    :param user: who gets the role.
    :param role: a ``LibraryRole`` value.
    :param granted_by: who grants it (kept on the membership).
    :param expires_on: the date the role stops working (auditors get one).
    :raises LibraryNotSetUpError: when the library has not been set up.
    :raises ValueError: for an unknown role.
    :raises ValidationError: for an auditor's end date too far ahead
        (:func:`validate_access_end`); nothing is changed then.
    """
    role = LibraryRole(role)
    validate_access_end(role, expires_on)
    group = library_group(library, role)
    membership, created = LibraryMembership.objects.get_or_create(
        library=library,
        user=user,
        role=role,
        defaults={"granted_by": granted_by, "expires_on": expires_on},
    )
    if not created and (
        membership.expires_on != expires_on
        or (granted_by is not None and membership.granted_by_id != granted_by.pk)
    ):
        membership.expires_on = expires_on
        if granted_by is not None:
            membership.granted_by = granted_by
            membership.granted_at = timezone.now()
        membership.save(update_fields=["expires_on", "granted_by", "granted_at"])
    if membership.is_active():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return membership


@transaction.atomic
def revoke_role(library: LibraryPage, user: AbstractBaseUser, role: str) -> None:
    """Take ``role`` in ``library`` away from ``user``: the membership and the group.

    Revoking a role the user does not hold does nothing.
    """
    role = LibraryRole(role)
    LibraryMembership.objects.filter(library=library, user=user, role=role).delete()
    link = LibraryGroup.objects.filter(library=library, role=role).first()
    if link is not None:
        user.groups.remove(link.group_id)


def user_roles(
    user: AbstractBaseUser | AnonymousUser | None, library: LibraryPage | None
) -> set[LibraryRole]:
    """The roles ``user`` holds in ``library`` today; expired memberships don't count.

    Superusers hold no roles by virtue of being superusers: check ``is_superuser``
    yourself where they should be let in.
    """
    if user is None or library is None or not user.is_authenticated:
        return set()
    if not user.is_active:
        return set()
    roles = (
        LibraryMembership.objects.filter(library=library, user=user)
        .filter(active_membership_q())
        .values_list("role", flat=True)
    )
    return {LibraryRole(role) for role in roles}


def libraries_for_user(
    user: AbstractBaseUser | AnonymousUser | None,
    role: str | None = None,
    *,
    roles: Iterable[str] | None = None,
) -> QuerySet[LibraryPage]:
    """The libraries in which ``user`` holds a role today (``role``: only that one;
    ``roles``: one of those).

    Superusers are not treated specially here either.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return LibraryPage.objects.none()
    memberships = Q(memberships__user=user) & active_membership_q(
        prefix="memberships__"
    )
    if role is not None:
        memberships &= Q(memberships__role=LibraryRole(role))
    if roles is not None:
        memberships &= Q(memberships__role__in=[LibraryRole(r) for r in roles])
    return LibraryPage.objects.filter(
        pk__in=LibraryPage.objects.filter(memberships).values("pk")
    ).order_by("title")


def library_of(page: Page | None) -> LibraryPage | None:
    """The library a page belongs to: itself for a ``LibraryPage``, else its ancestor.

    Returns ``None`` for pages outside any library (the home page, the root) and for
    pages not yet in the tree.
    """
    if page is None or not getattr(page, "path", None):
        return None
    if isinstance(page, LibraryPage):
        return page
    return LibraryPage.objects.ancestor_of(page, inclusive=True).first()


def expire_memberships(
    user: AbstractBaseUser | None = None, *, on: datetime.date | None = None
) -> int:
    """Take users out of the groups of their expired memberships.

    The membership rows stay, so the team page can show who had access until when.
    Cheap enough to run on every login (``user``) and daily for everyone.

    :param user: only this user's memberships (default: everyone's).
    :param on: the date to judge expiry by (default: today).
    :returns: how many group memberships were removed.
    """
    expired = LibraryMembership.objects.exclude(active_membership_q(on))
    if user is not None:
        expired = expired.filter(user=user)
    removed = 0
    through = get_user_model().groups.through
    for library_id, user_id, role in expired.values_list(
        "library_id", "user_id", "role"
    ):
        group_ids = LibraryGroup.objects.filter(
            library_id=library_id, role=role
        ).values("group_id")
        deleted, _details = through.objects.filter(
            user_id=user_id, group_id__in=group_ids
        ).delete()
        removed += deleted
    return removed


def expire_memberships_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: an expired role is gone by the first page view."""
    expire_memberships(user)


def delete_group_of_deleted_library(sender, instance, **kwargs) -> None:
    """``post_delete`` of ``LibraryGroup``: a deleted library takes its groups along.

    Otherwise the Users admin would keep offering "<library> – redacteuren" groups
    that no longer grant anything.
    """
    Group.objects.filter(pk=instance.group_id).delete()


def register_role_signal_handlers() -> None:
    user_logged_in.connect(
        expire_memberships_on_login, dispatch_uid="bm_pages_expire_memberships"
    )
    post_delete.connect(
        delete_group_of_deleted_library,
        sender=LibraryGroup,
        dispatch_uid="bm_pages_delete_library_groups",
    )
