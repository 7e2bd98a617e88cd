"""The partner view: a partner library's live projects in full and its documents
shared with partners; nothing else (no drafts, no "own library" documents).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages import documents_access
from bm_pages.admin.network import network_url, optional_reverse
from bm_pages.admin.views import forbidden
from bm_pages.models import (
    AnnualPlanPage,
    LibraryPage,
    ProjectPage,
)
from bm_pages.partnerships import (
    are_partners,
    partner_ids,
)
from bm_pages.permissions import libraries_worked_for

if TYPE_CHECKING:
    from django.http import HttpRequest


def partner_projects(partner: LibraryPage):
    """The partner's live, public projects with everything the partner view shows."""
    return (
        ProjectPage.objects.live()
        .public()
        .descendant_of(partner)
        .select_related("plan", "focus_area")
        .prefetch_related(
            "indicators",
            "activities",
            "core_functions",
            "policy_topics",
            "work_fields",
        )
        .order_by("-plan__year", "path")
    )


def shared_documents(partner: LibraryPage):
    """The partner's own documents a partner may open: "partners" and "public" ones."""
    return (
        documents_access.shared_documents(partner, as_partner=True)
        .select_related("document_type", "work_field")
        .order_by("title")
    )


def viewing_library(request: HttpRequest, partner: LibraryPage) -> LibraryPage | None:
    """The user's library through which they may look at ``partner`` (a partner of it).

    Superusers may look at any library.
    """
    mine = libraries_worked_for(request.user)
    wanted = request.GET.get("as", "")
    if wanted.isdigit():
        library = mine.filter(pk=int(wanted)).first()
        if library is not None and are_partners(library, partner):
            return library
    linked = partner_ids(partner)
    library = mine.filter(pk__in=linked).first()
    if library is not None:
        return library
    if request.user.is_superuser:
        return mine.exclude(pk=partner.pk).first()
    return None


class PartnerAccessMixin:
    def dispatch(self, request, library_id: int, *args, **kwargs):
        self.partner = get_object_or_404(LibraryPage, pk=library_id)
        self.viewer = viewing_library(request, self.partner)
        if self.viewer is None:
            return forbidden(
                request,
                _(
                    "You see the projects and shared documents of %(library)s in "
                    "full once your library and %(library)s are partners."
                )
                % {"library": self.partner.title},
            )
        return super().dispatch(request, *args, **kwargs)


class PartnerView(PartnerAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """A partner library's live projects and its documents shared with partners."""

    template_name = "bm_pages/admin/partnerships/partner.html"
    header_icon = "group"

    def get_page_title(self):
        return _("Partner")

    def get_page_subtitle(self):
        return self.partner.title

    def get_header_title(self):
        return self.partner.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": network_url(self.viewer), "label": _("Network")},
            {"url": "", "label": self.partner.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans: dict[int, dict] = {}
        for project in partner_projects(self.partner):
            year = project.plan.year if project.plan_id else None
            entry = plans.setdefault(year, {"year": year, "projects": []})
            project.detail_url = (
                reverse(
                    "bm_pages_partnerships:partner_project",
                    args=[self.partner.pk, project.pk],
                )
                + "?"
                + urlencode({"as": self.viewer.pk})
            )
            project.import_url = optional_reverse(
                "bm_matching:import_project", project.pk
            )
            entry["projects"].append(project)
        context.update(
            {
                "partner": self.partner,
                "viewer": self.viewer,
                "plans": list(plans.values()),
                "documents": list(shared_documents(self.partner)),
            }
        )
        return context


class PartnerProjectView(PartnerAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """One live project of a partner in full: SMART, activities, PDCA log, evidence."""

    template_name = "bm_pages/admin/partnerships/partner_project.html"
    header_icon = "doc-full"

    def dispatch(self, request, library_id: int, project_id: int, *args, **kwargs):
        self.project_id = project_id
        return super().dispatch(request, library_id, *args, **kwargs)

    def get_project(self) -> ProjectPage:
        project = partner_projects(self.partner).filter(pk=self.project_id).first()
        if project is None:
            raise Http404
        return project

    def get(self, request, *args, **kwargs):
        self.project = self.get_project()
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.project.title

    def get_page_subtitle(self):
        return self.partner.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": network_url(self.viewer), "label": _("Network")},
            {
                "url": reverse("bm_pages_partnerships:partner", args=[self.partner.pk])
                + "?"
                + urlencode({"as": self.viewer.pk}),
                "label": self.partner.title,
            },
            {"url": "", "label": self.project.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.project
        log = list(project.phase_log.select_related("evidence").order_by("sort_order"))
        for entry in log:
            # Only the partner's own shared documents: never another library's title.
            entry.shared_evidence = documents_access.shared_evidence_entry(
                entry, self.partner.pk, as_partner=True
            )
        context.update(
            {
                "partner": self.partner,
                "viewer": self.viewer,
                "project": project,
                "plan": AnnualPlanPage.objects.filter(pk=project.plan_id).first(),
                "phase_log": log,
                "import_url": optional_reverse(
                    "bm_matching:import_project", project.pk
                ),
            }
        )
        return context
