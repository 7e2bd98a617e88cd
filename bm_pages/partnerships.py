"""Who is whose partner: the one partner notion of Biblio Monitor.

Two libraries are partners when

1. they have an *active* ``Partnership`` (requested by one, accepted by the other's
   approvers), or
2. they are members of the same regional network and that network links its
   members by default (``RegionalNetwork.link_members_by_default``), **unless** the
   pair has an *ended* partnership row and no active one.

So ending is remembered: when an approver ends a network default link (an ``ended``
row with ``network_link`` set is written) or ends an explicit partnership between
two network members, the network does not link them again by itself. Asking again
and being accepted makes them partners again (a new, active row). A declined
request changes nothing about a network link: between network members a request is
only possible after the link was ended. Switching a network's default off unlinks
all its members at once; an explicit, active partnership stays.

Everything that depends on partners asks here: document visibility
(``bm_pages.documents_access``), project search visibility
(``bm_matching.visibility.are_partners``), the partner view in the admin and the API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from bm_pages.models import LibraryPage, Partnership, RegionalNetwork

if TYPE_CHECKING:
    from django.db.models import QuerySet


def _id(library: LibraryPage | int) -> int:
    return int(getattr(library, "pk", library))


def _network_links(library: LibraryPage | int) -> bool:
    network_id = (
        library.network_id
        if isinstance(library, LibraryPage)
        else LibraryPage.objects.filter(pk=library)
        .values_list("network_id", flat=True)
        .first()
    )
    if network_id is None:
        return False
    return RegionalNetwork.objects.filter(
        pk=network_id, link_members_by_default=True
    ).exists()


def _network_id(library: LibraryPage | int) -> int | None:
    if isinstance(library, LibraryPage):
        return library.network_id
    return (
        LibraryPage.objects.filter(pk=library)
        .values_list("network_id", flat=True)
        .first()
    )


def partnership_partner_ids(library: LibraryPage | int) -> set[int]:
    """Ids of the libraries with an active partnership (row) with ``library``."""
    pk = _id(library)
    ids: set[int] = set()
    rows = Partnership.objects.filter(status=Partnership.Status.ACTIVE).filter(
        Q(library_a_id=pk) | Q(library_b_id=pk)
    )
    for a_id, b_id in rows.values_list("library_a_id", "library_b_id"):
        ids.add(b_id if a_id == pk else a_id)
    return ids


def network_partner_ids(library: LibraryPage | int) -> set[int]:
    """Ids of the network members linked to ``library`` by default (see module doc)."""
    pk = _id(library)
    network_id = _network_id(library)
    if network_id is None or not _network_links(library):
        return set()
    members = set(
        LibraryPage.objects.filter(network_id=network_id)
        .exclude(pk=pk)
        .values_list("pk", flat=True)
    )
    if not members:
        return members
    ended: set[int] = set()
    rows = Partnership.objects.filter(status=Partnership.Status.ENDED).filter(
        Q(library_a_id=pk, library_b_id__in=members)
        | Q(library_b_id=pk, library_a_id__in=members)
    )
    for a_id, b_id in rows.values_list("library_a_id", "library_b_id"):
        ended.add(b_id if a_id == pk else a_id)
    return members - ended


def partner_ids(library: LibraryPage | int) -> set[int]:
    """Ids of all partners of ``library``: partnerships plus network links."""
    return partnership_partner_ids(library) | network_partner_ids(library)


def partners_of(library: LibraryPage | int) -> QuerySet[LibraryPage]:
    """The partner libraries of ``library`` (see the module docstring), by title.

    :param library: a ``LibraryPage`` or its id.
    """
    return LibraryPage.objects.filter(pk__in=partner_ids(library)).order_by("title")


def are_partners(library: LibraryPage | int, other: LibraryPage | int) -> bool:
    """Whether two libraries are partners. A library is not its own partner.

    :param library: one library (page or id).
    :param other: another library (page or id).
    """
    return link_between(library, other) is not None


def network_linked(library: LibraryPage | int, other: LibraryPage | int) -> bool:
    """Whether the two are members of one network that links its members by default.

    Says nothing about an ended link; :func:`are_partners` does.
    """
    network_id = _network_id(library)
    return (
        network_id is not None
        and network_id == _network_id(other)
        and _network_links(library)
    )


def link_between(library: LibraryPage | int, other: LibraryPage | int) -> str | None:
    """How two libraries are linked: ``"partnership"``, ``"network"`` or ``None``."""
    a, b = _id(library), _id(other)
    if a == b:
        return None
    low, high = sorted((a, b))
    statuses = set(
        Partnership.objects.filter(
            library_a_id=low,
            library_b_id=high,
            status__in=(Partnership.Status.ACTIVE, Partnership.Status.ENDED),
        ).values_list("status", flat=True)
    )
    if Partnership.Status.ACTIVE in statuses:
        return "partnership"
    if Partnership.Status.ENDED not in statuses and network_linked(library, other):
        return "network"
    return None


def open_partnership(
    library: LibraryPage | int, other: LibraryPage | int
) -> Partnership | None:
    """The pair's requested or active row, if any (there is at most one)."""
    low, high = sorted((_id(library), _id(other)))
    return (
        Partnership.objects.open()
        .filter(library_a_id=low, library_b_id=high)
        .select_related("library_a", "library_b", "requested_by_library")
        .first()
    )
