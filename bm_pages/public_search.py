"""The public search: what a council member types, over the live public pages.

Three sources, merged best first, each result shown once:

1. Wagtail's search backend, any word (``operator="or"``), ranked. On PostgreSQL the
   backend uses the ``dutch`` text search configuration (settings), so "senioren"
   finds "senior" and "vaardigheden" finds "vaardigheid".
2. Word beginnings: each query word as a prefix ("klachten" finds
   "klachtenafhandeling"), and compounds in the query split into their parts
   ("voorleesproject" -> "voorlees" + "project"), the topic part searched as a
   prefix, so it finds "VoorleesExpress" and "voorleesochtenden". Stemmers do not
   split compounds, in the query or in the text.
3. Other apps' sources, registered under ``PUBLIC_SEARCH_SOURCES_HOOK`` (bm_matching
   adds the semantic matcher). Each returns page ids, best first; whatever they
   return is checked here against the same live, public, filtered pages, and a
   source that fails (a matcher that is down) is skipped: the page still answers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.db.models import Q, QuerySet
from wagtail import hooks
from wagtail.models import Page

from bm_pages import public_cache
from bm_pages.models.serving import without_restricted

if TYPE_CHECKING:
    from .models import LibraryPage, PolicyTopic

logger = logging.getLogger(__name__)

#: Hook name: callables ``(query: str, limit: int) -> Iterable[int]`` of page ids.
PUBLIC_SEARCH_SOURCES_HOOK = "bm_pages_public_search_sources"


class SourcePaused(Exception):
    """Raised by a search source that is known to be down and is not being asked
    (it failed a moment ago, and that failure was logged): the page says it is
    partial, nothing is logged again."""


MAX_QUERY_LENGTH = 200
MAX_RESULTS = 200  # per source; a council member reads the first pages
MIN_PART_LENGTH = 4
MAX_PREFIX_WORDS = 6  # one prefix query per word; a pasted paragraph stays cheap

#: Dutch head nouns compounds often end in; what precedes them is the topic.
COMPOUND_HEADS = (
    "activiteiten",
    "activiteit",
    "bijeenkomsten",
    "bijeenkomst",
    "programma",
    "projecten",
    "project",
    "cursussen",
    "cursus",
    "trainingen",
    "training",
    "ochtenden",
    "ochtend",
    "middagen",
    "middag",
    "avonden",
    "avond",
    "spreekuur",
    "uurtje",
    "lessen",
    "aanbod",
    "club",
    "café",
    "week",
    "plan",
    "les",
    "uur",
)

SearchSource = Callable[[str, int], Iterable[int]]


def _model(name: str) -> Any:
    # By name: the home page's search route (bm_pages.models.library) uses this
    # module, so importing the models here would be a cycle.
    return apps.get_model("bm_pages", name)


@dataclass(frozen=True)
class SearchFilters:
    """What the reader narrowed the results to; ``None`` is "any"."""

    library: LibraryPage | None = None
    year: int | None = None
    core_function: PolicyTopic | None = None


@dataclass
class PublicSearch:
    """The ordered result ids, and whether every source answered."""

    page_ids: list[int]
    failed_sources: list[str]


def words(query: str) -> list[str]:
    return [w for w in re.split(r"[^\w'’-]+", query.lower()) if w]


def compound_parts(word: str) -> list[str]:
    """The topic part of a Dutch compound: "voorleesproject" -> ["voorlees"]."""
    for head in COMPOUND_HEADS:
        if word.endswith(head) and len(word) - len(head) >= MIN_PART_LENGTH:
            return [word[: -len(head)].rstrip("-")]
    return []


def searchable_pages(root: Page, filters: SearchFilters) -> QuerySet[Page]:
    """Live, public libraries, plans and projects below ``root``, narrowed by filters."""
    pages = (
        without_restricted(Page.objects.live())
        .descendant_of(root)
        .type(_model("LibraryPage"), _model("AnnualPlanPage"), _model("ProjectPage"))
    )
    if filters.library is not None:
        pages = pages.descendant_of(filters.library, inclusive=True)
    if filters.year is not None:
        pages = pages.filter(
            Q(annualplanpage__year=filters.year)
            | Q(projectpage__plan__year=filters.year)
        )
    if filters.core_function is not None:
        pages = pages.filter(projectpage__core_functions=filters.core_function)
    return pages


def result_ids(results: Any) -> list[int]:
    """The ids of Wagtail search results, best first, without a page per row.

    Wagtail's database backends build their results as a queryset
    (``get_queryset()``); asking it for ids spares a model instance for each of up to
    ``MAX_RESULTS`` rows, most of a search miss's time when a word is common. Other
    backends' results are read as they come.
    """
    as_queryset = getattr(results, "get_queryset", None)
    if as_queryset is None:
        return [page.pk for page in results]
    return list(as_queryset().values_list("pk", flat=True))


def _sources() -> list[SearchSource]:
    return list(hooks.get_hooks(PUBLIC_SEARCH_SOURCES_HOOK))


def search_public_pages(root: Page, query: str, filters: SearchFilters) -> PublicSearch:
    """Ids of the pages below ``root`` that answer ``query``, best first.

    :param root: the home page whose pages are searched.
    :param query: what the reader typed (cut at ``MAX_QUERY_LENGTH``).
    :param filters: library, year and core function to narrow to.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    allowed = searchable_pages(root, filters)
    # The filters above use lookups the search backend cannot apply: search on ids.
    # Only ids come back: each of the queries below may return MAX_RESULTS rows.
    candidates = Page.objects.filter(pk__in=allowed.values("pk")).only("pk")
    ranked: list[int] = []
    seen: set[int] = set()

    def add(ids: Iterable[int]) -> None:
        for page_id in ids:
            if page_id not in seen:
                seen.add(page_id)
                ranked.append(page_id)

    add(result_ids(candidates.search(query, operator="or")[:MAX_RESULTS]))
    # Word beginnings: "klachten" finds "klachtenafhandeling", and the topic part
    # of a compound in the query ("voorlees" of "voorleesproject") finds
    # "VoorleesExpress". After the ranked results, as they match less exactly.
    query_words = words(query)[:MAX_PREFIX_WORDS]
    prefixes = [w for w in query_words if len(w) >= MIN_PART_LENGTH]
    prefixes += [part for w in query_words for part in compound_parts(w)]
    for prefix in dict.fromkeys(prefixes):
        add(result_ids(candidates.autocomplete(prefix)[:MAX_RESULTS]))

    failed = []
    for source in _sources():
        try:
            found = [int(i) for i in source(query, MAX_RESULTS)]
        except SourcePaused:
            failed.append(getattr(source, "__name__", repr(source)))
            continue
        except Exception:  # an optional source that is down must not fail the page
            logger.warning("public search: source %r failed", source, exc_info=True)
            failed.append(getattr(source, "__name__", repr(source)))
            continue
        wanted = [i for i in found if i not in seen]
        if wanted:
            visible = set(allowed.filter(pk__in=wanted).values_list("pk", flat=True))
            add(i for i in wanted if i in visible)
    return PublicSearch(page_ids=ranked, failed_sources=failed)


