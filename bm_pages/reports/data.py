"""What the annual report shows, collected from a plan: plain dataclasses.

The renderers (``docx_report``, ``pdf_report``) only lay these out. Labels are Dutch
when collected under ``translation.override("nl")``.
"""

from __future__ import annotations

import datetime
import html
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from bm_pages import formatting
from bm_pages.models import ProjectPage
from bm_pages.reports import council
from bm_pages.reports.chart import phase_chart_png, target_chart_png

if TYPE_CHECKING:
    from bm_pages.models import AnnualPlanPage, ProjectPage

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "nl"
ACCENT = "#0b5394"


@dataclass
class IndicatorRow:
    name: str
    unit: str
    baseline: str
    target: str
    result: str
    percent: str
    reached: bool


@dataclass
class ProjectCard:
    title: str
    summary: str
    smart: list[tuple[str, list[tuple[str, str]]]]
    indicators: list[IndicatorRow]
    phase: str
    phase_label: str
    status_lines: list[str]
    evaluation: list[str]


@dataclass
class Section:
    title: str
    description: list[str]
    projects: list[ProjectCard]
    is_focus_area: bool = True
    target_bars: list[council.TargetBar] = field(default_factory=list)
    target_chart_png: bytes = field(default=b"", repr=False)

    @property
    def heading(self) -> str:
        if self.is_focus_area:
            return _("Focus area: %(title)s") % {"title": self.title}
        return self.title


@dataclass
class AnnualReport:
    library_name: str
    year: int
    plan_title: str
    introduction: list[str]
    sections: list[Section]
    phase_counts: list[tuple[str, str, int]]  # (phase, label, count)
    key_figures: list[tuple[str, str]]
    generated_on: str
    assurance: list[council.AssuranceRow] = field(default_factory=list)
    logo_png: bytes | None = None
    chart_png: bytes = field(default=b"", repr=False)

    @property
    def title(self) -> str:
        return _("Annual report %(year)s") % {"year": self.year}


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines; single newlines kept as spaces."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return [
        " ".join(line.strip() for line in b.splitlines()).strip()
        for b in blocks
        if b.strip()
    ]


def rich_text_paragraphs(value: str) -> list[str]:
    """Rich text HTML as plain paragraphs (one per block element)."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", value or "")
    text = re.sub(r"(?i)</(p|h[1-6]|li|blockquote)>", "\n\n", text)
    return paragraphs(html.unescape(strip_tags(text)))


def format_date(value: datetime.date | None) -> str:
    return formatting.long_date(value) or "–"


def format_figure(value: Decimal | int | None) -> str:
    return formatting.figure(value) if value is not None else "–"


def _names(queryset) -> str:
    return ", ".join(str(item) for item in queryset) or "–"


def spent_rows(project: ProjectPage) -> list[tuple[str, str]]:
    """The budget and hours spent, where the project records them."""
    rows = []
    if project.budget_spent is not None:
        rows.append((_("Budget spent"), formatting.money(project.budget_spent)))
    if project.hours_spent is not None:
        rows.append((_("Hours spent"), format_figure(project.hours_spent)))
    return rows


def project_card(project: ProjectPage) -> ProjectCard:
    indicators = [
        IndicatorRow(
            name=indicator.name,
            unit=indicator.unit,
            baseline=format_figure(indicator.baseline),
            target=format_figure(indicator.target),
            result=format_figure(indicator.result),
            percent=(
                formatting.percent(indicator.percent_of_target)
                if indicator.percent_of_target is not None
                else _("not measured yet")
            ),
            reached=indicator.target_reached,
        )
        for indicator in project.indicators.all()
    ]
    budget = formatting.money(project.budget) or "–"
    period = formatting.period(project.start_date, project.end_date) or _(
        "No dates set."
    )
    smart = [
        (
            _("Specific"),
            [
                (_("Goal"), project.goal or "–"),
                (_("Target group"), project.target_group or "–"),
            ],
        ),
        (
            _("Measurable"),
            [
                (
                    _("Indicators"),
                    _("%(count)s, see the table below") % {"count": len(indicators)}
                    if indicators
                    else _("No indicators yet."),
                )
            ],
        ),
        (
            _("Achievable"),
            [
                (_("Budget"), budget),
                *spent_rows(project),
                (_("Hours"), format_figure(project.hours)),
                (_("Partners"), project.partners or "–"),
            ],
        ),
        (
            _("Relevant"),
            [
                (_("Wsob core functions"), _names(project.core_functions.all())),
                (_("Policy topics"), _names(project.policy_topics.all())),
                (_("Work fields"), _names(project.work_fields.all())),
            ],
        ),
        (_("Time-bound"), [(_("Period"), period)]),
    ]
    phase_label = str(project.get_phase_display())
    status_lines = [_("Current phase: %(phase)s") % {"phase": phase_label}]
    last_entry = project.phase_log.order_by("-date", "-sort_order").first()
    if last_entry is not None:
        status_lines.append(
            _("Latest log entry (%(date)s, %(phase)s): %(note)s")
            % {
                "date": format_date(last_entry.date),
                "phase": last_entry.get_phase_display(),
                "note": " ".join(last_entry.note.split()),
            }
        )
    if project.is_assurance:
        status_lines.append(
            _(
                "Assurance project: checked every %(months)s months; next check "
                "%(date)s."
            )
            % {
                "months": format_figure(project.cycle_months),
                "date": format_date(project.next_review_date),
            }
        )
    return ProjectCard(
        title=project.title,
        summary=project.summary,
        smart=smart,
        indicators=indicators,
        phase=project.phase,
        phase_label=phase_label,
        status_lines=status_lines,
        evaluation=paragraphs(project.evaluation),
    )


def reported_projects(plan: AnnualPlanPage):
    """The plan's published projects, in the editor's order."""
    return (
        ProjectPage.objects.child_of(plan)
        .live()
        .select_related("focus_area")
        .prefetch_related(
            "indicators",
            "assurance_checks",
            "core_functions",
            "policy_topics",
            "work_fields",
        )
        .order_by("path")
    )


def library_logo_png(plan: AnnualPlanPage) -> bytes | None:
    """The library's logo as a PNG rendition, or ``None`` (none, or unreadable)."""
    library = plan.library
    if library is None or library.logo_id is None:
        return None
    try:
        rendition = library.logo.get_rendition("max-600x240|format-png")
        with rendition.file.open("rb") as handle:
            return handle.read()
    except Exception:  # a broken logo must not stop the report
        logger.warning("annual report: logo of %s unreadable", library, exc_info=True)
        return None


