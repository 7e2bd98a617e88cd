"""Certification readiness in the admin: the overview editors and approvers open
themselves (auditors read the same in the audit portal), and a dashboard panel
that leads there. Both read ``bm_pages.certification.readiness.readiness_overview``,
as the document environment and the portal do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.admin.environment import LibraryCertificationViewMixin
from bm_pages.certification.readiness import readiness_overview
from bm_pages.permissions import staff_libraries

TEMPLATES = "bm_pages/admin/certification/"


class ReadinessOverviewView(
    LibraryCertificationViewMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One library's readiness per norm: status, evidence, related projects."""

    template_name = f"{TEMPLATES}readiness.html"
    header_icon = "tasks"

    def get_page_title(self):
        return _("Certification readiness")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("bm_certification:environment", args=[self.library.pk]),
                "label": _("Document environment"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "library": self.library,
                "readiness": readiness_overview(self.library),
                "portal_url": self.portal_url("readiness"),
            }
        )
        return context


class ReadinessPanel(Component):
    """Dashboard: "x / y ready" for one of the user's libraries, with the way in."""

    name = "bm_readiness"
    template_name = f"{TEMPLATES}readiness_panel.html"
    # Below the "My library" cockpit (90), above Wagtail's own panels (200+).
    order = 95

    def __init__(self, library) -> None:
        self.library = library

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        context = super().get_context_data(parent_context)
        context.update(
            {
                "panel_id": f"readiness-{self.library.pk}",
                "heading": _("Certification readiness: %(library)s")
                % {"library": self.library.title},
                "library": self.library,
                "readiness": readiness_overview(self.library),
            }
        )
        return context


def add_readiness_panels(request, panels):
    panels.extend(ReadinessPanel(library) for library in staff_libraries(request.user))
