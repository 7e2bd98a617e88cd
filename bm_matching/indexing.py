"""What the matcher holds for a project, and queuing changes for it.

A project is *indexable* when other libraries can open it: it is live, not an alias,
not behind a view restriction (itself or an ancestor), and every ancestor below the
tree root is live (Wagtail serves a page only through live parents). Everything else
is removed from the matcher.

The matcher record is built from the database when the worker sends it, never
snapshotted when the change happens (see ``models.IndexOutbox``). What makes a project
findable goes into the embedded text: title, then summary, specific goal, target
group and the names of its Wsob core functions and policy topics. Library, network
(slug, in the matcher's ``region``), year, phase and URL go along as metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, PageViewRestriction

from bm_pages.models import LibraryPage, ProjectPage

from .clients import MatcherRecord
from .models import IndexOutbox

NOTIFY_CHANNEL = "bm_matching_outbox"
STEPLEN = Page.steplen
MAX_TEXT = 18_000  # the matcher accepts 20,000 characters of summary
MAX_LINEAGE_DEPTH = 50  # copies and imports followed back to a project's root
# What a search result needs of a project page (with what building its URL needs).
SEARCH_FIELDS = (
    "id",
    "path",
    "depth",
    "title",
    "slug",
    "url_path",
    "live",
    "alias_of_id",
    "phase",
    "summary",
    "content_type_id",
    "locale_id",
    "translation_key",
    "owner_id",
)


@dataclass(frozen=True)
class LibraryInfo:
    """The library of a project, as indexing and search need it."""

    pk: int
    title: str
    project_visibility: str
    network_id: int | None
    network_slug: str | None
    network_name: str | None


@dataclass
class ProjectState:
    """A project as the CMS has it now, with what indexing and search need to know."""

    page: ProjectPage
    year: int | None
    library: LibraryInfo | None
    indexable: bool


# Writing outbox rows ------------------------------------------------------------------


def enqueue(page_ids: Iterable[int], action: str, reason: str) -> int:
    """Write one outbox row per page, in the caller's transaction, and wake the worker.

    :param page_ids: ids of ``ProjectPage`` pages (duplicates are written once).
    :param action: ``IndexOutbox.Action.UPSERT`` or ``DELETE``.
    :param reason: what happened, for ``matcher_status`` (``publish``, ``move``, ...).
    :returns: how many rows were written.
    """
    ids = list(dict.fromkeys(int(pk) for pk in page_ids))
    if not ids:
        return 0
    IndexOutbox.objects.bulk_create(
        [IndexOutbox(page_id=pk, action=action, reason=reason[:40]) for pk in ids],
        batch_size=1000,
    )
    wake_worker()
    return len(ids)


def wake_worker() -> None:
    """Wake a waiting ``matcher_sync`` at once (PostgreSQL); others poll.

    PostgreSQL delivers a NOTIFY when, and only if, the transaction that sent it
    commits, which is exactly when the new rows become visible to the worker; several
    identical notifications in one transaction arrive as one.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [NOTIFY_CHANNEL])


def project_ids_below(page: Page, *, inclusive: bool = True) -> list[int]:
    """Ids of the project pages in ``page``'s subtree (the page itself included)."""
    return list(
        ProjectPage.objects.descendant_of(page, inclusive=inclusive).values_list(
            "pk", flat=True
        )
    )


def project_ids_of_libraries(library_ids: Iterable[int]) -> list[int]:
    paths = list(
        LibraryPage.objects.filter(pk__in=list(library_ids)).values_list(
            "path", flat=True
        )
    )
    if not paths:
        return []
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return list(ProjectPage.objects.filter(condition).values_list("pk", flat=True))


def live_project_ids() -> list[int]:
    """Ids of every project that should be in the matcher, in ascending order."""
    candidates = list(
        ProjectPage.objects.live()
        .filter(alias_of__isnull=True)
        .values_list("pk", flat=True)
    )
    indexable: list[int] = []
    for start in range(0, len(candidates), 2000):
        chunk = candidates[start : start + 2000]
        states = load_states(chunk, with_text=False)
        indexable.extend(pk for pk in chunk if states[pk].indexable)
    return sorted(indexable)


# Reading the current state ---------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    # Depth 1 is the tree root, which is never served; depth 2 and below must be live.
    return [path[:end] for end in range(2 * STEPLEN, len(path), STEPLEN)]


def _restricted() -> Exists:
    return Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk")))


