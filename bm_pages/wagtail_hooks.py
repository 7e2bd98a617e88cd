"""Admin wiring, every hook of bm_pages: the framework snippets menu, "Copy to next
year" buttons and guards here, and the hooks of the capabilities' admin modules."""

from urllib.parse import urlencode

from django.db import models
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from bm_pages import (
    admin_api_tokens,
    admin_certification,
    admin_network_membership,
    admin_partnerships,
    admin_reports,
    admin_roles,
    admin_views,
)
from bm_pages.actions import CopyAnnualPlanToNextYearAction, CopyProjectToNextYearAction
from bm_pages.admin_partnerships import NETWORK_SECTIONS_HOOK
from bm_pages.models import (
    AnnualPlanPage,
    DocumentType,
    PolicyTopic,
    ProjectPage,
    RegionalNetwork,
    WorkField,
)

# Web addresses typed without a scheme are https, as Django 6 will assume.
register_form_field_override(models.URLField, override={"assume_scheme": "https"})


class WorkFieldSnippetViewSet(SnippetViewSet):
    model = WorkField
    icon = "list-ol"
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class PolicyTopicSnippetViewSet(SnippetViewSet):
    model = PolicyTopic
    icon = "tag"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]


class DocumentTypeSnippetViewSet(SnippetViewSet):
    model = DocumentType
    icon = "doc-full"
    list_display = ["name", "slug"]


class RegionalNetworkSnippetViewSet(SnippetViewSet):
    model = RegionalNetwork
    icon = "group"
    list_display = ["name", "region", "link_members_by_default"]
    search_fields = ["name", "region"]


class FrameworkSnippetViewSetGroup(SnippetViewSetGroup):
    """The shared vocabulary (KiB work fields, policy topics, ...) under one menu."""

    items = (
        WorkFieldSnippetViewSet,
        PolicyTopicSnippetViewSet,
        DocumentTypeSnippetViewSet,
        RegionalNetworkSnippetViewSet,
    )
    menu_icon = "folder-open-inverse"
    menu_label = _("Framework")
    menu_name = "framework"
    menu_order = 250


register_snippet(FrameworkSnippetViewSetGroup)


@hooks.register("register_admin_urls")
def register_bm_pages_admin_urls():
    urls = [
        path(
            "copy-to-next-year/<db_id:page_id>/",
            admin_views.copy_to_next_year,
            name="copy_to_next_year",
        )
    ]
    return [path("bm-pages/", (urls, "bm_pages_admin", "bm_pages_admin"))]


@hooks.register("register_actions")
def register_copy_actions(registry):
    registry.register(AnnualPlanPage, CopyAnnualPlanToNextYearAction)
    registry.register(ProjectPage, CopyProjectToNextYearAction)


def _copy_to_next_year_button(page, user, next_url=None, priority=35):
    if page.specific_class not in (AnnualPlanPage, ProjectPage):
        return None
    if not page.permissions_for_user(user).can_edit():
        return None
    url = reverse("bm_pages_admin:copy_to_next_year", args=[page.id])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return Button(
        _("Copy to next year"),
        url=url,
        icon_name="copy",
        priority=priority,
        attrs={"data-bm-action": "copy-to-next-year"},
    )


@hooks.register("register_page_header_buttons")
def copy_to_next_year_header_button(page, user, view_name, next_url=None):
    button = _copy_to_next_year_button(page, user, next_url)
    if button is not None:
        yield button


@hooks.register("register_page_listing_more_buttons")
def copy_to_next_year_listing_button(page, user, next_url=None):
    button = _copy_to_next_year_button(page, user, next_url)
    if button is not None:
        yield button


@hooks.register("before_move_page")
def refuse_second_plan_for_a_year(request, page_to_move, destination):
    """Moving a plan to a library that already has a plan for that year is refused."""
    if page_to_move.specific_class is not AnnualPlanPage:
        return None
    year = page_to_move.specific.year
    if AnnualPlanPage.objects.child_of(destination).filter(year=year).exists():
        messages.error(
            request,
            _("%(library)s already has an annual plan for %(year)s.")
            % {"library": destination.title, "year": year},
        )
        return redirect("wagtailadmin_pages:move", page_to_move.id)
    return None


