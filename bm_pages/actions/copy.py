"""Copy an annual plan, or one project, to the library's plan for the next year.

The copy is a draft. It keeps what the project is (title, summary, SMART fields,
indicators, activities, taxonomy, provenance) and starts the new year afresh:
indicator results are cleared (last year's result becomes the new baseline), the PDCA
phase goes back to plan, the PDCA log, the evaluation and completed assurance checks
stay with the original, activities are planned again, and dates move one year on
(but for the next assurance review, which the copy carries on from the same date).
``copied_from`` points at the original.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.actions.base import BaseAction
from wagtail.actions.copy_page import CopyPageAction
from wagtail.coreutils import find_available_slug
from wagtail.models import Page

from bm_pages.models import (
    AnnualPlanPage,
    FocusArea,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from bm_pages.models import LibraryPage

# Child relations of a project that belong to the year they happened in.
EXCLUDED_PROJECT_RELATIONS = ["phase_log", "assurance_checks"]


class CopyToNextYearError(Exception):
    """The copy cannot be made, for a reason the editor can act on (see the message)."""


class CopyProjectToNextYearPermissionError(PermissionDenied):
    """The user may not add a project to the next year's plan."""


class CopyAnnualPlanToNextYearPermissionError(PermissionDenied):
    """The user may not add an annual plan to this library."""


def add_years(value: datetime.date | None, years: int = 1) -> datetime.date | None:
    """Move a date ``years`` on; 29 February becomes 28 February in a common year."""
    if value is None:
        return None
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return value.replace(year=value.year + years, day=28)


def next_year_title(title: str, year: int) -> str:
    """Replace the plan's year in its title by the next one, or append the new year."""
    if str(year) in title:
        return title.replace(str(year), str(year + 1))
    return f"{title} {year + 1}"


def _reset_child(original, copy, child_relation, child_object) -> None:
    """``CopyPageAction`` hook: start a copied indicator or activity afresh."""
    if isinstance(child_object, ProjectIndicator):
        if child_object.result is not None:
            child_object.baseline = child_object.result
        child_object.result = None
    elif isinstance(child_object, ProjectActivity):
        child_object.status = ProjectActivity.Status.PLANNED
        child_object.when = add_years(child_object.when)


def latest_content(page: Page) -> Page:
    """The page as its editors last saved it (the latest draft), still bound to its row."""
    specific = page.specific
    if specific.has_unpublished_changes and specific.latest_revision_id:
        latest = specific.get_latest_revision_as_object()
        latest._state.adding = False
        return latest
    return specific


class CopyProjectToNextYearAction(BaseAction):
    """Copy one project, as a draft, into its library's plan for the next year.

    When that plan does not exist yet it is created as a draft with the same focus
    areas. The copy's focus area is the one with the same title in the target plan.

    :param project: the ``ProjectPage`` to copy.
    :param user: the acting user; ``None`` skips the permission check (code, commands).
    :param target_plan: copy into this plan instead of the next year's plan.
    :raises CopyProjectToNextYearPermissionError: the user may not add the copy.
    :raises CopyToNextYearError: the project is not in a plan, or was already copied
        into the target plan.
    """

    action_name = "copy_to_next_year"
    permission_error_class = CopyProjectToNextYearPermissionError

    def __init__(
        self,
        project: ProjectPage,
        user: AbstractBaseUser | None = None,
        *,
        target_plan: AnnualPlanPage | None = None,
    ) -> None:
        super().__init__(project, user=user)
        self.project = project
        self.target_plan = target_plan

    def _source_plan(self) -> AnnualPlanPage:
        plan = AnnualPlanPage.objects.filter(pk=self.project.plan_id).first()
        if plan is None:
            raise CopyToNextYearError(_("This project is not part of an annual plan."))
        return plan

    def _existing_target(self) -> tuple[AnnualPlanPage | None, LibraryPage]:
        plan = self._source_plan()
        library = plan.get_parent().specific
        if self.target_plan is not None:
            return self.target_plan, library
        target = AnnualPlanPage.objects.child_of(library).filter(year=plan.year + 1)
        return target.first(), library

    def check(self, skip_permission_checks: bool = False) -> None:
        target, library = self._existing_target()
        if target is not None and (
            ProjectPage.objects.child_of(target)
            .filter(copied_from_id=self.project.pk)
            .exists()
        ):
            raise CopyToNextYearError(
                _("This project has already been copied to %(plan)s.")
                % {"plan": target.title}
            )
        if self.user is None or skip_permission_checks:
            return
        parent = target if target is not None else library
        if not parent.permissions_for_user(self.user).can_add_subpage():
            raise self.permission_error_class(
                _("You may not add projects to %(plan)s.") % {"plan": parent.title}
            )

    def execute(self, skip_permission_checks: bool = False) -> ProjectPage:
        with transaction.atomic():
            _lock_library(self._source_plan().get_parent())
            self.check(skip_permission_checks=skip_permission_checks)
            target, library = self._existing_target()
            if target is None:
                target = _create_next_year_plan(self._source_plan(), self.user)
            return copy_project_into(self.project, target, self.user)


