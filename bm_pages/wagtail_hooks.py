"""Admin wiring: the framework snippets menu, "Copy to next year" buttons and guards."""

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

from bm_pages import admin_views
from bm_pages.actions import CopyAnnualPlanToNextYearAction, CopyProjectToNextYearAction
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


# The admin modules of each capability register their own hooks when imported:
# library roles (set-up, team, scoping, dashboard panel), API keys and annual report
# buttons, certification (document serving rule, document filters, environment,
# assurance) and partnerships (the "Netwerk" page, requests, the partner view).
from bm_pages import (  # noqa: E402, F401
    admin_api_tokens,
    admin_certification,
    admin_network_membership,
    admin_partnerships,
    admin_reports,
    admin_roles,
)