# Every hook of the capabilities' admin modules, registered here in one place:
# library roles (set-up, team, scoping, dashboard panel), API keys and annual report
# buttons, certification (document serving rule, document filters, environment,
# assurance), partnerships and network membership (the "Netwerk" page).

# admin_api_tokens
hooks.register("register_admin_urls", admin_api_tokens.register_api_token_urls)
hooks.register("register_account_menu_item", admin_api_tokens.api_tokens_account_item)
hooks.register("register_settings_menu_item", admin_api_tokens.api_tokens_settings_item)
hooks.register("register_log_actions", admin_api_tokens.register_token_log_actions)

# admin_certification
hooks.register("before_serve_document", admin_certification.enforce_document_visibility)
hooks.register(
    "construct_admin_api", admin_certification.scope_admin_documents_api, order=1
)
hooks.register(
    "register_admin_urls", admin_certification.register_document_listing_urls, order=-1
)
hooks.register(
    "register_admin_menu_item",
    admin_certification.register_document_environment_menu_item,
)
hooks.register(
    "register_page_header_buttons", admin_certification.complete_cycle_header_button
)
hooks.register(
    "register_page_listing_more_buttons",
    admin_certification.complete_cycle_listing_button,
)
hooks.register(
    "register_log_actions", admin_certification.register_assurance_log_action
)
hooks.register(
    "register_admin_urls", admin_certification.register_certification_admin_urls
)

# admin_partnerships
hooks.register(
    "register_admin_urls", admin_partnerships.register_partnership_admin_urls
)
hooks.register(
    "register_admin_menu_item", admin_partnerships.register_network_menu_item
)

# admin_network_membership
hooks.register(
    NETWORK_SECTIONS_HOOK, admin_network_membership.network_membership_section
)
hooks.register(
    "register_admin_urls", admin_network_membership.register_network_membership_urls
)
hooks.register(
    "register_log_actions",
    admin_network_membership.register_network_membership_log_actions,
)

# admin_reports
hooks.register("register_admin_urls", admin_reports.register_report_urls)
hooks.register(
    "register_page_header_buttons", admin_reports.annual_report_header_buttons
)
hooks.register(
    "register_page_listing_more_buttons", admin_reports.annual_report_listing_buttons
)

# admin_roles
hooks.register("register_admin_urls", admin_roles.register_roles_admin_urls)
hooks.register("register_admin_menu_item", admin_roles.register_setup_library_menu_item)
hooks.register("register_page_header_buttons", admin_roles.team_header_button)
hooks.register("register_page_listing_more_buttons", admin_roles.team_listing_button)
hooks.register(
    "construct_explorer_page_queryset", admin_roles.only_own_libraries_in_explorer
)
hooks.register(
    "construct_page_chooser_queryset", admin_roles.only_own_libraries_in_page_chooser
)
hooks.register("construct_homepage_panels", admin_roles.add_my_library_panels)

# --- The SMART check (issue 17): bm_pages/smart/ -----------------------------------
# Imported here, not at the top, to keep this block in one place.
from bm_pages.panels import PROJECT_EDITOR_PANELS  # noqa: E402
from bm_pages.smart import wagtail_hooks as smart_hooks  # noqa: E402

# The editor's live SMART panel and its check endpoint.
# After the other apps' panels: its script moves it above the tabs anyway.
hooks.register(PROJECT_EDITOR_PANELS, smart_hooks.smart_check_panel, order=10)
hooks.register("register_admin_urls", smart_hooks.register_smart_admin_urls)
# The library's "SMART-controle" setting, from its page header (approvers).
hooks.register("register_page_header_buttons", smart_hooks.smart_setting_header_button)
# The annual plan's project listing gets a SMART column.
hooks.register("register_admin_viewset", smart_hooks.register_project_page_viewset)
