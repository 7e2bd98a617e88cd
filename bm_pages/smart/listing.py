"""A "SMART" column in the explorer of an annual plan (the list of its projects).

Wagtail routes the explorer of a page to the viewset registered for the model of
its children when every allowed child is of that model: an annual plan holds only
projects, so ``ProjectPageViewSet``'s listing is the plan's listing. Everything else
about project pages stays Wagtail's default.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet

from bm_pages.models import ProjectPage
from bm_pages.models.smart_check import revision_smart
from bm_pages.smart.rules import SmartResult, smart_check


def latest_smart(project: ProjectPage) -> SmartResult | None:
    """The check of what the editors last saved: the draft when there is one."""
    if project.has_unpublished_changes and project.latest_revision_id:
        return revision_smart(project.latest_revision, page=project)
    return smart_check(project)


class SmartScoreColumn(Column):
    """The project's SMART score, with what is missing as its tooltip."""

    cell_template_name = "bm_pages/smart/score_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        smart = None
        if isinstance(instance, ProjectPage):
            # The listing loads pages without their plan; the plan being explored
            # is at hand (saves a query per row).
            plan = parent_context.get("parent_page")
            if plan is not None and instance.plan_id == plan.pk:
                instance.plan = plan.specific
            smart = latest_smart(instance)
        context["smart"] = smart
        return context


class ProjectExplorableIndexView(ExplorableIndexView):
    base_columns = [
        *ExplorableIndexView.base_columns,
        SmartScoreColumn("smart", label=_("SMART"), width="12%"),
    ]

    def get_base_queryset(self):
        # The column checks every row: fetch what the rules read in a few queries.
        return (
            super()
            .get_base_queryset()
            .select_related("latest_revision")
            .prefetch_related("indicators", "core_functions", "policy_topics")
        )


class ProjectPageViewSet(PageViewSet):
    """Project pages as Wagtail has them, with the SMART column in their listing."""

    model = ProjectPage
    index_view_class = ProjectExplorableIndexView
