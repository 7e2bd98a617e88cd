"""Who may see which library document: the one rule, for serving, lists and APIs.

A ``LibraryDocument`` has a ``visibility``:

- ``public``: anyone, signed in or not;
- ``partners``: the owning library's people (below) and the editors and approvers
  of the libraries that share with it (:func:`libraries_sharing_with`);
- ``own``: only the owning library's editors, approvers and auditors whose access
  has not ended.

Superusers see everything. A document without a library is visible to superusers
only, unless it is public. Auditors of *another* library get nothing from the
partner rule: an auditor's login is for one library's audit portal, nothing else.

:func:`user_can_view_document` answers for one document (document serving calls it
through the ``before_serve_document`` hook in ``bm_pages.admin.documents``);
:func:`viewable_documents` is the same rule as a queryset filter, for listings and
the admin API.

Partnerships plug in at :func:`libraries_sharing_with`: a library shares with its
partners as ``bm_pages.partnerships.partner_ids`` has them, that is accepted
partnerships plus the other members of its regional network when the network links
its members by default (``RegionalNetwork.link_members_by_default``) and the pair has
not ended that link. Other apps may add partners by registering a Wagtail hook::

    @hooks.register("bm_pages_library_partners")
    def partners(library):
        return [...]  # ids of the libraries that are partners of ``library``

Partnership is taken to be mutual: if A is B's partner, B is A's.

What one library shares with another is :func:`shares_document` (per document) and
:func:`shared_documents` (the same rule as a queryset): the owner's *own* documents
that are public, or marked "partners" while the two are partners. Ownership is part
of the rule: a document of a third library never passes, whatever its visibility,
so a project's PDCA log cannot carry another library's document to the partners of
the project's library (:func:`shared_evidence`: the partner views, the partner API
and the import's document copy all ask it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from wagtail import hooks

from bm_pages.models import LibraryDocument, LibraryPage
from bm_pages.partnerships import partner_ids
from bm_pages.permissions import (
    is_signed_in,
    staff_libraries,
)
from bm_pages.roles import libraries_for_user, user_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet

    from bm_pages.models import PhaseLogEntry, ProjectPage

PARTNER_HOOK = "bm_pages_library_partners"


def partner_library_ids(library: LibraryPage) -> set[int]:
    """Ids of the libraries ``library`` shares partner documents with.

    :param library: the owning library.
    """
    # The one partner notion: partnerships and network links (bm_pages.partnerships).
    ids: set[int] = partner_ids(library)
    for hook in hooks.get_hooks(PARTNER_HOOK):
        ids.update(int(pk) for pk in hook(library) or ())
    ids.discard(library.pk)
    return ids


def libraries_sharing_with(library: LibraryPage) -> QuerySet[LibraryPage]:
    """The libraries that are ``library``'s partners (the hook point for partnerships).

    Their editors and approvers see ``library``'s documents marked "partners", and
    ``library``'s editors and approvers see theirs.
    """
    return LibraryPage.objects.filter(pk__in=partner_library_ids(library))


def _staff_library_ids(user: AbstractBaseUser) -> set[int]:
    # Staff see what partner libraries share; auditors do not.
    return set(staff_libraries(user).values_list("pk", flat=True))


def user_can_view_document(
    user: AbstractBaseUser | AnonymousUser | None, document: LibraryDocument
) -> bool:
    """Whether ``user`` may see (download, find) ``document``.

    :param user: the user asking; anonymous users and ``None`` see public documents.
    :param document: the document.
    """
    if document.visibility == LibraryDocument.Visibility.PUBLIC:
        return True
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    if document.library_id is None:
        return False
    library = LibraryPage.objects.select_related("network").get(pk=document.library_id)
    if user_roles(user, library):
        return True
    if document.visibility == LibraryDocument.Visibility.PARTNERS:
        return bool(_staff_library_ids(user) & partner_library_ids(library))
    return False


def viewable_documents(
    user: AbstractBaseUser | AnonymousUser | None,
    queryset: QuerySet[LibraryDocument] | None = None,
) -> QuerySet[LibraryDocument]:
    """``queryset`` (default: all documents) narrowed to what ``user`` may see.

    Only filters on indexed fields (``visibility``, ``library``), so the result can
    still be searched.
    """
    if queryset is None:
        queryset = LibraryDocument.objects.all()
    public = Q(visibility=LibraryDocument.Visibility.PUBLIC)
    if not is_signed_in(user):
        return queryset.filter(public)
    if user.is_superuser:
        return queryset
    # Any role counts for the own library; libraries_for_user skips expired ones.
    own_ids = set(libraries_for_user(user).values_list("pk", flat=True))
    sharing_ids: set[int] = set()
    for library in LibraryPage.objects.filter(
        pk__in=_staff_library_ids(user)
    ).select_related("network"):
        sharing_ids |= partner_library_ids(library)
    condition = public | Q(library__in=own_ids)
    if sharing_ids:
        condition |= Q(
            visibility=LibraryDocument.Visibility.PARTNERS, library__in=sharing_ids
        )
    return queryset.filter(condition)


# What one library shares with another ---------------------------------------------


def _shared_visibilities(as_partner: bool) -> list[str]:
    if as_partner:
        return [LibraryDocument.Visibility.PUBLIC, LibraryDocument.Visibility.PARTNERS]
    return [LibraryDocument.Visibility.PUBLIC]


def shares_document(
    owner_id: int | None, document: LibraryDocument | None, *, as_partner: bool
) -> bool:
    """Whether the library ``owner_id`` shares ``document`` with another library.

    :param owner_id: the sharing library (the project's library for evidence).
    :param document: the document; ``None`` is never shared.
    :param as_partner: whether the other library is a partner of the owner.
    """
    return (
        document is not None
        and owner_id is not None
        and document.library_id == owner_id
        and document.visibility in _shared_visibilities(as_partner)
    )


def shared_documents(
    owner: LibraryPage,
    *,
    as_partner: bool,
    queryset: QuerySet[LibraryDocument] | None = None,
) -> QuerySet[LibraryDocument]:
    """``owner``'s documents another library sees: :func:`shares_document` as a filter.

    :param owner: the sharing library.
    :param as_partner: whether the other library is a partner of ``owner``.
    :param queryset: documents to narrow (default: all).
    """
    if queryset is None:
        queryset = LibraryDocument.objects.all()
    return queryset.filter(
        library_id=owner.pk, visibility__in=_shared_visibilities(as_partner)
    )


def shared_evidence_entry(
    entry: PhaseLogEntry, owner_id: int | None, *, as_partner: bool
) -> LibraryDocument | None:
    """The evidence document of one PDCA log entry, if its library shares it."""
    document = entry.evidence if entry.evidence_id else None
    return (
        document if shares_document(owner_id, document, as_partner=as_partner) else None
    )


def shared_evidence(
    project: ProjectPage,
    *,
    as_partner: bool,
    entries: Iterable[PhaseLogEntry] | None = None,
) -> list[LibraryDocument]:
    """The evidence documents of ``project``'s PDCA log its library shares.

    Each document once, in log order; a document of any library other than the
    project's own is left out, whatever its visibility.

    :param project: the project (its live log unless ``entries`` are given).
    :param as_partner: whether the other library is a partner of the project's.
    :param entries: the log entries, if the caller has them (prefetched).
    """
    owner_id = project.plan.library_id if project.plan_id else None
    if entries is None:
        entries = project.phase_log.select_related("evidence").order_by("sort_order")
    seen: dict[int, LibraryDocument] = {}
    for entry in entries:
        document = shared_evidence_entry(entry, owner_id, as_partner=as_partner)
        if document is not None:
            seen.setdefault(document.pk, document)
    return list(seen.values())
