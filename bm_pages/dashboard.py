"""The admin dashboard panel "My library": the library's cockpit.

One panel per library in which the user is an editor or approver (superusers see
panels only for libraries they hold a role in; they have the explorer for the
rest). Per plan: projects per PDCA phase, indicator progress, planned budget and
hours, and what was spent where projects record it. Then what waits for the person: reviews, partnership requests, imports whose
source changed, projects sent back with the reviewer's comment, and assurance
checks due. Every figure is one aggregate query per library, whatever its size.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from bm_pages.certification.assurance import carrying_assurance
from bm_pages.models import (
    AnnualPlanPage,
    Partnership,
    ProjectIndicator,
    ProjectPage,
)
from bm_pages.permissions import approves_for, staff_libraries
from bm_pages.smart.review import submitted_smart

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from bm_pages.models import LibraryPage

# Assurance projects whose next review falls within this many days count as due.
REVIEW_DUE_WITHIN_DAYS = 30


@dataclass
class IndicatorProgress:
    """How a plan's indicators stand: reached, on track, behind, not measured.

    On track: the result is at least the share of the target that the part of the
    project's period already gone by asks for (a project without dates: half).
    """

    reached: int = 0
    on_track: int = 0
    behind: int = 0
    not_measured: int = 0

    @property
    def total(self) -> int:
        return self.reached + self.on_track + self.behind + self.not_measured

    def add(self, result, target, start, end, today: datetime.date) -> None:
        if result is None:
            self.not_measured += 1
        elif result >= target:
            self.reached += 1
        elif result >= target * elapsed_share(start, end, today):
            self.on_track += 1
        else:
            self.behind += 1


def elapsed_share(
    start: datetime.date | None, end: datetime.date | None, today: datetime.date
) -> Decimal:
    """The part (0..1) of the period ``start``..``end`` gone by on ``today``."""
    if start is None or end is None or end <= start:
        return Decimal("0.5")
    gone = (min(max(today, start), end) - start).days
    return Decimal(gone) / Decimal((end - start).days)


@dataclass
class Spending:
    """Spent against planned, over the projects that record what they spent.

    ``planned`` sums the plan of those same projects only, so the two compare;
    ``projects`` says how many of the plan's projects record it.
    """

    spent: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    projects: int = 0


@dataclass
class PlanFigures:
    plan: AnnualPlanPage
    phases: list[dict[str, Any]]
    total: int
    indicators: IndicatorProgress = field(default_factory=IndicatorProgress)
    budget: Decimal = Decimal(0)
    hours: int = 0
    budget_spent: Spending = field(default_factory=Spending)
    hours_spent: Spending = field(default_factory=Spending)


def _spending(row: dict[str, Any], name: str) -> Spending:
    return Spending(
        spent=row.get(f"spent_{name}") or Decimal(0),
        planned=row.get(f"spent_{name}_planned") or Decimal(0),
        projects=row.get(f"spent_{name}_projects") or 0,
    )


def plan_figures(
    library: LibraryPage, today: datetime.date | None = None
) -> list[PlanFigures]:
    """The library's plans, newest first, each with its projects per phase (with the
    share for a bar), its indicator progress, its planned budget and hours, and the
    budget and hours spent against planned where projects record them."""
    today = today or timezone.localdate()
    plans = list(AnnualPlanPage.objects.child_of(library).order_by("-year"))
    counts: dict[int, dict[str, int]] = {}
    money: dict[int, dict[str, Any]] = {}
    # Pages are ordered by path, which would split the groups: order_by() clears it.
    projects = ProjectPage.objects.filter(plan__in=plans).order_by()
    for row in projects.values("plan_id", "phase").annotate(n=Count("pk")):
        counts.setdefault(row["plan_id"], {})[row["phase"]] = row["n"]
    recorded_budget = Q(budget_spent__isnull=False)
    recorded_hours = Q(hours_spent__isnull=False)
    for row in projects.values("plan_id").annotate(
        planned_budget=Sum("budget"),
        planned_hours=Sum("hours"),
        # (Names of their own: an annotation may not reuse a field's name.)
        spent_budget=Sum("budget_spent"),
        spent_budget_planned=Sum("budget", filter=recorded_budget),
        spent_budget_projects=Count("pk", filter=recorded_budget),
        spent_hours=Sum("hours_spent"),
        spent_hours_planned=Sum("hours", filter=recorded_hours),
        spent_hours_projects=Count("pk", filter=recorded_hours),
    ):
        money[row["plan_id"]] = row
    figures = {}
    for plan in plans:
        plan_counts = counts.get(plan.pk, {})
        total = sum(plan_counts.values())
        figures[plan.pk] = PlanFigures(
            plan=plan,
            phases=[
                {
                    "value": value,
                    "label": label,
                    "count": plan_counts.get(value, 0),
                    "percent": round(100 * plan_counts.get(value, 0) / total)
                    if total
                    else 0,
                }
                for value, label in ProjectPage.Phase.choices
            ],
            total=total,
            budget=money.get(plan.pk, {}).get("planned_budget") or Decimal(0),
            hours=money.get(plan.pk, {}).get("planned_hours") or 0,
            budget_spent=_spending(money.get(plan.pk, {}), "budget"),
            hours_spent=_spending(money.get(plan.pk, {}), "hours"),
        )
    for row in ProjectIndicator.objects.filter(page__plan__in=plans).values(
        "page__plan_id", "result", "target", "page__start_date", "page__end_date"
    ):
        figures[row["page__plan_id"]].indicators.add(
            row["result"],
            row["target"],
            row["page__start_date"],
            row["page__end_date"],
            today,
        )
    return [figures[plan.pk] for plan in plans]


def reviews_due(
    library: LibraryPage, today: datetime.date | None = None
) -> list[ProjectPage]:
    """Assurance projects of the library whose next review is overdue or within 30
    days: the newest copy of each (an older year's project stops reminding once it
    has been copied to the next year)."""
    today = today or timezone.localdate()
    projects = (
        carrying_assurance(ProjectPage.objects.descendant_of(library))
        .filter(
            next_review_date__lte=today
            + datetime.timedelta(days=REVIEW_DUE_WITHIN_DAYS),
        )
        .select_related("plan")
        .order_by("next_review_date", "title")
    )
    for project in projects:
        project.review_overdue = project.next_review_date < today
    return list(projects)


def _pages_by_id(ids) -> dict[int, Page]:
    return {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}


def awaiting_review(library: LibraryPage, user: AbstractBaseUser) -> list[TaskState]:
    """Workflow tasks on the library's pages that ``user`` may approve or reject,
    each with its ``page``."""
    page_ids = [
        str(pk)
        for pk in library.get_descendants(inclusive=True).values_list("pk", flat=True)
    ]
    tasks = list(
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__object_id__in=page_ids)
        .select_related("workflow_state", "task", "revision")
        .order_by("started_at")
    )
    pages = _pages_by_id(int(t.workflow_state.object_id) for t in tasks)
    for task_state in tasks:
        task_state.page = pages.get(int(task_state.workflow_state.object_id))
    return [t for t in tasks if t.page is not None]


@dataclass
class SentBack:
    """A page of the library a reviewer sent back: who, when and why."""

    page: Page
    reviewer: str
    comment: str
    when: datetime.datetime | None


def sent_back(library: LibraryPage) -> list[SentBack]:
    """The library's pages whose review asked for changes, newest first."""
    page_ids = [
        str(pk) for pk in library.get_descendants().values_list("pk", flat=True)
    ]
    rejections = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_REJECTED,
            workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
            workflow_state__object_id__in=page_ids,
        )
        .select_related("workflow_state", "finished_by")
        .order_by("-finished_at")
    )
    pages = _pages_by_id(int(t.workflow_state.object_id) for t in rejections)
    seen: set[int] = set()
    result = []
    for task_state in rejections:
        page = pages.get(int(task_state.workflow_state.object_id))
        if page is None or page.pk in seen:
            continue
        seen.add(page.pk)
        reviewer = task_state.finished_by
        result.append(
            SentBack(
                page=page,
                reviewer=(reviewer.get_full_name() or reviewer.get_username())
                if reviewer
                else "",
                comment=task_state.comment,
                when=task_state.finished_at,
            )
        )
    return result


