"""Finding similar projects of other libraries: the one path for every front end.

The editor panel, the "Find projects" admin page and the DRF search API all call
:func:`find_similar_projects`, so they rank, filter and hide alike.

The matcher ranks; the CMS decides what may be shown. Before the call the user's own
libraries, the libraries that do not share with the user (``visibility``) and any
extra libraries (the one whose plan is being edited) are excluded in the matcher, so
its ``k`` best are already the user's ``k`` best. After the call every hit is checked
against the database (live, public, library still visible, filters still true) and
shown with the CMS's current library name, network, year and phase: the index may be
a moment behind, the answer never is. If that check drops hits, the matcher is asked
again for more (over-fetch), so a stale record never costs the user a result.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.pages import PagePermissionPolicy

from bm_pages.models import LibraryPage, ProjectPage, RegionalNetwork
from bm_pages.partnerships import partner_ids
from bm_pages.permissions import may_import_from

from .clients import MatcherClient, MatcherHit, get_client
from .indexing import load_states
from .visibility import SearchScope, search_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

MATCHER_MAX_K = 100  # the matcher's largest k
MATCHER_MAX_IDS = 1000  # the matcher's longest id list in a filter
PAGE_PERMISSIONS = PagePermissionPolicy()


@dataclass
class SimilarProject:
    """One result, as the CMS knows it now, with the matcher's score and words."""

    id: int
    title: str
    summary: str
    library_id: int
    library_name: str
    network_slug: str | None
    network_name: str | None
    year: int | None
    phase: str
    phase_label: str
    score: float
    matched_terms: list[str]
    url: str | None
    edit_url: str | None = None
    # The matcher's calibrated reading of ``score``: "good", "possible" or "weak".
    level: str = "possible"
    # Other years (copies, imports) of the same project the user may see: {id, year}.
    also: list[dict[str, int | None]] = field(default_factory=list)
    # The project's library is a partner of the user's (partnership or network link):
    # no "Request partnership".
    is_partner: bool = False
    # The user's library already imported it: the copy's editor, instead of "Import".
    imported_copy_url: str | None = None
    # ``bm_pages.permissions.may_import_from`` for one of the user's libraries.
    may_import: bool = True

    @property
    def open_url(self) -> str | None:
        """Where "open" goes: the editor if the user may edit it, else the page."""
        return self.edit_url or self.url

    @property
    def score_percent(self) -> int:
        return round(max(0.0, min(1.0, self.score)) * 100)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, self.level))


LEVEL_LABELS = {
    "good": _("Good match"),
    "possible": _("Possible match"),
    "weak": _("Weak match"),
}


@dataclass
class SearchOutcome:
    results: list[SimilarProject] = field(default_factory=list)
    matcher_ms: float = 0.0
    total_ms: float = 0.0
    matcher_calls: int = 0


