"""Model-level side effects of page changes.

The anonymous public cache (``bm_pages.public_cache``) is purged when its transaction
commits, after any save or delete of what public pages and the API v2 show: every
page model (drafts too: saving one is rare and the purge is cheap), view
restrictions, sites, the taxonomy, documents and images; and after Wagtail's
publish, unpublish and move signals, since a move rewrites descendants' paths with
``update()``, which sends no model signal.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from bm_pages import public_cache
from bm_pages.models import (
    AnnualPlanPage,
    FocusArea,
    LibraryDocument,
    PolicyTopic,
    ProjectPage,
    RegionalNetwork,
    WorkField,
)
from bm_pages.text import clean_text, clean_tree


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


def clean_text_fields(sender, instance, **kwargs) -> None:
    """Strip the characters XML refuses (``bm_pages.text``) from every text field
    of a bm_pages model before it is stored, whatever saves it (admin, API,
    imports, copies), so reports and exports never meet them."""
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, (models.CharField, models.TextField)):
            value = getattr(instance, model_field.attname)
            if isinstance(value, str):
                setattr(instance, model_field.attname, clean_text(value))


def clean_revision_content(sender, instance, **kwargs) -> None:
    """The same for a bm_pages page's draft, which lives in a revision's JSON."""
    if instance.content_type_id is None or not isinstance(instance.content, dict):
        return
    if ContentType.objects.get_for_id(instance.content_type_id).app_label == "bm_pages":
        instance.content = clean_tree(instance.content)


def purge_public_cache(sender, **kwargs) -> None:
    public_cache.purge()


def public_content_models() -> list[type]:
    """Models whose rows show on public pages or in the API v2."""
    pages = [model for model in apps.get_models() if issubclass(model, Page)]
    return [
        *pages,
        PageViewRestriction,
        Site,
        WorkField,
        PolicyTopic,
        RegionalNetwork,
        LibraryDocument,
        get_image_model(),
    ]


def register_signal_handlers() -> None:
    for model in public_content_models():
        for signal in (post_save, post_delete):
            signal.connect(
                purge_public_cache,
                sender=model,
                dispatch_uid=f"bm_pages_public_cache_{model._meta.label_lower}",
            )
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(purge_public_cache, dispatch_uid="bm_pages_public_cache_page")
    for model in apps.get_app_config("bm_pages").get_models():
        pre_save.connect(
            clean_text_fields,
            sender=model,
            dispatch_uid=f"bm_pages_clean_text_{model._meta.model_name}",
        )
    pre_save.connect(
        clean_revision_content, sender=Revision, dispatch_uid="bm_pages_clean_revision"
    )
    post_page_move.connect(
        sync_plan_library, sender=AnnualPlanPage, dispatch_uid="bm_pages_plan_library"
    )
    post_page_move.connect(
        sync_project_plan, sender=ProjectPage, dispatch_uid="bm_pages_project_plan"
    )
