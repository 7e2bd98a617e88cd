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
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from bm_pages.models import AnnualPlanPage, LibraryPage, ProjectPage

from .clients import MatcherRecord
from .models import IndexOutbox

NOTIFY_CHANNEL = "bm_matching_outbox"
STEPLEN = Page.steplen
MAX_TEXT = 18_000  # the matcher accepts 20,000 characters of summary


@dataclass
class ProjectState:
    """A project as the CMS has it now, with what indexing and search need to know."""

    page: ProjectPage
    plan: AnnualPlanPage | None
    library: LibraryPage | None
    indexable: bool

    @property
    def year(self) -> int | None:
        return self.plan.year if self.plan is not None else None


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


def load_states(
    page_ids: Sequence[int], *, with_text: bool = True
) -> dict[int, ProjectState]:
    """The current state of these projects, in a handful of queries.

    Projects that no longer exist are missing from the result.

    :param page_ids: project page ids.
    :param with_text: also load core functions and policy topics (for the record).
    """
    projects_qs = ProjectPage.objects.filter(pk__in=list(page_ids))
    if with_text:
        projects_qs = projects_qs.prefetch_related("core_functions", "policy_topics")
    projects = list(projects_qs)
    if not projects:
        return {}

    ancestor_paths = {a for p in projects for a in _ancestor_paths(p.path)}
    live_by_path = dict(
        Page.objects.filter(path__in=ancestor_paths).values_list("path", "live")
    )
    plans = {
        plan.path: plan
        for plan in AnnualPlanPage.objects.filter(
            path__in={p.path[:-STEPLEN] for p in projects}
        ).only("id", "path", "year", "title")
    }
    libraries = {
        library.path: library
        for library in LibraryPage.objects.filter(
            path__in={p.path[: -2 * STEPLEN] for p in projects}
        )
        .select_related("network")
        .only(
            "id",
            "path",
            "title",
            "live",
            "project_visibility",
            "network__id",
            "network__slug",
            "network__name",
        )
    }
    restricted = restricted_paths()

    states: dict[int, ProjectState] = {}
    for project in projects:
        plan = plans.get(project.path[:-STEPLEN])
        library = libraries.get(project.path[: -2 * STEPLEN])
        ancestors = _ancestor_paths(project.path)
        indexable = (
            project.live
            and project.alias_of_id is None
            and plan is not None
            and library is not None
            and all(live_by_path.get(path, False) for path in ancestors)
            and not any(project.path.startswith(r) for r in restricted)
        )
        states[project.pk] = ProjectState(project, plan, library, bool(indexable))
    return states


def restricted_paths() -> list[str]:
    """Paths of pages with a view restriction: their subtrees are not public."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


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


def record_for(state: ProjectState) -> MatcherRecord:
    """The matcher record of an indexable project."""
    project, library = state.page, state.library
    if library is None:  # pragma: no cover - indexable implies a library
        raise ValueError(f"project {project.pk} has no library")
    network = library.network
    return MatcherRecord(
        id=str(project.pk),
        library_id=str(library.pk),
        library_name=library.title,
        title=project.title,
        summary=embedded_text(project),
        year=state.year,
        region=network.slug if network is not None else None,
        phase=project.phase or None,
        url=project.get_full_url() or None,
    )


def build_records(page_ids: Sequence[int]) -> dict[int, MatcherRecord | None]:
    """For each page id: its record if it should be in the matcher, else ``None``."""
    states = load_states(page_ids, with_text=True)
    out: dict[int, MatcherRecord | None] = {}
    for pk in page_ids:
        state = states.get(pk)
        out[pk] = record_for(state) if state is not None and state.indexable else None
    return out
