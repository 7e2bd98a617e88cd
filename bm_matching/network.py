"""Libraries running projects like yours: a section of the "Netwerk" admin page.

``bm_pages`` owns the network page and must not import ``bm_matching``; it offers
the ``bm_pages_network_sections`` hook instead, and this module plugs a section
into it. For the library's newest live projects the matcher is asked for similar
projects of other libraries (the same search as the editor panel, with the same
visibility rules); the libraries behind them that are not yet partners are listed
with what matched, best first, each with "Request partnership".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.ui.components import Component

from bm_pages.models import LibraryPage, ProjectPage
from bm_pages.profile import profiles

from .clients import MatcherUnavailable
from .search import find_similar_projects
from .visibility import may_search

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger("bm_matching")

MAX_OWN_PROJECTS = 8  # matcher calls per page view
RESULTS_PER_PROJECT = 5
MAX_LIBRARIES = 10
#: A library like yours (size and urbanity) counts as one more similar project.
PROFILE_WEIGHT = 1


@dataclass
class Match:
    own_title: str
    title: str
    url: str | None
    score: float


@dataclass
class SuggestedLibrary:
    library_id: int
    name: str
    network_name: str | None
    matches: list[Match] = field(default_factory=list)
    request_url: str = ""
    # The library's profile, and why it is like yours (empty if it is not).
    profile_label: str = ""
    alike_reasons: list[str] = field(default_factory=list)

    @property
    def best(self) -> float:
        return max((m.score for m in self.matches), default=0.0)


def suggest_libraries(
    request: HttpRequest, library: LibraryPage, linked_ids: set[int]
) -> list[SuggestedLibrary]:
    """Libraries with projects like ``library``'s newest live ones, not yet partners.

    :param request: the admin request (its user's visibility applies).
    :param library: the library whose projects are compared.
    :param linked_ids: ids of its partners (left out).
    :raises bm_matching.clients.MatcherUnavailable: when the matcher cannot answer.
    """
    own = list(
        ProjectPage.objects.live()
        .descendant_of(library)
        .order_by("-plan__year", "-last_published_at")
        .only("pk", "title", "summary")[:MAX_OWN_PROJECTS]
    )
    found: dict[int, SuggestedLibrary] = {}
    for project in own:
        outcome = find_similar_projects(
            request.user,
            f"{project.title}\n{project.summary}",
            k=RESULTS_PER_PROJECT,
            exclude_library_ids=[library.pk, *linked_ids],
            request=request,
        )
        for result in outcome.results:
            if result.library_id in linked_ids or result.library_id == library.pk:
                continue
            entry = found.setdefault(
                result.library_id,
                SuggestedLibrary(
                    result.library_id,
                    result.library_name,
                    result.network_name,
                    request_url=reverse("bm_pages_partnerships:request")
                    + "?"
                    + urlencode({"library": library.pk, "partner": result.library_id}),
                ),
            )
            entry.matches.append(
                Match(project.title, result.title, result.open_url, result.score)
            )
    weigh_profiles(library, found)
    ranked = sorted(
        found.values(),
        key=lambda s: (
            -(len(s.matches) + (PROFILE_WEIGHT if s.alike_reasons else 0)),
            -s.best,
            s.name,
        ),
    )
    for suggestion in ranked:
        suggestion.matches.sort(key=lambda m: -m.score)
    return ranked[:MAX_LIBRARIES]


def weigh_profiles(library: LibraryPage, found: dict[int, SuggestedLibrary]) -> None:
    """Give each suggestion its library's profile and, when it is like ``library``
    (``bm_pages.profile``), the reasons why; such a library ranks as if it ran one
    more similar project."""
    loaded = profiles([library.pk, *found])
    mine = loaded.get(library.pk)
    for library_id, suggestion in found.items():
        theirs = loaded.get(library_id)
        if theirs is None:
            continue
        suggestion.profile_label = theirs.label()
        if mine is not None:
            suggestion.alike_reasons = mine.reasons_alike(theirs)


class SimilarLibrariesSection(Component):
    """The "libraries running projects like yours" section of the network page."""

    template_name = "bm_matching/import/network_suggestions.html"

    def __init__(
        self, request: HttpRequest, library: LibraryPage, linked_ids: set[int]
    ) -> None:
        self.request = request
        self.library = library
        self.linked_ids = linked_ids

    def get_context_data(self, parent_context=None) -> dict:
        try:
            suggestions = suggest_libraries(self.request, self.library, self.linked_ids)
            unavailable = False
        except MatcherUnavailable as exc:
            logger.warning("network suggestions: matcher unavailable: %s", exc)
            suggestions, unavailable = [], True
        return {
            "library": self.library,
            "suggestions": suggestions,
            "unavailable": unavailable,
            "find_url": reverse("bm_matching:find_projects"),
        }


def similar_libraries_section(request, library, linked_ids):
    if not may_search(request.user):
        return None
    return SimilarLibrariesSection(request, library, set(linked_ids))
