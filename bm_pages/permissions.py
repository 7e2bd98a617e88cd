"""Who may do what in a library: the role rules, named once.

Editors and approvers work on a library's plan and documents; auditors only read.
Actions, admin views, DRF permission classes, buttons and menus ask these functions,
rather than spelling out the same checks under names of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_pages.models import LibraryPage
from bm_pages.roles import LibraryRole, libraries_for_user, user_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet

    AnyUser = AbstractBaseUser | AnonymousUser | None

#: The roles of the people who work on a library's plan: they edit, share, search,
#: import, request partnerships and complete assurance checks.
STAFF_ROLES: frozenset[LibraryRole] = frozenset(
    {LibraryRole.EDITOR, LibraryRole.APPROVER}
)


def is_signed_in(user: AnyUser) -> bool:
    """A real, active account: the first thing every rule below asks."""
    return user is not None and user.is_authenticated and user.is_active


def staff_libraries(user: AnyUser) -> QuerySet[LibraryPage]:
    """The libraries ``user`` is editor or approver of today (by role only: a
    superuser without a role has none)."""
    return libraries_for_user(user, roles=STAFF_ROLES)


def libraries_worked_for(user: AnyUser) -> QuerySet[LibraryPage]:
    """The libraries ``user`` may work on: every library for a superuser, else
    :func:`staff_libraries`. Auditors get none: they only read the audit portal."""
    if is_signed_in(user) and user.is_superuser:
        return LibraryPage.objects.order_by("title")
    return staff_libraries(user)


def works_for(user: AnyUser, library: LibraryPage | None) -> bool:
    """Whether ``user`` may work on ``library``: a superuser, or its editor or approver."""
    if not is_signed_in(user) or library is None:
        return False
    return user.is_superuser or bool(user_roles(user, library) & STAFF_ROLES)


def approves_for(user: AnyUser, library: LibraryPage | None) -> bool:
    """Whether ``user`` approves for ``library`` (publishes, manages its team, decides
    on partnerships and network requests): a superuser or its approver."""
    if not is_signed_in(user) or library is None:
        return False
    return user.is_superuser or LibraryRole.APPROVER in user_roles(user, library)


def may_view_audit_portal(user: AnyUser, library: LibraryPage | None) -> bool:
    """Superusers, and the library's editors, approvers and (unexpired) auditors."""
    if not is_signed_in(user) or library is None:
        return False
    return user.is_superuser or bool(user_roles(user, library))


def is_superuser(user: AnyUser) -> bool:
    """Set-up and site-wide settings: superusers only."""
    return is_signed_in(user) and user.is_superuser


def works_for_a_library(user: AnyUser) -> bool:
    """Whether ``user`` works for any library (or is a superuser): who sees the
    network, the document environment and "find projects"."""
    if not is_signed_in(user):
        return False
    return user.is_superuser or staff_libraries(user).exists()


def only_audits(user: AnyUser) -> bool:
    """Whether ``user`` is an auditor and nothing more: no admin of their own, so
    signing in takes them to their library's audit portal."""
    if not is_signed_in(user) or user.is_superuser:
        return False
    if staff_libraries(user).exists():
        return False
    return libraries_for_user(user, roles={LibraryRole.AUDITOR}).exists()


def audited_libraries(user: AnyUser) -> QuerySet[LibraryPage]:
    """The libraries whose audit portal ``user`` reads as (unexpired) auditor."""
    return libraries_for_user(user, roles={LibraryRole.AUDITOR})


def libraries_approved_for(user: AnyUser) -> QuerySet[LibraryPage]:
    """The libraries ``user`` is approver of today (by role only, as
    :func:`staff_libraries`): whose partnership requests they decide."""
    return libraries_for_user(user, roles={LibraryRole.APPROVER})
