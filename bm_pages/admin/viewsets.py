"""The admin viewsets of bm_pages: every URL namespace, prefix and menu item in one place.

Each viewset mounts the views of one module of this package; ``wagtail_hooks``
registers them all through ``register_admin_viewset``. Namespaces and prefixes are
the ones links and tests already use.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSet

from bm_pages.admin import (
    api_tokens,
    assurance,
    copy,
    environment,
    guide,
    library_setup,
    network,
    network_membership,
    page_views,
    partners,
    partnerships,
    readiness,
    reports,
    team,
)
from bm_pages.admin.menu import RuleViewSet
from bm_pages.permissions import is_superuser, works_for_a_library


class CopyToNextYearViewSet(ViewSet):
    name = "bm_pages_admin"
    url_prefix = "bm-pages"

    def get_urlpatterns(self):
        return [
            path(
                "copy-to-next-year/<db_id:page_id>/",
                copy.copy_to_next_year,
                name="copy_to_next_year",
            )
        ]


class ApiKeysViewSet(RuleViewSet):
    """A user's own API keys; superusers reach them from Settings as well."""

    name = "bm_api_tokens"
    url_prefix = "api-sleutels"
    add_to_settings_menu = True
    menu_label = _("API keys")
    menu_name = "api-keys"
    icon = "key"
    menu_order = 650
    menu_rule = staticmethod(is_superuser)

    def get_urlpatterns(self):
        return [path("", api_tokens.api_tokens, name="index")]


class CertificationViewSet(RuleViewSet):
    """The document environment and completing an assurance cycle."""

    name = "bm_certification"
    url_prefix = "bm-certification"
    add_to_admin_menu = True
    menu_label = _("Document environment")
    menu_name = "document-environment"
    icon = "folder-open-inverse"
    menu_order = 410
    menu_rule = staticmethod(works_for_a_library)

    def get_urlpatterns(self):
        return [
            path(
                "documents/",
                environment.DocumentEnvironmentIndexView.as_view(),
                name="environment_index",
            ),
            path(
                "documents/<db_id:library_id>/",
                environment.DocumentEnvironmentView.as_view(),
                name="environment",
            ),
            path(
                "readiness/<db_id:library_id>/",
                readiness.ReadinessOverviewView.as_view(),
                name="readiness",
            ),
            path(
                "assurance/<db_id:page_id>/complete/",
                assurance.CompleteAssuranceCycleView.as_view(),
                name="complete_cycle",
            ),
        ]


class NetworkViewSet(RuleViewSet):
    """ "Netwerk": partners, partnership requests and decisions, the partner view."""

    name = "bm_pages_partnerships"
    url_prefix = "network"
    add_to_admin_menu = True
    menu_label = _("Network")
    menu_name = "network"
    icon = "group"
    menu_order = 260
    menu_rule = staticmethod(works_for_a_library)
    menu_badge = staticmethod(partnerships.requests_to_decide)

    def get_urlpatterns(self):
        return [
            path("", network.NetworkView.as_view(), name="network"),
            path(
                "request/",
                partnerships.RequestPartnershipView.as_view(),
                name="request",
            ),
            path("<db_id:pk>/accept/", partnerships.accept_partnership, name="accept"),
            path(
                "<db_id:pk>/decline/",
                partnerships.decline_partnership,
                name="decline",
            ),
            path(
                "<db_id:pk>/withdraw/",
                partnerships.withdraw_partnership,
                name="withdraw",
            ),
            path(
                "end/<db_id:library_id>/<db_id:partner_id>/",
                partnerships.end_partnership,
                name="end",
            ),
            path(
                "partners/<db_id:library_id>/",
                partners.PartnerView.as_view(),
                name="partner",
            ),
            path(
                "partners/<db_id:library_id>/projects/<db_id:project_id>/",
                partners.PartnerProjectView.as_view(),
                name="partner_project",
            ),
        ]


class NetworkMembershipViewSet(ViewSet):
    """Joining a regional network: request, accept, decline, withdraw."""

    name = "bm_network_membership"
    url_prefix = "network/membership"

    def get_urlpatterns(self):
        return [
            path("request/", network_membership.request_membership, name="request"),
            path(
                "<db_id:pk>/accept/",
                network_membership.accept_membership,
                name="accept",
            ),
            path(
                "<db_id:pk>/decline/",
                network_membership.decline_membership,
                name="decline",
            ),
            path(
                "<db_id:pk>/withdraw/",
                network_membership.withdraw_membership,
                name="withdraw",
            ),
        ]


class AnnualReportViewSet(ViewSet):
    name = "bm_reports"
    url_prefix = "bm-reports"

    def get_urlpatterns(self):
        return [
            path(
                "annual-report/<db_id:plan_id>/<str:fmt>/",
                reports.annual_report,
                name="annual_report",
            )
        ]


class LibraryRolesViewSet(RuleViewSet):
    """Setting up a library (superusers, in the menu) and its team page."""

    name = "bm_pages_roles"
    url_prefix = "bm-roles"
    add_to_admin_menu = True
    menu_label = _("Set up a library")
    menu_name = "setup-library"
    icon = "home"
    menu_order = 150
    menu_rule = staticmethod(is_superuser)

    def get_urlpatterns(self):
        return [
            path(
                "setup/",
                library_setup.SetUpLibraryView.as_view(),
                name="setup_library",
            ),
            path(
                "library/<db_id:library_id>/team/",
                team.TeamView.as_view(),
                name="team",
            ),
            path(
                "library/<db_id:library_id>/team/remove/<db_id:membership_id>/",
                team.RemoveMemberView.as_view(),
                name="remove_member",
            ),
        ]


class HelpViewSet(ViewSet):
    """The Dutch guide behind the Help menu (its item: ``guide.guide_menu_item``)."""

    name = "bm_help"
    url_prefix = "handleiding"

    def get_urlpatterns(self):
        return [path("", guide.GuideView.as_view(), name="guide")]


def bm_pages_admin_viewsets() -> list[ViewSet]:
    return [
        CopyToNextYearViewSet(),
        ApiKeysViewSet(),
        CertificationViewSet(),
        NetworkViewSet(),
        NetworkMembershipViewSet(),
        AnnualReportViewSet(),
        LibraryRolesViewSet(),
        HelpViewSet(),
        # Wagtail's page views of our page types: page actions in the header of
        # plans and libraries, decisions that say what they did, the SMART listing.
        page_views.AnnualPlanPageViewSet("bm_annual_plan_pages"),
        page_views.LibraryPageViewSet("bm_library_pages"),
        page_views.ProjectPageViewSet("bm_project_pages"),
    ]
