"""The audit portal: a library's read-only certification view for its auditors."""

from types import ModuleType
from typing import ClassVar

from django.apps import apps
from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page


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

    #: The portal's views (``bm_pages.certification.portal_views``), handed over by
    #: ``BmPagesConfig.ready()``: the read models they use import this model, so the
    #: model does not import them.
    views: ClassVar[ModuleType]

    # Access -----------------------------------------------------------------------

    @property
    def library(self):
        library_model = apps.get_model("bm_pages", "LibraryPage")
        return library_model.objects.parent_of(self).select_related("network").first()

    def get_sitemap_urls(self, request=None):
        return []  # private

    def serve(self, request, *args, **kwargs):
        view = args[0] if args else kwargs.get("view")
        if getattr(view, "__name__", "") != "logout_route":
            refusal = self.views.refusal(self, request)
            if refusal is not None:
                return refusal
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    # Routes: the views live in ``bm_pages.certification.portal_views`` -----------

    @path("", name="overview")
    def overview_route(self, request):
        return self.views.overview(self, request)

    @path("documenten/", name="documents")
    def documents_route(self, request):
        return self.views.documents(self, request)

    @path("jaarplannen/", name="plans")
    def plans_route(self, request):
        return self.views.plans(self, request)

    @path("projecten/<db_id:project_id>/", name="project")
    def project_route(self, request, project_id: int):
        return self.views.project(self, request, project_id)

    @path("borging/", name="assurance")
    def assurance_route(self, request):
        return self.views.assurance(self, request)

    @path("gereedheid/", name="readiness")
    def readiness_route(self, request):
        return self.views.readiness(self, request)

    @path("uitloggen/", name="logout")
    def logout_route(self, request):
        return self.views.sign_out(request)