def find_similar_projects(
    user: AbstractBaseUser | AnonymousUser,
    query: str,
    *,
    k: int = 10,
    network: RegionalNetwork | None = None,
    year: int | None = None,
    exclude_library_ids: Iterable[int] = (),
    request: HttpRequest | None = None,
    client: MatcherClient | None = None,
    own_libraries: list[LibraryPage] | None = None,
) -> SearchOutcome:
    """The ``k`` projects of other libraries most similar to ``query`` that ``user`` may see.

    :param user: who is searching; their own libraries are never returned.
    :param query: what the user typed (a title, perhaps with a summary).
    :param k: how many results at most.
    :param network: only libraries of this regional network.
    :param year: only projects of plans for this year.
    :param exclude_library_ids: further libraries to leave out (the library whose
        project is being edited, when a superuser edits it).
    :param request: for building page URLs for the current site.
    :param client: the matcher client (default: the shared HTTP client).
    :param own_libraries: ``visibility.libraries_of(user)``, if the caller has it.
    :raises bm_matching.clients.MatcherUnavailable: when the matcher cannot answer.
    """
    started = time.perf_counter()
    outcome = SearchOutcome()
    scope = search_scope(user, own_libraries)
    excluded = set(scope.excluded_ids) | {int(pk) for pk in exclude_library_ids}
    filters: dict[str, object] = {}
    if year is not None:
        filters["year"] = int(year)
    if network is not None:
        members = [
            pk
            for pk in LibraryPage.objects.filter(network=network).values_list(
                "pk", flat=True
            )
            if pk not in excluded
        ]
        if not members:
            outcome.total_ms = (time.perf_counter() - started) * 1000
            return outcome
        filters["library_id"] = [str(pk) for pk in members[:MATCHER_MAX_IDS]]
    # Past the matcher's limit, the database check below does the excluding alone.
    exclude = (
        [str(pk) for pk in sorted(excluded)] if len(excluded) <= MATCHER_MAX_IDS else []
    )

    client = client or get_client()
    fetch = min(MATCHER_MAX_K, k + max(5, k // 2))
    results: list[SimilarProject] = []
    while True:
        t0 = time.perf_counter()
        response = client.search(
            query, fetch, exclude_library_ids=exclude, filters=filters or None
        )
        outcome.matcher_ms += (time.perf_counter() - t0) * 1000
        outcome.matcher_calls += 1
        results = _checked(response.hits, user, scope, excluded, network, year, request)
        if len(results) >= k or len(response.hits) < fetch or fetch >= MATCHER_MAX_K:
            break
        fetch = MATCHER_MAX_K
    outcome.results = results[:k]
    _mark_relations(outcome.results, scope)
    outcome.total_ms = (time.perf_counter() - started) * 1000
    return outcome


def _checked(
    hits: list[MatcherHit],
    user: AbstractBaseUser | AnonymousUser,
    scope: SearchScope,
    excluded: set[int],
    network: RegionalNetwork | None,
    year: int | None,
    request: HttpRequest | None,
) -> list[SimilarProject]:
    ids = [int(hit.id) for hit in hits if hit.id.isdigit()]
    also_ids = [
        int(m["id"]) for hit in hits for m in hit.also if str(m.get("id", "")).isdigit()
    ]
    states = load_states(ids + also_ids, with_text=False)

    def visible(pk: int) -> bool:
        state = states.get(pk)
        return bool(
            state is not None
            and state.indexable
            and state.library is not None
            and state.library.pk not in excluded
            and scope.allows(state.library)
        )

    results: list[SimilarProject] = []
    for hit in hits:
        state = states.get(int(hit.id)) if hit.id.isdigit() else None
        if state is None or not state.indexable or state.library is None:
            continue
        library = state.library
        if library.pk in excluded or not scope.allows(library):
            continue
        if network is not None and library.network_id != network.pk:
            continue
        if year is not None and state.year != year:
            continue
        page = state.page
        results.append(
            SimilarProject(
                id=page.pk,
                title=page.title,
                summary=page.summary,
                library_id=library.pk,
                library_name=library.title,
                network_slug=library.network_slug,
                network_name=library.network_name,
                year=state.year,
                phase=page.phase,
                phase_label=str(ProjectPage.Phase(page.phase).label)
                if page.phase in ProjectPage.Phase.values
                else page.phase,
                score=hit.score,
                matched_terms=list(hit.matched_terms),
                url=page.get_full_url(request),
                edit_url=_edit_url(page, user),
                level=hit.level,
                also=[
                    {"id": int(m["id"]), "year": states[int(m["id"])].year}
                    for m in hit.also
                    if str(m.get("id", "")).isdigit() and visible(int(m["id"]))
                ],
            )
        )
    return results


def _mark_relations(results: list[SimilarProject], scope: SearchScope) -> None:
    """Partners of the user's libraries, and projects they already imported."""
    if not results or not scope.own_ids:
        return
    partners: set[int] = set()
    for library_id in scope.own_ids:
        partners |= partner_ids(library_id)
    own = list(LibraryPage.objects.filter(pk__in=scope.own_ids))
    owners = LibraryPage.objects.in_bulk({r.library_id for r in results})
    copies = dict(
        ProjectPage.objects.filter(
            source_page_id__in=[r.id for r in results],
            plan__library_id__in=scope.own_ids,
        )
        .order_by("-pk")
        .values_list("source_page_id", "pk")
    )
    for result in results:
        result.is_partner = result.library_id in partners
        owner = owners.get(result.library_id)
        result.may_import = owner is not None and any(
            may_import_from(library, owner) for library in own
        )
        copy = copies.get(result.id)
        if copy is not None:
            result.imported_copy_url = reverse("wagtailadmin_pages:edit", args=[copy])


def _edit_url(page: ProjectPage, user: AbstractBaseUser | AnonymousUser) -> str | None:
    # The permission policy alone (cached per user), not the page's full permission
    # tester, which also looks at locks and workflows: this is only about a link.
    if PAGE_PERMISSIONS.user_has_permission_for_instance(user, "change", page):
        return reverse("wagtailadmin_pages:edit", args=[page.pk])
    return None
