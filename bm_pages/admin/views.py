"""What the admin pages of bm_pages share: the project page header, the refusal page."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from bm_pages.models import ProjectPage


class ProjectAdminViewMixin:
    """An admin page about one project, ``self.project`` (set in ``dispatch``): the
    project's title as subtitle and breadcrumbs back to its editor. Mix in before
    Wagtail's ``WagtailAdminTemplateMixin``."""

    project: ProjectPage

    def get_page_subtitle(self):
        return self.project.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.project.pk]),
                "label": self.project.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]


def forbidden(request, message: str) -> TemplateResponse:
    """A 403 page inside the admin (Wagtail's own refusal redirects to the dashboard)."""
    return TemplateResponse(
        request,
        "bm_pages/admin/roles/forbidden.html",
        {"page_title": _("No access"), "header_icon": "warning", "message": message},
        status=403,
    )
