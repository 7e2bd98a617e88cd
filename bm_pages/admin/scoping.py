"""Scoping: users who are not superusers see only their own libraries' pages in the
explorer and the page choosers; the "My library" dashboard panel (``bm_pages.dashboard``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wagtail.models import Page
from wagtail.permissions import policy_registry

from bm_pages import dashboard

if TYPE_CHECKING:
    from django.db.models import QuerySet


def explorable_page_ids(user) -> QuerySet:
    """Ids of the pages a user may explore: their libraries and their ancestors."""
    return policy_registry.get_by_type(Page).explorable_instances(user).values("pk")


def only_own_libraries_in_explorer(parent_page, pages, request):
    # Wagtail already limits the explorer to explorable pages; this keeps it so
    # when WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS is switched off.
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=explorable_page_ids(request.user))


def only_own_libraries_in_page_chooser(pages, request):
    # Wagtail's page chooser lists and searches every page, drafts included.
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=explorable_page_ids(request.user))


# Dashboard ----------------------------------------------------------------------


def add_my_library_panels(request, panels):
    panels.extend(dashboard.library_panels(request.user))