# A page's fields a result row and its link need.
RESULT_PAGE_FIELDS = (
    "title",
    "url_path",
    "search_description",
    "locale",
    "content_type",
)


@dataclass
class SearchResult:
    """One result as the page lists it: what it is, whose, which year, where it stands."""

    page: Page
    kind: str
    library: LibraryPage | None
    year: int | None
    focus_area: str
    phase: str
    phase_label: str


def result_rows(page_ids: list[int]) -> list[SearchResult]:
    """The pages of ``page_ids`` (in that order) with library, year, focus area, phase."""
    # What a result row shows, not every column of a project, plan and library.
    projects = (
        _model("ProjectPage")
        .objects.select_related("plan__library", "focus_area")
        .only(
            *RESULT_PAGE_FIELDS,
            "summary",
            "phase",
            "focus_area__title",
            "plan__year",
            *(f"plan__{name}" for name in RESULT_PAGE_FIELDS),
            *(f"plan__library__{name}" for name in RESULT_PAGE_FIELDS),
        )
        .in_bulk(page_ids)
    )
    # Most results are projects: plans and libraries only for the ids left.
    rest = [page_id for page_id in page_ids if page_id not in projects]
    plans = (
        _model("AnnualPlanPage").objects.select_related("library").in_bulk(rest)
        if rest
        else {}
    )
    rest = [page_id for page_id in rest if page_id not in plans]
    libraries = _model("LibraryPage").objects.in_bulk(rest) if rest else {}
    rows = []
    for page_id in page_ids:
        if page_id in projects:
            project = projects[page_id]
            plan = project.plan
            rows.append(
                SearchResult(
                    page=project,
                    kind=str(_model("ProjectPage")._meta.verbose_name),
                    library=plan.library if plan else None,
                    year=plan.year if plan else None,
                    focus_area=project.focus_area.title if project.focus_area else "",
                    phase=project.phase,
                    phase_label=str(project.get_phase_display()),
                )
            )
        elif page_id in plans:
            plan = plans[page_id]
            rows.append(
                SearchResult(
                    page=plan,
                    kind=str(_model("AnnualPlanPage")._meta.verbose_name),
                    library=plan.library,
                    year=plan.year,
                    focus_area="",
                    phase="",
                    phase_label="",
                )
            )
        elif page_id in libraries:
            rows.append(
                SearchResult(
                    page=libraries[page_id],
                    kind=str(_model("LibraryPage")._meta.verbose_name),
                    library=libraries[page_id],
                    year=None,
                    focus_area="",
                    phase="",
                    phase_label="",
                )
            )
    return rows


