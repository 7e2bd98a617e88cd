""" "Copy to next year" in the admin: the confirmation page (for a plan, with its new
introduction), its buttons, and the guard that keeps one plan per library and year
when pages are moved."""

import re
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page

from bm_pages.actions import (
    CopyAnnualPlanToNextYearAction,
    CopyProjectToNextYearAction,
    CopyToNextYearError,
)
from bm_pages.actions.copy import latest_content
from bm_pages.formatting import figure
from bm_pages.models import AnnualPlanPage, ProjectIndicator, ProjectPage
from bm_pages.reports.data import rich_text_paragraphs


def _action_for(page, user, form=None):
    if isinstance(page, AnnualPlanPage):
        introduction = form.cleaned_data["introduction"] if form is not None else None
        return CopyAnnualPlanToNextYearAction(
            page, user=user, introduction=introduction
        )
    if isinstance(page, ProjectPage):
        return CopyProjectToNextYearAction(page, user=user)
    return None


class NewIntroductionForm(forms.Form):
    """A plan's copy asks for next year's introduction, prefilled with this year's."""

    def __init__(self, *args, plan: AnnualPlanPage, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan's own rich text field: same editor, features and checks.
        field = AnnualPlanPage._meta.get_field("introduction").formfield()
        field.label = _("Introduction for %(year)s") % {"year": plan.year + 1}
        field.help_text = _(
            "The ambition for the new year, as councils will read it. It starts as "
            "this year's introduction: rewrite what no longer holds."
        )
        field.initial = latest_content(plan).introduction
        self.fields["introduction"] = field

    def clean_introduction(self) -> str | None:
        # Not sent at all (a form without the field): keep the old introduction.
        if self.add_prefix("introduction") not in self.data:
            return None
        return self.cleaned_data["introduction"]


def mentions_of_year(html: str, year: int) -> list[str]:
    """The sentences of rich text ``html`` that name ``year``, each with the year
    marked (``<mark>``), escaped otherwise: what the copy's editor should rewrite."""
    sentences = [
        sentence
        for paragraph in rich_text_paragraphs(html)
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph)
    ]
    return [
        mark_safe(  # noqa: S308 - every part is escaped
            escape(sentence).replace(str(year), f"<mark>{year}</mark>")
        )
        for sentence in sentences
        if str(year) in sentence
    ]


def points_to_review(source, copy) -> list[str]:
    """What the copy of ``source`` asks its editor to look at: an introduction that
    still names last year, and indicators whose new baseline (last year's result)
    already equals their target."""
    points = []
    if isinstance(copy, AnnualPlanPage):
        projects = ProjectPage.objects.child_of(copy)
        if str(source.year) in strip_tags(copy.introduction or ""):
            points.append(
                _(
                    "The introduction still mentions %(year)s: write the ambition "
                    "for %(next)s."
                )
                % {"year": source.year, "next": copy.year}
            )
    else:
        projects = ProjectPage.objects.filter(pk=copy.pk)
    reached = (
        ProjectIndicator.objects.filter(page__in=projects, baseline=F("target"))
        .select_related("page")
        .order_by("page__title", "sort_order")
    )
    for indicator in reached:
        points.append(
            _(
                "“%(indicator)s” of “%(project)s” starts at its target "
                "(%(target)s): set a new target."
            )
            % {
                "indicator": indicator.name,
                "project": indicator.page.title,
                "target": figure(indicator.target),
            }
        )
    return points


def copy_to_next_year(request, page_id: int):
    """GET asks for confirmation (and a plan's new introduction), POST copies the plan
    or project and opens the copy."""
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

    is_plan = isinstance(page, AnnualPlanPage)
    form = None
    if is_plan:
        form = NewIntroductionForm(
            request.POST if request.method == "POST" else None, plan=page
        )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            copy = _action_for(page, request.user, form).execute()
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
        for point in points_to_review(page, copy.specific):
            messages.warning(request, point)
        return redirect("wagtailadmin_pages:edit", copy.id)

    if is_plan:
        project_count = ProjectPage.objects.child_of(page).count()
        explanation = _(
            "This makes a draft annual plan for %(year)s with the introduction below "
            "and the same focus areas, and a draft copy of each of its %(count)s "
            "projects."
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
            "page_title": gettext_lazy("Copy to next year"),
            "page_subtitle": page.get_admin_display_title(),
            "header_icon": "copy",
            "explanation": explanation,
            "back_url": back_url,
            "form": form,
            "source_year": page.year if is_plan else None,
            "year_mentions": mentions_of_year(
                latest_content(page).introduction, page.year
            )
            if is_plan
            else [],
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


def _copy_to_next_year_button(page, user, next_url=None, priority=35):
    if page.specific_class not in (AnnualPlanPage, ProjectPage):
        return None
    if not page.permissions_for_user(user).can_edit():
        return None
    url = reverse("bm_pages_admin:copy_to_next_year", args=[page.id])
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return Button(
        gettext_lazy("Copy to next year"),
        url=url,
        icon_name="copy",
        priority=priority,
        attrs={"data-bm-action": "copy-to-next-year"},
    )


def copy_to_next_year_header_button(page, user, view_name, next_url=None):
    button = _copy_to_next_year_button(page, user, next_url)
    if button is not None:
        yield button


def copy_to_next_year_listing_button(page, user, next_url=None):
    button = _copy_to_next_year_button(page, user, next_url)
    if button is not None:
        yield button


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
