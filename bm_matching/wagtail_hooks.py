"""Admin wiring: bm_matching's admin URLs and the "Find projects" menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from bm_pages.menu import RuleMenuItem

from . import admin_urls
from .panels import SimilarProjectsPanel
from .visibility import may_search


@hooks.register("register_admin_urls")
def register_bm_matching_admin_urls():
    return [path("matching/", include(admin_urls, namespace="bm_matching"))]


@hooks.register("register_admin_menu_item")
def register_find_projects_menu_item():
    return RuleMenuItem(
        _("Find projects"),
        reverse("bm_matching:find_projects"),
        shown_to=may_search,
        name="find-projects",
        icon_name="group",
        order=250,
    )


@hooks.register("construct_homepage_panels")
def add_index_status_panel(request, panels):
    if not request.user.is_superuser:
        return
    from .dashboard import IndexStatusPanel, outbox_health

    health = outbox_health()
    if health.needs_attention:
        panels.append(IndexStatusPanel(health))


@hooks.register("bm_pages_project_editor_panels")
def similar_projects_panel():
    """The project editor's similar-projects panel, in bm_pages' extension slot."""
    return [SimilarProjectsPanel()]
