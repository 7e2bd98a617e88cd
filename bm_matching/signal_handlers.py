"""Write an outbox row whenever a change may alter what the matcher should hold.

Every row is written in the same database transaction as the change. That is why
these handlers listen to Django's model signals on the page rows rather than only to
Wagtail's ``page_published``/``page_unpublished``/``post_page_move``/
``page_slug_changed``: in Wagtail 8 those fire *after* the page row was saved and,
in the admin, outside any transaction (``EditView.publish_action`` is not atomic,
``post_page_move`` is sent after the move's atomic block, ``page_slug_changed`` on
commit). A crash between the two writes would lose the change. ``Page.save()`` is
``@transaction.atomic`` and Django's delete collector is atomic too, so
``pre_save``/``post_save``/``post_delete`` on pages run inside the transaction that
changes the page, whichever way the change comes: the editor's Publish, a workflow's
approval, scheduled publishing, unpublish (also "with subpages"), a move, a slug
change, a copy, a delete, a revert, the API, a shell.

Covered, with what gets queued:

- a project saved while live or when it stops being live (publish, unpublish, move,
  slug change, expiry): that project;
- a project deleted (also with its plan or library): that project;
- a library published with a new name or network, a plan with a new year, any
  ancestor published, unpublished, moved or renamed (URL): the projects below it;
- a view restriction added or removed: the projects below it;
- a regional network or policy topic renamed or deleted: the projects that use it.

Draft saves (``save_revision``) only touch bookkeeping columns and queue nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction

from bm_pages.models import (
    AnnualPlanPage,
    LibraryPage,
    PolicyTopic,
    ProjectPage,
    RegionalNetwork,
)

from .indexing import enqueue, project_ids_below, project_ids_of_libraries
from .models import IndexOutbox

UPSERT = IndexOutbox.Action.UPSERT
DELETE = IndexOutbox.Action.DELETE

# Saves that touch only these columns change nothing the matcher holds: drafts,
# locking, comments, bookkeeping of revisions and tree children.
BOOKKEEPING_FIELDS = frozenset(
    {
        "wagtail_admin_comments",
        "comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_by",
        "locked_at",
        "numchild",
        "live_revision",
        "first_published_at",
        "last_published_at",
        "translation_key",
        "locale",
    }
)
# For ancestors: the columns whose change alters the projects' records.
WATCHED = {
    LibraryPage: ("live", "url_path", "title", "network_id"),
    AnnualPlanPage: ("live", "url_path", "year"),
}
DEFAULT_WATCHED = ("live", "url_path")
BEFORE_ATTR = "_bm_matching_before"


def _only_bookkeeping(update_fields: Any) -> bool:
    return update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS


def _page_class(instance: Page) -> type[Page]:
    # A move saves a plain ``Page``; its content type says what it really is.
    if type(instance) is Page:
        return instance.specific_class or Page
    return type(instance)


def page_pre_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Remember what the matcher may care about before the page row changes."""
    if raw or not isinstance(instance, Page):
        return
    setattr(instance, BEFORE_ATTR, None)
    if instance.pk is None or _only_bookkeeping(update_fields):
        return
    if _page_class(instance) is ProjectPage and instance.live:
        return  # a live project is queued whatever changed
    # A plain ``Page`` (a move) carries only the generic columns.
    model = type(instance) if type(instance) in WATCHED else Page
    watched = WATCHED.get(model, DEFAULT_WATCHED)
    before = model.objects.filter(pk=instance.pk).values(*watched).first()
    setattr(instance, BEFORE_ATTR, before)


def page_post_save(
    sender, instance, created=False, raw=False, update_fields=None, **kwargs
) -> None:
    """Queue the project, or the projects below a changed ancestor."""
    if raw or not isinstance(instance, Page) or _only_bookkeeping(update_fields):
        return
    before: dict[str, Any] | None = getattr(instance, BEFORE_ATTR, None)
    was_live = bool(before and before.get("live"))
    cls = _page_class(instance)
    if cls is ProjectPage:
        if instance.live:
            enqueue([instance.pk], UPSERT, "publish")
        elif was_live:
            enqueue([instance.pk], DELETE, "unpublish")
        return
    if created or before is None:
        return  # a new page has no projects below it yet
    changed = [name for name in before if before[name] != getattr(instance, name, None)]
    if not changed:
        return
    kind = {LibraryPage: "library", AnnualPlanPage: "plan"}.get(cls, "ancestor")
    ids = project_ids_below(instance, inclusive=False)
    enqueue(ids, UPSERT, f"{kind}:{','.join(changed)}")


def project_post_delete(sender, instance, **kwargs) -> None:
    """Queue the removal of a deleted project (also when its library is deleted)."""
    if instance.pk is not None:
        enqueue([instance.pk], DELETE, "delete")


def restriction_changed(sender, instance, **kwargs) -> None:
    """A page became private or public again: its projects leave or rejoin."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        enqueue(project_ids_below(page), UPSERT, "privacy")


def network_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or created:
        return
    library_ids = LibraryPage.objects.filter(network=instance).values_list(
        "pk", flat=True
    )
    enqueue(project_ids_of_libraries(library_ids), UPSERT, "network")


def network_deleting(sender, instance, **kwargs) -> None:
    # pre_delete: the libraries still point at the network; they lose it on commit.
    network_saved(sender, instance)


def topic_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    if raw or created:
        return
    ids = (
        ProjectPage.objects.filter(
            Q(core_functions=instance) | Q(policy_topics=instance), live=True
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    enqueue(ids, UPSERT, "topic")


def register_signal_handlers() -> None:
    # No sender: a move saves a plain ``Page``, and every page class must be seen.
    pre_save.connect(page_pre_save, dispatch_uid="bm_matching_page_pre_save")
    post_save.connect(page_post_save, dispatch_uid="bm_matching_page_post_save")
    post_delete.connect(
        project_post_delete, sender=ProjectPage, dispatch_uid="bm_matching_delete"
    )
    post_save.connect(
        restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="bm_matching_restriction_saved",
    )
    post_delete.connect(
        restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="bm_matching_restriction_deleted",
    )
    post_save.connect(
        network_saved, sender=RegionalNetwork, dispatch_uid="bm_matching_network"
    )
    pre_delete.connect(
        network_deleting,
        sender=RegionalNetwork,
        dispatch_uid="bm_matching_network_delete",
    )
    post_save.connect(
        topic_changed, sender=PolicyTopic, dispatch_uid="bm_matching_topic"
    )
    pre_delete.connect(
        topic_changed, sender=PolicyTopic, dispatch_uid="bm_matching_topic_delete"
    )
