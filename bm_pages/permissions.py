"""Who may do what in a library: the role rules, named once.

Editors and approvers work on a library's plan and documents; auditors only read.
Every rule that lets "the library's staff" in uses :data:`STAFF_ROLES`, rather than
its own copy of the pair under a name of its own.
"""

from __future__ import annotations

from bm_pages.roles import LibraryRole

#: The roles of the people who work on a library's plan: they edit, share, search,
#: import, request partnerships and complete assurance checks.
STAFF_ROLES: frozenset[LibraryRole] = frozenset(
    {LibraryRole.EDITOR, LibraryRole.APPROVER}
)
