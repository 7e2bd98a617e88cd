"""Admin wiring, every hook of bm_matching: admin URLs, the "Find projects" menu item,
the editor panel, provenance notes and the network page's section."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from bm_pages.admin_partnerships import NETWORK_SECTIONS_HOOK
from bm_pages.menu import RuleMenuItem
from bm_pages.public_search import PUBLIC_SEARCH_SOURCES_HOOK

from . import admin_urls, import_views, network
from .clients import get_client
from .panels import SimilarProjectsPanel
from .search import MATCHER_MAX_K
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


# The importer's notes in the project editor: who imported it, what changed at the
# source (bm_matching/import_views.py).
hooks.register("before_edit_page", import_views.provenance_messages)

# "Libraries running similar projects" on bm_pages' network page.
hooks.register(NETWORK_SECTIONS_HOOK, network.similar_libraries_section)


@hooks.register(PUBLIC_SEARCH_SOURCES_HOOK)
def semantic_public_search(query: str, limit: int) -> list[int]:
    """The public search's semantic source: the matcher's best project ids.

    bm_pages keeps only the live, public pages among them and skips this source
    when it raises (``MatcherUnavailable`` while the matcher is down).
    """
    response = get_client().search(query, min(limit, MATCHER_MAX_K))
    return [int(hit.id) for hit in response.hits if hit.id.isdigit()]
