"""Who may do what in a library: the role rules, named once.

Editors and approvers work on a library's plan and documents; auditors only read.
Actions, admin views, DRF permission classes, buttons and menus ask these functions,
rather than spelling out the same checks under names of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_pages import partnerships
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


def library_sees_projects_of(
    viewer: LibraryPage | None,
    owner: LibraryPage,
    *,
    viewer_partner_ids: set[int] | None = None,
) -> bool:
    """Whether staff of ``viewer`` may find and open the live projects of ``owner``.

    ``owner.project_visibility`` decides: ``all`` (every library, and people without
    one), ``network`` (libraries of its regional network, and partners) or ``partners``
    (partners only: a partnership or a network link, ``bm_pages.partnerships``).

    :param viewer: the looking library; ``None`` for someone without a library.
    :param owner: the library whose projects would be shown.
    :param viewer_partner_ids: ``partnerships.partner_ids(viewer)``, when checking many.
    """
    if viewer is not None and viewer.pk == owner.pk:
        return True
    visibility = owner.project_visibility
    if visibility == LibraryPage.ProjectVisibility.ALL:
        return True
    if viewer is None:
        return False
    if (
        visibility == LibraryPage.ProjectVisibility.NETWORK
        and viewer.network_id is not None
        and viewer.network_id == owner.network_id
    ):
        return True
    if viewer_partner_ids is not None:
        return owner.pk in viewer_partner_ids
    return partnerships.are_partners(viewer, owner)


def may_import_from(importer: LibraryPage | None, owner: LibraryPage) -> bool:
    """The import rule: a library may import every live project of another library
    that it may see (:func:`library_sees_projects_of`). So partners (by partnership or
    network link) always may, and a library that shares its projects with all lets
    every library import them. Its own projects a library copies to next year instead.

    Used by the import action (admin and API), the import form, the similar-projects
    panel and "Projecten zoeken"; the network page says the partners' part of it.
    """
    return (
        importer is not None
        and importer.pk != owner.pk
        and library_sees_projects_of(importer, owner)
    )
