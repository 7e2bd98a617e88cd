"""Admin wiring, every hook of bm_matching: admin URLs, the "Find projects" menu item,
the editor panel, provenance notes and the network page's section."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from bm_pages.admin.menu import RuleViewSet
from bm_pages.admin.network import NETWORK_SECTIONS_HOOK
from bm_pages.public_search import PUBLIC_SEARCH_SOURCES_HOOK

from . import admin_urls, import_views, network
from .dashboard import IndexStatusPanel, outbox_health
from .panels import AchievedBySimilarPanel, SimilarProjectsPanel
from .public_source import semantic_public_search
from .visibility import may_search


class MatchingViewSet(RuleViewSet):
    """The "Find projects" page, the editor panel's search, import and feedback views."""

    name = "bm_matching"
    url_prefix = "matching"
    add_to_admin_menu = True
    menu_label = _("Find projects")
    menu_name = "find-projects"
    icon = "group"
    menu_order = 250
    menu_rule = staticmethod(may_search)

    def get_urlpatterns(self):
        return admin_urls.urlpatterns


hooks.register("register_admin_viewset", MatchingViewSet)


@hooks.register("construct_homepage_panels")
def add_index_status_panel(request, panels):
    if not request.user.is_superuser:
        return
    health = outbox_health()
    if health.needs_attention:
        panels.append(IndexStatusPanel(health))


@hooks.register("bm_pages_project_editor_panels")
def similar_projects_panel():
    """The project editor's similar-projects panel, and what similar projects
    achieved, in bm_pages' extension slot."""
    return [SimilarProjectsPanel(), AchievedBySimilarPanel()]


# The importer's notes in the project editor: who imported it, what changed at the
# source (bm_matching/import_views.py).
hooks.register("before_edit_page", import_views.provenance_messages)

# "Libraries running similar projects" on bm_pages' network page.
hooks.register(NETWORK_SECTIONS_HOOK, network.similar_libraries_section)


hooks.register(PUBLIC_SEARCH_SOURCES_HOOK, semantic_public_search)
