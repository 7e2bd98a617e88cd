""" "Libraries like mine" in the similar-projects search.

``bm_pages.profile`` decides which libraries are alike; this narrows a search to
them by leaving every other library out (``find_similar_projects``'s
``exclude_library_ids``), so the search itself stays as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bm_pages.models import LibraryPage
from bm_pages.profile import libraries_unlike, profile_of


class NoProfileError(ValueError):
    """There is no library to compare with, or its profile is not filled in."""


def reference_library(
    own: list[LibraryPage], library_id: int | None = None
) -> LibraryPage | None:
    """The library "mine" means: the one being edited, else the user's first."""
    if library_id:
        return LibraryPage.objects.filter(pk=library_id).first()
    return own[0] if own else None


def unlike_library_ids(reference: LibraryPage | None) -> list[int]:
    """The libraries to leave out for "libraries like mine".

    :raises NoProfileError: no library, or one without inhabitants and urbanity.
    """
    if reference is None:
        raise NoProfileError(
            _('"Libraries like mine" compares with your library: you work for none.')
        )
    if not profile_of(reference).complete:
        raise NoProfileError(
            _(
                "Fill in the inhabitants served and the urbanity of %(library)s on "
                'its library page first: "libraries like mine" compares them.'
            )
            % {"library": reference.title}
        )
    return sorted(libraries_unlike(reference))
