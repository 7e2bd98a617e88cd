"""What a council reads first in the annual report: money, hours, targets, assurance.

Collected from the plan's published projects, formatted through
``bm_pages.formatting`` like every other figure; the renderers only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from bm_pages import formatting

if TYPE_CHECKING:
    from bm_pages.models import ProjectPage


@dataclass
class TargetBar:
    """One measured indicator of a focus area, for the target-versus-result chart."""

    label: str
    percent: int  # result as a percentage of the target
    text: str  # "4.321 koffertjes (doel 5.796)"
    reached: bool


@dataclass
class AssuranceRow:
    title: str
    cycle: str
    last_check: str
    next_check: str
    overdue: bool


def budget_and_hours(projects: list[ProjectPage]) -> list[tuple[str, str]]:
    """Key figures: the planned budget and hours, summed over the projects."""
    budgets = [p.budget for p in projects if p.budget is not None]
    hours = [p.hours for p in projects if p.hours is not None]
    rows = [
        (_("Budget (planned)"), formatting.money(sum(budgets, Decimal(0)))),
        (_("Hours (planned)"), formatting.figure(sum(hours))),
    ]
    missing = len(projects) - len(budgets)
    if missing:
        rows.append((_("Projects without a budget"), formatting.figure(missing)))
    return rows


def indicator_figures(projects: list[ProjectPage]) -> list[tuple[str, str]]:
    """Key figures: indicators reached, not reached, not measured yet."""
    indicators = [i for p in projects for i in p.indicators.all()]
    measured = [i for i in indicators if i.result is not None]
    reached = [i for i in measured if i.target_reached]
    return [
        (_("Indicators"), formatting.figure(len(indicators))),
        (_("Targets reached"), formatting.figure(len(reached))),
        (_("Targets not reached"), formatting.figure(len(measured) - len(reached))),
        (_("Not measured yet"), formatting.figure(len(indicators) - len(measured))),
    ]


def target_bars(projects: list[ProjectPage]) -> list[TargetBar]:
    """The measured indicators of ``projects``, for one focus area's chart."""
    bars = []
    for project in projects:
        for indicator in project.indicators.all():
            if indicator.percent_of_target is None:
                continue
            bars.append(
                TargetBar(
                    label=f"{project.title}: {indicator.name}",
                    percent=indicator.percent_of_target,
                    text=indicator.figures_text,
                    reached=indicator.target_reached,
                )
            )
    return bars


def assurance_rows(projects: list[ProjectPage], today) -> list[AssuranceRow]:
    """The assurance projects with their cycle, last and next check."""
    rows = []
    for project in projects:
        if not project.is_assurance:
            continue
        checks = [check.date for check in project.assurance_checks.all()]
        rows.append(
            AssuranceRow(
                title=project.title,
                cycle=(
                    _("every %(months)s months")
                    % {"months": formatting.figure(project.cycle_months)}
                    if project.cycle_months
                    else "–"
                ),
                last_check=formatting.long_date(max(checks)) if checks else "–",
                next_check=formatting.long_date(project.next_review_date) or "–",
                overdue=bool(
                    project.next_review_date and project.next_review_date < today
                ),
            )
        )
    return rows
