"""Model-level side effects of page changes."""

from wagtail.signals import post_page_move

from bm_pages.models import AnnualPlanPage, FocusArea, ProjectPage


def sync_plan_library(sender, instance, parent_page_after, **kwargs) -> None:
    """Keep ``AnnualPlanPage.library`` in step with the tree after a move.

    Wagtail moves pages without calling the specific model's ``save()``.
    """
    AnnualPlanPage.objects.filter(pk=instance.pk).update(
        library_id=parent_page_after.pk
    )


def sync_project_plan(sender, instance, parent_page_after, **kwargs) -> None:
    """Keep ``ProjectPage.plan`` in step with the tree after a move.

    A project moved to another plan also drops a focus area of its old plan.
    """
    ProjectPage.objects.filter(pk=instance.pk).update(plan_id=parent_page_after.pk)
    if (
        FocusArea.objects.filter(projects__pk=instance.pk)
        .exclude(page_id=parent_page_after.pk)
        .exists()
    ):
        ProjectPage.objects.filter(pk=instance.pk).update(focus_area=None)


def register_signal_handlers() -> None:
    post_page_move.connect(
        sync_plan_library, sender=AnnualPlanPage, dispatch_uid="bm_pages_plan_library"
    )
    post_page_move.connect(
        sync_project_plan, sender=ProjectPage, dispatch_uid="bm_pages_project_plan"
    )
