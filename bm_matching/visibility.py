"""Who may find whose projects when looking for similar projects.

A library decides with ``LibraryPage.project_visibility``:

- ``all``: every library (and every superuser);
- ``network``: libraries of the same regional network, and partners;
- ``partners``: partners only.

Partnerships (``bm_pages.partnerships``) plug in at one place, :func:`are_partners`;
:func:`library_can_see` and everything built on it (the search API, the editor panel,
the "Find projects" page, importing) follow automatically.

A user's libraries are those where they hold the editor or approver role
(``bm_pages.roles``). Auditors hold a read-only role for one audit and do not search.
Superusers without a library see every library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bm_pages import partnerships
from bm_pages.models import LibraryPage
from bm_pages.permissions import (
    is_signed_in,
    library_sees_projects_of,
    staff_libraries,
    works_for_a_library,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def libraries_of(user: AbstractBaseUser | AnonymousUser | None) -> list[LibraryPage]:
    """The libraries ``user`` works for: ``bm_pages.permissions.staff_libraries``."""
    # Only what visibility needs: a whole page row is costly to load, and this runs
    # on every keystroke in the editor.
    return list(
        staff_libraries(user).only("id", "title", "network_id", "project_visibility")
    )


def may_search(
    user: AbstractBaseUser | AnonymousUser | None,
    own: list[LibraryPage] | None = None,
) -> bool:
    """Whether ``user`` may look for similar projects: library staff and superusers
    (``bm_pages.permissions.works_for_a_library``).

    :param own: ``libraries_of(user)``, if the caller has it already (no query then).
    """
    if own is None:
        return works_for_a_library(user)
    return is_signed_in(user) and (user.is_superuser or bool(own))


def are_partners(library: LibraryPage, other: LibraryPage) -> bool:
    """Whether two libraries are partners: ``bm_pages.partnerships.are_partners``.

    Accepted partnerships plus default links between members of a regional network
    (unless the pair ended theirs); the same notion document sharing uses.

    :param library: one library.
    :param other: another library.
    """
    return partnerships.are_partners(library, other)


def partner_ids(library: LibraryPage) -> set[int]:
    """Ids of all partners of ``library``: ``bm_pages.partnerships.partner_ids``.

    The same notion as :func:`are_partners`, for many libraries at once (a search
    checks every library that restricts its projects).
    """
    return partnerships.partner_ids(library)


def library_can_see(
    viewer: LibraryPage | None,
    owner: LibraryPage,
    *,
    viewer_partner_ids: set[int] | None = None,
) -> bool:
    """Whether staff of ``viewer`` may find the live projects of ``owner``: the rule
    ``bm_pages.permissions.library_sees_projects_of`` (it also decides who may import).

    :param viewer: the searching library; ``None`` for someone without a library.
    :param owner: the library whose projects would be shown.
    :param viewer_partner_ids: ``partner_ids(viewer)``, when checking many owners.
    """
    return library_sees_projects_of(
        viewer, owner, viewer_partner_ids=viewer_partner_ids
    )


@dataclass(frozen=True)
class SearchScope:
    """Which libraries a search may return, for one user.

    ``own_ids``: the user's own libraries (never returned: the point is to find what
    *others* did). ``hidden_ids``: libraries that do not share with the user.
    ``sees_all``: a superuser without a library.
    """

    own_ids: frozenset[int]
    hidden_ids: frozenset[int]
    sees_all: bool = False

    @property
    def excluded_ids(self) -> frozenset[int]:
        return self.own_ids | self.hidden_ids

    def allows(self, library: LibraryPage) -> bool:
        return library.pk not in self.own_ids and library.pk not in self.hidden_ids


def _can_see_any(
    viewers: list[LibraryPage], partners: dict[int, set[int]], owner: LibraryPage
) -> bool:
    if not viewers:
        return library_can_see(None, owner)
    return any(
        library_can_see(viewer, owner, viewer_partner_ids=partners[viewer.pk])
        for viewer in viewers
    )


def search_scope(
    user: AbstractBaseUser | AnonymousUser | None,
    own: list[LibraryPage] | None = None,
) -> SearchScope:
    """Work out, for ``user``, which libraries a search excludes.

    :param own: ``libraries_of(user)``, if the caller has it already.
    """
    own = libraries_of(user) if own is None else own
    if not own and user is not None and getattr(user, "is_superuser", False):
        return SearchScope(frozenset(), frozenset(), sees_all=True)
    own_ids = frozenset(library.pk for library in own)
    # Only libraries that restrict their projects can be hidden: a short list.
    restricting = LibraryPage.objects.exclude(
        project_visibility=LibraryPage.ProjectVisibility.ALL
    ).only("id", "project_visibility", "network_id")
    restricting = [library for library in restricting if library.pk not in own_ids]
    partners = {viewer.pk: partner_ids(viewer) for viewer in own} if restricting else {}
    hidden = frozenset(
        library.pk
        for library in restricting
        if not _can_see_any(own, partners, library)
    )
    return SearchScope(own_ids, hidden)


def visible_library_ids(user: AbstractBaseUser | AnonymousUser | None) -> set[int]:
    """Ids of the libraries whose projects ``user`` may find (own libraries excluded)."""
    scope = search_scope(user)
    ids = set(LibraryPage.objects.values_list("pk", flat=True))
    return ids - scope.excluded_ids