def load_states(
    page_ids: Sequence[int], *, with_text: bool = True
) -> dict[int, ProjectState]:
    """The current state of these projects, in two queries (four with the text).

    One for the projects, one for all their ancestors: liveness, view restrictions,
    the plan's year and the library with its network, read through the ancestors'
    typed tables. Projects that no longer exist are missing from the result.

    :param page_ids: project page ids.
    :param with_text: also load core functions and policy topics (for the record).
    """
    projects_qs = ProjectPage.objects.filter(pk__in=list(page_ids)).annotate(
        bm_restricted=_restricted()
    )
    if with_text:
        projects_qs = projects_qs.prefetch_related("core_functions", "policy_topics")
    else:
        # Search shows these; loading whole project rows costs more than the rest.
        projects_qs = projects_qs.only(*SEARCH_FIELDS)
    projects = list(projects_qs)
    if not projects:
        return {}

    paths = {a for p in projects for a in _ancestor_paths(p.path)}
    ancestors = {
        row["path"]: row
        for row in Page.objects.filter(path__in=paths)
        .annotate(restricted=_restricted())
        .values(
            "pk",
            "path",
            "live",
            "title",
            "restricted",
            "annualplanpage__year",
            "librarypage__page_ptr_id",
            "librarypage__project_visibility",
            "librarypage__network_id",
            "librarypage__network__slug",
            "librarypage__network__name",
        )
    }

    states: dict[int, ProjectState] = {}
    for project in projects:
        chain = [ancestors.get(path) for path in _ancestor_paths(project.path)]
        plan = ancestors.get(project.path[:-STEPLEN])
        row = ancestors.get(project.path[: -2 * STEPLEN])
        library = None
        if row is not None and row["librarypage__page_ptr_id"] is not None:
            library = LibraryInfo(
                pk=row["pk"],
                title=row["title"],
                project_visibility=row["librarypage__project_visibility"],
                network_id=row["librarypage__network_id"],
                network_slug=row["librarypage__network__slug"],
                network_name=row["librarypage__network__name"],
            )
        year = plan["annualplanpage__year"] if plan is not None else None
        indexable = (
            project.live
            and project.alias_of_id is None
            and not project.bm_restricted
            and year is not None
            and library is not None
            and all(a is not None and a["live"] and not a["restricted"] for a in chain)
        )
        states[project.pk] = ProjectState(project, year, library, bool(indexable))
    return states


def embedded_text(project: ProjectPage) -> str:
    """What the matcher embeds after the title: the project's findable text."""
    topics = [t.name for t in project.core_functions.all()] + [
        t.name for t in project.policy_topics.all()
    ]
    parts = [
        project.summary,
        project.goal,
        project.target_group,
        ", ".join(dict.fromkeys(topics)),
    ]
    return "\n".join(part.strip() for part in parts if part and part.strip())[:MAX_TEXT]


def lineage_roots(projects: Sequence[ProjectPage]) -> dict[int, str]:
    """Per project: the root of its chain of copies (``copied_from``, next year) and
    imports (``source_page_id``, another library), as a string.

    The copies of one project over the years share it, so search shows them as one
    line. A project that is nobody's copy is its own root. Deleting a page of the
    chain sets its copies' links to NULL, so their chain ends (and their line starts)
    there.
    """
    parent = {p.pk: p.copied_from_id or p.source_page_id for p in projects}
    root = {p.pk: p.pk for p in projects}
    current = {pk: up for pk, up in parent.items() if up}
    seen: dict[int, set[int]] = {pk: {pk} for pk in parent}
    for _ in range(MAX_LINEAGE_DEPTH):
        if not current:
            break
        links = {
            pk: copied or source
            for pk, copied, source in ProjectPage.objects.filter(
                pk__in=set(current.values())
            ).values_list("pk", "copied_from_id", "source_page_id")
        }
        following = {}
        for pk, up in current.items():
            root[pk] = up  # the furthest page reached (it may since have been deleted)
            if up in seen[pk]:
                continue  # a cycle: stop at the first repeat
            seen[pk].add(up)
            nxt = links.get(up)
            if nxt:
                following[pk] = nxt
        current = following
    return {pk: str(r) for pk, r in root.items()}


def record_for(state: ProjectState, lineage: str | None = None) -> MatcherRecord:
    """The matcher record of an indexable project."""
    project, library = state.page, state.library
    if library is None:  # pragma: no cover - indexable implies a library
        raise ValueError(f"project {project.pk} has no library")
    return MatcherRecord(
        id=str(project.pk),
        library_id=str(library.pk),
        library_name=library.title,
        title=project.title,
        summary=embedded_text(project),
        year=state.year,
        region=library.network_slug,
        phase=project.phase or None,
        url=project.get_full_url() or None,
        lineage=lineage,
    )


def build_records(page_ids: Sequence[int]) -> dict[int, MatcherRecord | None]:
    """For each page id: its record if it should be in the matcher, else ``None``."""
    states = load_states(page_ids, with_text=True)
    roots = lineage_roots([s.page for s in states.values() if s.indexable])
    out: dict[int, MatcherRecord | None] = {}
    for pk in page_ids:
        state = states.get(pk)
        out[pk] = (
            record_for(state, roots.get(pk))
            if state is not None and state.indexable
            else None
        )
    return out
