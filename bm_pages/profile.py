"""A library's profile, and which libraries are "like mine".

A city library works in another dynamic than a small organisation in the
countryside. The profile (inhabitants served, branches, municipalities and the CBS
urbanity class, on ``LibraryPage``) says which: two libraries are alike when their
size classes and their urbanity classes are each at most one step apart. A library
without inhabitants or urbanity has no profile and is like no other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from bm_pages.formatting import figure
from bm_pages.models import LibraryPage
from bm_pages.models.library import Urbanity

#: Upper bounds (exclusive) of size classes 1-4 by inhabitants served; 5 is above.
SIZE_CLASS_BOUNDS = (30_000, 60_000, 100_000, 200_000)
#: How many steps apart two classes may be and still be "alike".
MAX_STEPS = 1


def size_class(inhabitants: int | None) -> int | None:
    """1 (under 30,000 inhabitants) to 5 (200,000 or more); ``None`` if unknown."""
    if inhabitants is None:
        return None
    return 1 + sum(inhabitants >= bound for bound in SIZE_CLASS_BOUNDS)


@dataclass(frozen=True)
class LibraryProfile:
    library_id: int
    inhabitants: int | None
    urbanity: int | None
    branches: int
    municipalities: int

    @property
    def size_class(self) -> int | None:
        return size_class(self.inhabitants)

    @property
    def complete(self) -> bool:
        return self.size_class is not None and self.urbanity is not None

    def is_like(self, other: LibraryProfile) -> bool:
        """Same size class and urbanity, each within ``MAX_STEPS``."""
        if not (self.complete and other.complete):
            return False
        return (
            abs(self.size_class - other.size_class) <= MAX_STEPS
            and abs(self.urbanity - other.urbanity) <= MAX_STEPS
        )

    def label(self) -> str:
        """ "ca. 45.000 inwoners · 3 vestigingen · 2 gemeenten · matig stedelijk"."""
        parts = []
        if self.inhabitants is not None:
            parts.append(_("%(n)s inhabitants") % {"n": figure(self.inhabitants)})
        # None recorded is unknown, not "0 vestigingen": left out.
        if self.branches:
            parts.append(_("%(n)s branches") % {"n": self.branches})
        if self.municipalities:
            parts.append(_("%(n)s municipalities") % {"n": self.municipalities})
        if self.urbanity is not None:
            parts.append(str(Urbanity(self.urbanity).label))
        return " · ".join(parts)

    def reasons_alike(self, other: LibraryProfile) -> list[str]:
        """Why ``other`` is like this library, in words (empty if it is not)."""
        if not self.is_like(other):
            return []
        return [
            _("a library of a similar size (%(n)s inhabitants)")
            % {"n": figure(other.inhabitants)},
            _("a similar area (%(urbanity)s)")
            % {"urbanity": Urbanity(other.urbanity).label},
        ]


def _count_municipalities(text: str) -> int:
    return len([name for name in (text or "").split(",") if name.strip()])


def profiles(library_ids: Iterable[int] | None = None) -> dict[int, LibraryProfile]:
    """Profiles of the given libraries (all when ``None``), in two queries."""
    libraries = LibraryPage.objects.all()
    if library_ids is not None:
        libraries = libraries.filter(pk__in=list(library_ids))
    rows = libraries.annotate(branch_count=Count("branches")).values_list(
        "pk", "inhabitants", "urbanity", "branch_count", "municipalities"
    )
    return {
        pk: LibraryProfile(
            pk, inhabitants, urbanity, branches, _count_municipalities(m)
        )
        for pk, inhabitants, urbanity, branches, m in rows
    }


def profile_of(library: LibraryPage) -> LibraryProfile:
    return profiles([library.pk])[library.pk]


def libraries_like(library: LibraryPage) -> set[int]:
    """Ids of the libraries like ``library`` (itself excluded)."""
    mine = profile_of(library)
    return {
        pk
        for pk, profile in profiles().items()
        if pk != library.pk and mine.is_like(profile)
    }


def libraries_unlike(library: LibraryPage) -> set[int]:
    """Ids of every other library that is not like ``library``: what a search for
    "libraries like mine" leaves out."""
    mine = profile_of(library)
    return {
        pk
        for pk, profile in profiles().items()
        if pk != library.pk and not mine.is_like(profile)
    }
