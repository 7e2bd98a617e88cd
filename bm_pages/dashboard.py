"""The admin dashboard panel "My library": plans, PDCA phases, reviews due.

One panel per library in which the user is an editor or approver. Superusers see
panels only for libraries they hold a role in (they have the explorer for the rest).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from bm_pages.models import AnnualPlanPage, ProjectPage
from bm_pages.permissions import staff_libraries
from bm_pages.roles import LibraryRole, user_roles
from bm_pages.smart.review import submitted_smart

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from bm_pages.models import LibraryPage

# Assurance projects whose next review falls within this many days count as due.
REVIEW_DUE_WITHIN_DAYS = 30


def plans_with_phase_counts(library: LibraryPage) -> list[dict[str, Any]]:
    """The library's plans, newest first, each with its projects counted per phase."""
    plans = list(AnnualPlanPage.objects.child_of(library).order_by("-year"))
    counts: dict[int, dict[str, int]] = {}
    for row in (
        ProjectPage.objects.filter(plan__in=plans)
        # Pages are ordered by path, which would split the groups.
        .order_by()
        .values("plan_id", "phase")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(row["plan_id"], {})[row["phase"]] = row["n"]
    return [
        {
            "plan": plan,
            "phases": [
                counts.get(plan.pk, {}).get(phase, 0)
                for phase in ProjectPage.Phase.values
            ],
            "total": sum(counts.get(plan.pk, {}).values()),
        }
        for plan in plans
    ]


def reviews_due(
    library: LibraryPage, today: datetime.date | None = None
) -> list[ProjectPage]:
    """Assurance projects of the library whose next review is overdue or within 30 days."""
    today = today or timezone.localdate()
    projects = (
        ProjectPage.objects.descendant_of(library)
        .filter(
            kind=ProjectPage.Kind.ASSURANCE,
            next_review_date__isnull=False,
            next_review_date__lte=today
            + datetime.timedelta(days=REVIEW_DUE_WITHIN_DAYS),
        )
        .exclude(phase=ProjectPage.Phase.DONE)
        .order_by("next_review_date", "title")
    )
    for project in projects:
        project.review_overdue = project.next_review_date < today
    return list(projects)


def awaiting_review(library: LibraryPage, user: AbstractBaseUser) -> list[TaskState]:
    """Workflow tasks on the library's pages that ``user`` may approve or reject."""
    page_ids = [
        str(pk)
        for pk in library.get_descendants(inclusive=True).values_list("pk", flat=True)
    ]
    return list(
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__object_id__in=page_ids)
        .select_related("workflow_state", "task", "revision")
        .order_by("started_at")
    )


class MyLibraryPanel(Component):
    """One library's plans, projects per PDCA phase, reviews waiting and due."""

    name = "my_library"
    template_name = "bm_pages/admin/dashboard/my_library_panel.html"
    # Above Wagtail's own "awaiting your review" (220) and "recent edits" (250).
    order = 90

    def __init__(self, library: LibraryPage, user: AbstractBaseUser) -> None:
        self.library = library
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        context = super().get_context_data(parent_context)
        tasks = awaiting_review(self.library, self.user)
        for task_state in tasks:
            task_state.page = task_state.workflow_state.content_object
            task_state.smart = submitted_smart(task_state)
        context.update(
            {
                "panel_id": f"my-library-{self.library.pk}",
                "heading": _("My library: %(library)s")
                % {"library": self.library.title},
                "library": self.library,
                "phases": ProjectPage.Phase.choices,
                "plans": plans_with_phase_counts(self.library),
                "awaiting_review": tasks,
                "reviews_due": reviews_due(self.library),
                "due_within_days": REVIEW_DUE_WITHIN_DAYS,
                "is_approver": LibraryRole.APPROVER
                in user_roles(self.user, self.library),
            }
        )
        return context


def library_panels(user: AbstractBaseUser) -> list[MyLibraryPanel]:
    """A panel for every library in which the user is an editor or approver."""
    return [MyLibraryPanel(library, user) for library in staff_libraries(user)]
