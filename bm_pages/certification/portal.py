"""Plans and projects as the audit portal shows them, and its headline counts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from bm_pages.models import (
    AnnualPlanPage,
    LibraryDocument,
    LibraryPage,
    ProjectPage,
)

if TYPE_CHECKING:
    pass

from wagtail.models import Revision

from bm_pages.certification.dates import judged_on
from bm_pages.smart.rules import SmartResult, smart_check


@dataclass
class ProjectEntry:
    """A project as the audit portal shows it.

    ``page`` is the live version for a live project (what councils see) and the
    latest revision for a project that is not live (``is_draft``). A live project
    with a newer draft has ``has_pending_changes``.
    """

    page: ProjectPage
    is_draft: bool
    has_pending_changes: bool
    review_overdue: bool = False

    @property
    def pk(self) -> int:
        return self.page.pk

    @cached_property
    def smart(self) -> SmartResult:
        """The SMART check of the version shown (live or drafted)."""
        return smart_check(self.page)


@dataclass
class PlanEntry:
    """An annual plan with its projects in tree order."""

    plan: AnnualPlanPage
    is_draft: bool
    projects: list[ProjectEntry]

    @property
    def regular_projects(self) -> list[ProjectEntry]:
        return [p for p in self.projects if not p.page.is_assurance]

    @property
    def assurance_projects(self) -> list[ProjectEntry]:
        return [p for p in self.projects if p.page.is_assurance]


def review_overdue(project: ProjectPage, today: datetime.date) -> bool:
    """An assurance project whose next review date has passed (and is not done)."""
    return (
        project.kind == ProjectPage.Kind.ASSURANCE
        and project.next_review_date is not None
        and project.next_review_date < today
        and project.phase != ProjectPage.Phase.DONE
    )


def project_entries(
    pages: list[ProjectPage], today: datetime.date
) -> list[ProjectEntry]:
    """Portal entries for ``pages``; drafts come from their latest revision.

    The revisions of all drafts are fetched in one query.
    """
    revisions = Revision.objects.in_bulk(
        [
            page.latest_revision_id
            for page in pages
            if not page.live and page.latest_revision_id
        ]
    )
    entries = []
    for page in pages:
        revision = None if page.live else revisions.get(page.latest_revision_id)
        if revision is not None:
            shown = revision.as_object()
            shown.plan_id = page.plan_id
            shown.plan = page.plan
        else:
            shown = page
        entries.append(
            ProjectEntry(
                page=shown,
                is_draft=not page.live,
                has_pending_changes=page.live and page.has_unpublished_changes,
                review_overdue=review_overdue(shown, today),
            )
        )
    return entries


def library_projects(
    library: LibraryPage, *, today: datetime.date | None = None
) -> list[ProjectEntry]:
    """Every project of the library's plans, live ones as published, drafts as drafted."""
    pages = list(
        ProjectPage.objects.descendant_of(library)
        .select_related("plan", "focus_area")
        # work fields for the list; the rest for the SMART check
        .prefetch_related(
            "work_fields", "indicators", "core_functions", "policy_topics"
        )
        .order_by("path")
    )
    return project_entries(pages, judged_on(today))


def library_plans(
    library: LibraryPage, *, today: datetime.date | None = None
) -> list[PlanEntry]:
    """The library's annual plans, newest first, each with its projects."""
    today = judged_on(today)
    plans = list(AnnualPlanPage.objects.child_of(library).order_by("-year"))
    by_plan: dict[int, list[ProjectEntry]] = defaultdict(list)
    for entry in library_projects(library, today=today):
        by_plan[entry.page.plan_id].append(entry)
    return [
        PlanEntry(plan=plan, is_draft=not plan.live, projects=by_plan.get(plan.pk, []))
        for plan in plans
    ]


def library_project(
    library: LibraryPage, project_id: int, *, today: datetime.date | None = None
) -> ProjectEntry | None:
    """One project of the library (``None`` if it is not the library's)."""
    page = (
        ProjectPage.objects.descendant_of(library)
        .select_related("plan", "focus_area")
        .filter(pk=project_id)
        .first()
    )
    return None if page is None else project_entries([page], judged_on(today))[0]


def portal_counts(
    library: LibraryPage, *, today: datetime.date | None = None
) -> dict[str, int]:
    """Headline figures for the portal's start page (four count queries)."""
    today = judged_on(today)
    documents = LibraryDocument.objects.filter(library=library)
    return {
        "documents": documents.count(),
        "documents_overdue": documents.filter(review_date__lt=today).count(),
        "plans": AnnualPlanPage.objects.child_of(library).count(),
        "projects": ProjectPage.objects.descendant_of(library).count(),
    }