class LibraryChoice(NamedTuple):
    pk: int
    title: str


class TopicChoice(NamedTuple):
    pk: int
    slug: str
    name: str


def filter_choices(root: Page) -> dict:
    """The libraries, years and core functions a reader can narrow to.

    The same for every search below ``root``: kept until the next change to a public
    page or a term (see ``public_cache.kept``).
    """
    return public_cache.kept(
        f"search-filter-choices:{root.pk}", lambda: _filter_choices(root)
    )


def _filter_choices(root: Page) -> dict:
    libraries = [
        LibraryChoice(*row)
        for row in _model("LibraryPage")
        .objects.live()
        .public()
        .descendant_of(root)
        .order_by("title")
        .values_list("pk", "title")
    ]
    years = sorted(
        set(
            _model("AnnualPlanPage")
            .objects.live()
            .public()
            .descendant_of(root)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )
    core_functions = [
        TopicChoice(*row)
        for row in _model("PolicyTopic")
        .objects.filter(kind=_model("PolicyTopic").Kind.CORE_FUNCTION)
        .order_by("name")
        .values_list("pk", "slug", "name")
    ]
    return {"libraries": libraries, "years": years, "core_functions": core_functions}


def parse_filters(root: Page, params) -> SearchFilters:
    """Filters from the query string; unknown or malformed values mean "any"."""
    library = year = core_function = None
    if str(params.get("library", "")).isdigit():
        library = (
            _model("LibraryPage")
            .objects.live()
            .public()
            .descendant_of(root)
            .filter(pk=int(params["library"]))
            .first()
        )
    raw_year = str(params.get("year", ""))
    if raw_year.isdigit() and 1900 <= int(raw_year) <= 2200:
        year = int(raw_year)
    if params.get("core_function"):
        core_function = (
            _model("PolicyTopic")
            .objects.filter(
                kind=_model("PolicyTopic").Kind.CORE_FUNCTION,
                slug=params["core_function"],
            )
            .first()
        )
    return SearchFilters(library=library, year=year, core_function=core_function)
