"""Every hook of bm_pages, registered in one place. What the hooks do lives in the
``bm_pages.admin`` package: URLs and menu items in its viewsets, buttons, guards and
querysets in the module of their capability."""

from django.db import models
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.snippets.models import register_snippet

from bm_pages import public_cache
from bm_pages.actions import CopyAnnualPlanToNextYearAction, CopyProjectToNextYearAction
from bm_pages.admin import (
    api_tokens,
    assurance,
    banners,
    copy,
    documents,
    guide,
    moderation,
    network_membership,
    page_views,
    partnerships,
    readiness,
    reports,
    scoping,
    team,
)
from bm_pages.admin.framework import FrameworkSnippetViewSetGroup
from bm_pages.admin.network import NETWORK_SECTIONS_HOOK
from bm_pages.admin.viewsets import bm_pages_admin_viewsets
from bm_pages.models import AnnualPlanPage, ProjectPage
from bm_pages.panels import PROJECT_ASSURANCE_PANELS, PROJECT_EDITOR_PANELS
from bm_pages.smart import wagtail_hooks as smart_hooks

# Web addresses typed without a scheme are https, as Django 6 will assume.
register_form_field_override(models.URLField, override={"assume_scheme": "https"})

register_snippet(FrameworkSnippetViewSetGroup)
hooks.register("register_admin_viewset", bm_pages_admin_viewsets)


@hooks.register("register_actions")
def register_copy_actions(registry):
    registry.register(AnnualPlanPage, CopyAnnualPlanToNextYearAction)
    registry.register(ProjectPage, CopyProjectToNextYearAction)


# Buttons on pages: header ("..." next to the title; beside it on the editors of plans
# and libraries, see admin/page_views.py) and listing ("More").
hooks.register("register_page_header_buttons", page_views.new_project_header_button)
hooks.register("register_page_header_buttons", copy.copy_to_next_year_header_button)
hooks.register(
    "register_page_listing_more_buttons", copy.copy_to_next_year_listing_button
)
hooks.register("register_page_header_buttons", assurance.complete_cycle_header_button)
hooks.register(
    "register_page_listing_more_buttons", assurance.complete_cycle_listing_button
)
hooks.register("register_page_header_buttons", reports.annual_report_header_buttons)
hooks.register(
    "register_page_listing_more_buttons", reports.annual_report_listing_buttons
)
hooks.register("register_page_header_buttons", team.team_header_button)
hooks.register("register_page_listing_more_buttons", team.team_listing_button)

# The anonymous public cache stores a served page only when this says it is public.
hooks.register("before_serve_page", public_cache.mark_served_page)

# Guards and scoping.
hooks.register("before_move_page", copy.refuse_second_plan_for_a_year)
hooks.register(
    "construct_explorer_page_queryset", scoping.only_own_libraries_in_explorer
)
hooks.register(
    "construct_page_chooser_queryset", scoping.only_own_libraries_in_page_chooser
)
hooks.register("construct_homepage_panels", scoping.add_my_library_panels)
hooks.register("construct_homepage_panels", readiness.add_readiness_panels)

# Documents: the serving rule, the scoped admin API, the filtered listing and chooser
# (mounted at Wagtail's own paths, so ahead of Wagtail's URLs: order -1).
hooks.register("before_serve_document", documents.enforce_document_visibility)
hooks.register("construct_admin_api", documents.scope_admin_documents_api, order=1)
hooks.register(
    "register_admin_urls", documents.register_document_listing_urls, order=-1
)

# The account menu's "API keys", and the "Netwerk" page's network membership section.
hooks.register("register_account_menu_item", api_tokens.api_tokens_account_item)
hooks.register(NETWORK_SECTIONS_HOOK, network_membership.network_membership_section)

# The Help menu leads to our Dutch guide; Wagtail's "Reports" only for superusers.
hooks.register("register_help_menu_item", guide.guide_menu_item)
hooks.register("construct_help_menu", guide.only_our_guide)
hooks.register("construct_main_menu", guide.reports_for_superusers_only)

# The submit button says "Ter goedkeuring indienen"; reviewers see "Approve" and
# "Request changes" side by side (decisions say what they did: admin/page_views.py);
# the editor is told at the top who asked for changes, and where an import came from.
hooks.register("construct_page_action_menu", moderation.submit_for_approval_first)
hooks.register("before_edit_page", banners.editor_banners)

# "Complete cycle" at the top of an assurance project's "Assurance" tab.
hooks.register(PROJECT_ASSURANCE_PANELS, assurance.complete_cycle_panels)

# Log entries.
hooks.register("register_log_actions", api_tokens.register_token_log_actions)
hooks.register("register_log_actions", assurance.register_assurance_log_action)
hooks.register("register_log_actions", team.register_team_log_actions)
hooks.register("register_log_actions", partnerships.register_partnership_log_actions)
hooks.register(
    "register_log_actions", network_membership.register_network_membership_log_actions
)

# The SMART check (bm_pages/smart/): the editor's live panel (after the other apps'
# panels: its script moves it above the tabs) and its check endpoint, the library's
# "SMART-controle" setting in its page header, the SMART column of a plan's listing.
hooks.register(PROJECT_EDITOR_PANELS, smart_hooks.smart_check_panel, order=10)
hooks.register("register_admin_urls", smart_hooks.register_smart_admin_urls)
hooks.register("register_page_header_buttons", smart_hooks.smart_setting_header_button)
# (The plan's project listing with its SMART column is registered with the other
# page views in admin/viewsets.py: bm_pages.admin.page_views.ProjectPageViewSet.)
