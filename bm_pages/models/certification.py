"""The audit portal: a library's read-only certification view for its auditors."""

from django.contrib.auth import logout
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from bm_pages.converters import parse_database_id

PORTAL_TEMPLATES = "bm_pages/audit/"


class AuditPortalPage(RoutablePageMixin, Page):
    """A library's audit portal (auditportaal), one per library, below its page.

    Shows, read-only, what a certifying auditor looks at: the library's documents
    by work field and policy topic, its annual plans with every project's SMART card
    and PDCA log, its assurance projects with their cycle history, and a readiness
    overview per norm of Kwaliteit in Beeld.

    Only the library's editors, approvers and auditors (and superusers) get in: a
    Wagtail view restriction for the library's three role groups, made when the
    library is set up, plus a check in ``serve()`` that the user's role has not
    ended, so an auditor is refused from their end date on even while still in
    the group. Nothing on it changes data.
    """

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "A word of welcome for the auditors, shown above the overview. For "
            "example: who to contact with questions."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["bm_pages.LibraryPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("audit portal")
        verbose_name_plural = _("audit portals")

    # Access -----------------------------------------------------------------------

    @property
    def library(self):
        from .library import LibraryPage

        return LibraryPage.objects.parent_of(self).select_related("network").first()

    def get_sitemap_urls(self, request=None):
        return []  # private

    def serve(self, request, *args, **kwargs):
        from bm_pages.permissions import may_view_audit_portal

        view = args[0] if args else kwargs.get("view")
        if getattr(view, "__name__", "") != "logout_route":
            library = self.library
            if not request.user.is_authenticated:
                from wagtail.wagtail_hooks import require_wagtail_login

                return require_wagtail_login(next=request.get_full_path())
            if not may_view_audit_portal(request.user, library):
                response = TemplateResponse(
                    request,
                    f"{PORTAL_TEMPLATES}no_access.html",
                    {"page": self, "library": library},
                    status=403,
                )
                patch_cache_control(response, private=True, no_store=True)
                return response
            request.bm_portal_library = library
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def _library(self, request):
        library = getattr(request, "bm_portal_library", None)
        return library if library is not None else self.library

    def _render(self, request, template: str, section: str, **context):
        from bm_pages.certification.portal import portal_counts

        library = self._library(request)
        context.update(
            {
                "library": library,
                "section": section,
                "portal": self,
                "counts": portal_counts(library),
            }
        )
        return self.render(
            request,
            template=f"{PORTAL_TEMPLATES}{template}",
            context_overrides=context,
        )

    # Routes -----------------------------------------------------------------------

    @path("", name="overview")
    def overview_route(self, request):
        from bm_pages.certification.assurance import library_assurance
        from bm_pages.certification.readiness import readiness_overview

        library = self._library(request)
        readiness = readiness_overview(library)
        assurance = library_assurance(library)
        return self._render(
            request,
            "overview.html",
            "overview",
            readiness=readiness,
            overdue_assurance=[
                e.project for e in assurance if e.project.review_overdue
            ],
            assurance_count=len(assurance),
        )

    @path("documenten/", name="documents")
    def documents_route(self, request):
        from bm_pages.certification.environment import document_environment

        from .taxonomy import PolicyTopic, WorkField

        filters = _taxonomy_filters(request, WorkField, PolicyTopic)
        environment = document_environment(self._library(request), **filters)
        return self._render(
            request,
            "documents.html",
            "documents",
            environment=environment,
            work_fields=WorkField.objects.all(),
            policy_topics=PolicyTopic.objects.all(),
            selected=filters,
        )

    @path("jaarplannen/", name="plans")
    def plans_route(self, request):
        from bm_pages.certification.portal import library_plans

        return self._render(
            request, "plans.html", "plans", plans=library_plans(self._library(request))
        )

    @path("projecten/<db_id:project_id>/", name="project")
    def project_route(self, request, project_id: int):
        from bm_pages.certification.portal import library_project
        from bm_pages.documents_access import user_can_view_document

        entry = library_project(self._library(request), project_id)
        if entry is None:
            raise Http404
        project = entry.page
        log = []
        for item in sorted(
            project.phase_log.select_related("evidence"),
            key=lambda e: (e.date, e.sort_order or 0),
        ):
            try:
                evidence = item.evidence
            except ObjectDoesNotExist:
                evidence = None
            log.append(
                {
                    "entry": item,
                    "evidence": evidence
                    if evidence is not None
                    and user_can_view_document(request.user, evidence)
                    else None,
                }
            )
        return self._render(
            request,
            "project.html",
            "plans",
            entry=entry,
            project=project,
            phase_log=log,
            indicators=list(project.indicators.all()),
            activities=list(project.activities.all()),
            checks=sorted(
                project.assurance_checks.all(),
                key=lambda c: (c.date, c.sort_order or 0),
                reverse=True,
            ),
            phase_steps=_phase_steps(project),
        )

    @path("borging/", name="assurance")
    def assurance_route(self, request):
        from bm_pages.certification.assurance import library_assurance

        return self._render(
            request,
            "assurance.html",
            "assurance",
            assurance=library_assurance(self._library(request)),
        )

    @path("gereedheid/", name="readiness")
    def readiness_route(self, request):
        from bm_pages.certification.readiness import readiness_overview

        return self._render(
            request,
            "readiness.html",
            "readiness",
            readiness=readiness_overview(self._library(request)),
        )

    @path("uitloggen/", name="logout")
    def logout_route(self, request):
        return _logout(request, self)


@require_POST
def _logout(request, portal):
    """Sign out and go to the site's home page (auditors cannot use the admin's)."""
    logout(request)
    return redirect("/")


def _taxonomy_filters(request, WorkField, PolicyTopic) -> dict:
    """The portal's document filters from the query string; unknown values are ignored."""
    filters: dict = {}
    for key, model in (("work_field", WorkField), ("policy_topic", PolicyTopic)):
        pk = parse_database_id(request.GET.get(key))
        if pk is not None:
            filters[key] = model.objects.filter(pk=pk).first()
        else:
            filters[key] = None
    filters["overdue_only"] = request.GET.get("overdue") == "1"
    return filters


def _phase_steps(project) -> list[dict]:
    phases = list(project.Phase.values)
    current = phases.index(project.phase) if project.phase in phases else 0
    return [
        {
            "value": value,
            "label": label,
            "current": index == current,
            "passed": index < current,
        }
        for index, (value, label) in enumerate(project.Phase.choices)
    ]
