"""What a council wants to see of its library on the public library page.

The current plan (this year's, else the latest) with its focus areas and key figures
(projects per phase, indicators reached), the earlier plans, the partners and the
latest public annual report. Only live, public pages and public documents.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from bm_pages.models import (
    AnnualPlanPage,
    LibraryDocument,
    LibraryPage,
    ProjectPage,
)
from bm_pages.partnerships import partner_ids

ANNUAL_REPORT_TYPE = "jaarverslag"


@dataclass
class PhaseCount:
    phase: str
    label: str
    count: int


@dataclass
class AreaFigures:
    """Key figures of one focus area (or of the whole plan)."""

    title: str
    projects: int = 0
    phases: list[PhaseCount] = field(default_factory=list)
    indicators: int = 0
    measured: int = 0
    reached: int = 0


@dataclass
class LibraryOverview:
    current_plan: AnnualPlanPage | None
    plan_figures: AreaFigures | None
    areas: list[AreaFigures]
    earlier_plans: list[AnnualPlanPage]
    partners: list[LibraryPage]
    annual_report: LibraryDocument | None


def _figures(title: str, projects: list[ProjectPage]) -> AreaFigures:
    counts = Counter(p.phase for p in projects)
    indicators = [i for p in projects for i in p.indicators.all()]
    return AreaFigures(
        title=title,
        projects=len(projects),
        phases=[
            PhaseCount(value, str(label), counts.get(value, 0))
            for value, label in ProjectPage.Phase.choices
        ],
        indicators=len(indicators),
        measured=sum(1 for i in indicators if i.result is not None),
        reached=sum(1 for i in indicators if i.target_reached),
    )


def current_plan_of(plans: list[AnnualPlanPage]) -> AnnualPlanPage | None:
    """This year's plan, else the latest before it, else the first one ahead."""
    year = timezone.localdate().year
    past = [p for p in plans if p.year <= year]
    if past:
        return max(past, key=lambda p: p.year)
    return min(plans, key=lambda p: p.year) if plans else None


def library_overview(library: LibraryPage) -> LibraryOverview:
    """The public library page's content beyond the page's own fields.

    :param library: the library (a live page: the public is looking at it).
    """
    plans = list(library.live_plans())
    current = current_plan_of(plans)
    areas: list[AreaFigures] = []
    plan_figures = None
    if current is not None:
        projects = list(current.live_projects().prefetch_related("indicators"))
        plan_figures = _figures(current.title, projects)
        by_area: dict[int | None, list[ProjectPage]] = {}
        for project in projects:
            by_area.setdefault(project.focus_area_id, []).append(project)
        areas = [
            _figures(area.title, by_area.get(area.pk, []))
            for area in current.focus_areas.all()
        ]
    partners = list(
        LibraryPage.objects.live()
        .public()
        .filter(pk__in=partner_ids(library))
        .exclude(pk=library.pk)
        .order_by("title")
    )
    report = (
        LibraryDocument.objects.filter(
            library=library,
            visibility=LibraryDocument.Visibility.PUBLIC,
            document_type__slug=ANNUAL_REPORT_TYPE,
        )
        .order_by("-valid_from", "-created_at")
        .first()
    )
    return LibraryOverview(
        current_plan=current,
        plan_figures=plan_figures,
        areas=areas,
        earlier_plans=[p for p in plans if p != current],
        partners=partners,
        annual_report=report,
    )
