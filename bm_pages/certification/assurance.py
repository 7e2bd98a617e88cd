"""Assurance projects (borgingsprojecten): their checks and what is due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef

from bm_pages.models import (
    AssuranceCheck,
    LibraryPage,
    ProjectPage,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

from bm_pages.certification.dates import judged_on
from bm_pages.certification.portal import ProjectEntry, project_entries


@dataclass
class AssuranceEntry:
    """An assurance project with its completed cycles, newest first."""

    project: ProjectEntry
    checks: list[AssuranceCheck]

    @property
    def page(self) -> ProjectPage:
        return self.project.page

    @property
    def last_check(self) -> AssuranceCheck | None:
        return self.checks[0] if self.checks else None


def _checks_newest_first(page: ProjectPage) -> list[AssuranceCheck]:
    return sorted(
        page.assurance_checks.all(),
        key=lambda check: (check.date, check.sort_order or 0),
        reverse=True,
    )


def library_assurance(
    library: LibraryPage, *, today: datetime.date | None = None
) -> list[AssuranceEntry]:
    """The library's assurance projects with their cycle history, most urgent first."""
    today = judged_on(today)
    pages = list(
        ProjectPage.objects.descendant_of(library)
        .filter(kind=ProjectPage.Kind.ASSURANCE)
        .select_related("plan")
        .prefetch_related("assurance_checks", "work_fields")
        .order_by("path")
    )
    entries = []
    for entry in project_entries(pages, today):
        if entry.page.kind != ProjectPage.Kind.ASSURANCE:
            continue  # the draft turned it into a regular project
        entries.append(
            AssuranceEntry(project=entry, checks=_checks_newest_first(entry.page))
        )
    return sorted(
        entries,
        key=lambda e: (
            not e.project.review_overdue,
            e.page.next_review_date or datetime.date.max,
            e.page.title,
        ),
    )


def carrying_assurance(projects: QuerySet[ProjectPage]) -> QuerySet[ProjectPage]:
    """The assurance projects among ``projects`` that carry their cycle today: with a
    next review date, not done, and not copied to a later year (the copy carries the
    cycle on, so last year's project stops reminding)."""
    copies = ProjectPage.objects.filter(copied_from_id=OuterRef("pk"))
    return (
        projects.filter(
            kind=ProjectPage.Kind.ASSURANCE,
            next_review_date__isnull=False,
        )
        .exclude(phase=ProjectPage.Phase.DONE)
        .exclude(Exists(copies))
    )


@dataclass
class LibraryDue:
    """The assurance projects of one library due on or before a date."""

    library: LibraryPage
    projects: list[ProjectPage]
    today: datetime.date

    @property
    def overdue_count(self) -> int:
        return sum(1 for p in self.projects if p.next_review_date < self.today)


def assurance_due(
    *, within_days: int, today: datetime.date | None = None
) -> list[LibraryDue]:
    """Assurance projects due within ``within_days`` days (overdue ones included).

    Grouped per library (by title), each group by due date. Projects in the phase
    "done" no longer recur and are left out, as are projects copied to a later year
    (:func:`carrying_assurance`). The projects get ``review_overdue``.

    :param within_days: how many days ahead to look (0: due today or overdue).
    :param today: the date to count from (default: today).
    """
    today = judged_on(today)
    limit = today + datetime.timedelta(days=within_days)
    projects = (
        carrying_assurance(ProjectPage.objects.all())
        .filter(next_review_date__lte=limit, plan__library__isnull=False)
        .select_related("plan__library")
        .order_by("next_review_date", "title", "pk")
    )
    groups: dict[int, LibraryDue] = {}
    for project in projects:
        library = project.plan.library
        project.review_overdue = project.next_review_date < today
        groups.setdefault(library.pk, LibraryDue(library, [], today)).projects.append(
            project
        )
    return sorted(groups.values(), key=lambda g: (g.library.title, g.library.pk))