class CopyAnnualPlanToNextYearAction(BaseAction):
    """Copy an annual plan with all its projects (live and draft) to the next year.

    The new plan and every project in it are drafts; see the module docstring for
    what each project copy keeps and resets.

    :param plan: the ``AnnualPlanPage`` to copy.
    :param user: the acting user; ``None`` skips the permission check.
    :param introduction: the new plan's introduction (rich text HTML); ``None``
        keeps the one of ``plan``.
    :raises CopyAnnualPlanToNextYearPermissionError: the user may not add a plan here.
    :raises CopyToNextYearError: the library already has a plan for the next year.
    """

    action_name = "copy_plan_to_next_year"
    permission_error_class = CopyAnnualPlanToNextYearPermissionError

    def __init__(
        self,
        plan: AnnualPlanPage,
        user: AbstractBaseUser | None = None,
        *,
        introduction: str | None = None,
    ):
        super().__init__(plan, user=user)
        self.plan = plan
        self.introduction = introduction

    def check(self, skip_permission_checks: bool = False) -> None:
        library = self.plan.get_parent()
        next_year = self.plan.year + 1
        if AnnualPlanPage.objects.child_of(library).filter(year=next_year).exists():
            raise CopyToNextYearError(
                _(
                    "%(library)s already has an annual plan for %(year)s. Copy single "
                    "projects into it instead."
                )
                % {"library": library.title, "year": next_year}
            )
        if self.user is None or skip_permission_checks:
            return
        if not library.permissions_for_user(self.user).can_add_subpage():
            raise self.permission_error_class(
                _("You may not add annual plans to %(library)s.")
                % {"library": library.title}
            )

    def execute(self, skip_permission_checks: bool = False) -> AnnualPlanPage:
        with transaction.atomic():
            _lock_library(self.plan.get_parent())
            self.check(skip_permission_checks=skip_permission_checks)
            new_plan = _create_next_year_plan(
                self.plan, self.user, introduction=self.introduction
            )
            for project in ProjectPage.objects.child_of(self.plan).order_by("path"):
                copy_project_into(project, new_plan, self.user)
            return new_plan


def _lock_library(library: Page) -> None:
    """Copies to next year in one library run one at a time (a double click, two
    editors): the next one waits here, then its check finds what this one made."""
    list(
        Page.objects.select_for_update()
        .filter(pk=library.pk)
        .values_list("pk", flat=True)
    )


def _create_next_year_plan(
    plan: AnnualPlanPage, user, introduction: str | None = None
) -> AnnualPlanPage:
    """A draft copy of ``plan`` (introduction, focus areas) for the next year, with
    ``introduction`` instead of the old one when given."""
    source = latest_content(plan)
    library = plan.get_parent()
    next_year = plan.year + 1
    new_introduction = {} if introduction is None else {"introduction": introduction}
    new_plan = CopyPageAction(
        source,
        to=library,
        update_attrs={
            **new_introduction,
            "year": next_year,
            "title": next_year_title(source.title, plan.year),
            "draft_title": next_year_title(source.title, plan.year),
            "slug": find_available_slug(library, f"{plan.slug}-{next_year}")
            if str(plan.year) not in plan.slug
            else find_available_slug(
                library, plan.slug.replace(str(plan.year), str(next_year))
            ),
        },
        recursive=False,
        copy_revisions=False,
        keep_live=False,
        user=user,
    ).execute(skip_permission_checks=True)
    return new_plan.specific


def copy_project_into(
    project: ProjectPage, target: AnnualPlanPage, user
) -> ProjectPage:
    """Copy ``project`` as a draft into ``target``; see the module docstring.

    Callers check permissions; this only copies.
    """
    source = latest_content(project)
    area_title = None
    if source.focus_area_id:
        area_title = (
            FocusArea.objects.filter(pk=source.focus_area_id)
            .values_list("title", flat=True)
            .first()
        )
    target_area = (
        FocusArea.objects.filter(page=target, title=area_title).first()
        if area_title
        else None
    )
    copy = CopyPageAction(
        source,
        to=target,
        update_attrs={
            "slug": find_available_slug(target, source.slug),
            "phase": ProjectPage.Phase.PLAN,
            "evaluation": "",
            "start_date": add_years(source.start_date),
            "end_date": add_years(source.end_date),
            # The assurance cycle goes on from the same date: the copy carries it
            # (the original stops reminding, see certification.assurance).
            "next_review_date": source.next_review_date,
            "focus_area_id": target_area.pk if target_area else None,
            "copied_from_id": project.pk,
        },
        exclude_fields=EXCLUDED_PROJECT_RELATIONS,
        recursive=False,
        copy_revisions=False,
        keep_live=False,
        user=user,
        process_child_object=_reset_child,
    ).execute(skip_permission_checks=True)
    return copy.specific
