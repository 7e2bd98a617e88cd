"""Admin views: the confirmation page of "Copy to next year", and what every admin
page about one project shares."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from bm_pages.actions import (
    CopyAnnualPlanToNextYearAction,
    CopyProjectToNextYearAction,
    CopyToNextYearError,
)
from bm_pages.models import AnnualPlanPage, ProjectPage


def _action_for(page, user):
    if isinstance(page, AnnualPlanPage):
        return CopyAnnualPlanToNextYearAction(page, user=user)
    if isinstance(page, ProjectPage):
        return CopyProjectToNextYearAction(page, user=user)
    return None


def copy_to_next_year(request, page_id: int):
    """GET asks for confirmation, POST copies the plan or project and opens the copy."""
    page = get_object_or_404(Page, id=page_id).specific
    action = _action_for(page, request.user)
    if action is None or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    back_url = get_valid_next_url_from_request(request) or reverse(
        "wagtailadmin_explore", args=[page.get_parent().id]
    )
    try:
        action.check()
    except CopyToNextYearError as error:
        messages.error(request, str(error))
        return redirect(back_url)

    if request.method == "POST":
        try:
            copy = action.execute()
        except CopyToNextYearError as error:
            messages.error(request, str(error))
            return redirect(back_url)
        messages.success(
            request,
            _("“%(title)s” was copied to next year as a draft.")
            % {"title": page.title},
            buttons=[
                messages.button(
                    reverse("wagtailadmin_pages:edit", args=[copy.id]), _("Edit")
                )
            ],
        )
        return redirect("wagtailadmin_pages:edit", copy.id)

    if isinstance(page, AnnualPlanPage):
        project_count = ProjectPage.objects.child_of(page).count()
        explanation = _(
            "This makes a draft annual plan for %(year)s with the same introduction and "
            "focus areas, and a draft copy of each of its %(count)s projects."
        ) % {"year": page.year + 1, "count": project_count}
    else:
        explanation = _(
            "This puts a draft copy of this project in next year's annual plan "
            "(which is created if it does not exist yet)."
        )
    return TemplateResponse(
        request,
        "bm_pages/admin/copy_to_next_year.html",
        {
            "page": page,
            "page_title": _("Copy to next year"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "copy",
            "explanation": explanation,
            "back_url": back_url,
            "resets": [
                _(
                    "Indicator results are cleared; last year's result becomes the baseline."
                ),
                _(
                    "The PDCA phase goes back to Plan; the PDCA log and evaluation stay "
                    "with the original."
                ),
                _("Activities are planned again and all dates move one year on."),
                _("The copy remembers which project it was copied from."),
            ],
        },
    )


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