def collect_report(plan: AnnualPlanPage) -> AnnualReport:
    """Everything the report shows, with Dutch labels; call under ``override("nl")``."""
    projects = list(reported_projects(plan))
    focus_areas = list(plan.focus_areas.all())
    by_area: dict[int | None, list[ProjectPage]] = {}
    for project in projects:
        by_area.setdefault(project.focus_area_id, []).append(project)
    known = {area.pk for area in focus_areas}
    sections = [
        Section(
            title=area.title,
            description=paragraphs(area.description),
            projects=[project_card(p) for p in by_area.get(area.pk, [])],
            target_bars=council.target_bars(by_area.get(area.pk, [])),
        )
        for area in focus_areas
    ]
    others = [p for p in projects if p.focus_area_id not in known]
    if others:
        sections.append(
            Section(
                title=_("Other projects"),
                description=[_("Projects not assigned to a focus area.")],
                projects=[project_card(p) for p in others],
                is_focus_area=False,
                target_bars=council.target_bars(others),
            )
        )
    counts = Counter(p.phase for p in projects)
    phase_counts = [
        (value, str(label), counts.get(value, 0))
        for value, label in ProjectPage.Phase.choices
    ]
    key_figures = [
        (_("Projects"), format_figure(len(projects))),
        (_("Focus areas"), format_figure(len(focus_areas))),
        (
            _("Projects completed"),
            format_figure(counts.get(ProjectPage.Phase.DONE, 0)),
        ),
        *council.budget_and_hours(projects),
        *council.indicator_figures(projects),
    ]
    library = plan.library
    report = AnnualReport(
        library_name=library.title if library else "",
        year=plan.year,
        plan_title=plan.title,
        introduction=rich_text_paragraphs(plan.introduction),
        sections=sections,
        phase_counts=phase_counts,
        key_figures=key_figures,
        generated_on=format_date(timezone.localdate()),
        logo_png=library_logo_png(plan),
        assurance=council.assurance_rows(projects, timezone.localdate()),
    )
    report.chart_png = phase_chart_png(phase_counts)
    for section in sections:
        if section.target_bars:
            section.target_chart_png = target_chart_png(section.target_bars)
    return report