def incoming_partnership_requests(library: LibraryPage) -> int:
    """Partnership requests other libraries sent to ``library``, not yet decided."""
    return Partnership.objects.awaiting_decision_of(library.pk).count()


def imports_with_changed_source(library: LibraryPage) -> list[ProjectPage]:
    """Projects imported from a partner whose source was published again since."""
    return list(
        ProjectPage.objects.descendant_of(library)
        .filter(
            source_page__isnull=False,
            imported_at__isnull=False,
            source_page__last_published_at__gt=F("imported_at"),
        )
        .select_related("plan")
        .order_by("title")
    )


class MyLibraryPanel(Component):
    """One library's cockpit: plans in figures, and what waits for the user."""

    name = "my_library"
    template_name = "bm_pages/admin/dashboard/my_library_panel.html"
    # Above Wagtail's own "awaiting your review" (220) and "recent edits" (250).
    order = 90

    def __init__(self, library: LibraryPage, user: AbstractBaseUser) -> None:
        self.library = library
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        context = super().get_context_data(parent_context)
        is_approver = approves_for(self.user, self.library)
        tasks = awaiting_review(self.library, self.user) if is_approver else []
        for task_state in tasks:
            task_state.smart = submitted_smart(task_state)
        context.update(
            {
                "panel_id": f"my-library-{self.library.pk}",
                "heading": _("My library: %(library)s")
                % {"library": self.library.title},
                "library": self.library,
                "phases": ProjectPage.Phase.choices,
                "plans": plan_figures(self.library),
                "awaiting_review": tasks,
                "sent_back": sent_back(self.library),
                "partnership_requests": incoming_partnership_requests(self.library)
                if is_approver
                else 0,
                "changed_sources": imports_with_changed_source(self.library),
                "reviews_due": reviews_due(self.library),
                "due_within_days": REVIEW_DUE_WITHIN_DAYS,
                "is_approver": is_approver,
            }
        )
        return context


def library_panels(user: AbstractBaseUser) -> list[MyLibraryPanel]:
    """A panel for every library in which the user is an editor or approver."""
    return [MyLibraryPanel(library, user) for library in staff_libraries(user)]
