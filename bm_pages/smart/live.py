"""The SMART check of what the editor has typed, before it is saved.

The editor's form is bound to the posted data and validated as Wagtail would on
save; every valid value lands on an in-memory copy of the page (Django's
``construct_instance``), many-to-many and inline rows included. Nothing is saved:
the copy only feeds :func:`bm_pages.smart.rules.smart_check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import QueryDict

from bm_pages.models import AnnualPlanPage, ProjectIndicator, ProjectPage
from bm_pages.smart.rules import SmartResult, smart_check

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

#: Many-to-many fields the rules read; set on the copy from the form.
M2M_FIELDS = ("core_functions", "policy_topics")


class SmartCheckPermissionError(PermissionDenied):
    """The user may not edit the project (or add one to the plan)."""


def editable_project(
    user: AbstractBaseUser, *, page_id: int | None, plan_id: int | None
) -> tuple[ProjectPage, AnnualPlanPage]:
    """The project being edited (latest revision) or a new one of the plan.

    :raises SmartCheckPermissionError: the user may not edit the project or add
        projects to the plan; also when neither exists.
    """
    if page_id is not None:
        page = ProjectPage.objects.filter(pk=page_id).first()
        if page is None or not page.permissions_for_user(user).can_edit():
            raise SmartCheckPermissionError("You may not edit this project.")
        plan = AnnualPlanPage.objects.get(pk=page.get_parent().pk)
        project = page.get_latest_revision_as_object()
    else:
        plan = AnnualPlanPage.objects.filter(pk=plan_id).first() if plan_id else None
        if plan is None or not plan.permissions_for_user(user).can_add_subpage():
            raise SmartCheckPermissionError("You may not add projects to this plan.")
        project = ProjectPage()
    project.plan = plan
    return project, plan


def project_from_form(
    data: QueryDict, project: ProjectPage, plan: AnnualPlanPage, user
) -> ProjectPage:
    """``project`` with the posted editor ``data`` applied, in memory only.

    A field that does not validate counts as empty: the check then says what is
    missing instead of judging a value the editor has already changed.
    """
    form_class = ProjectPage.get_edit_handler().get_form_class()
    form = form_class(data, instance=project, parent_page=plan, for_user=user)
    form.is_valid()
    project = form.instance
    for name in form.errors:
        try:
            field = ProjectPage._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form-wide error or a formset
        if field.concrete and not field.many_to_many:
            setattr(project, field.attname, None if field.null else "")
    for name in M2M_FIELDS:
        if name in form.fields:
            value = form.cleaned_data.get(name) or []
            ProjectPage._meta.get_field(name).save_form_data(project, list(value))
    formset = form.formsets.get("indicators")
    if formset is not None:
        project.indicators = _indicators(formset)
    return project


def _indicators(formset) -> list[ProjectIndicator]:
    rows = []
    for form in formset.forms:
        values = getattr(form, "cleaned_data", None) or {}
        if values.get("DELETE") or not (values or form.has_changed()):
            continue
        rows.append(
            ProjectIndicator(
                name=values.get("name") or "",
                unit=values.get("unit") or "",
                baseline=values.get("baseline"),
                target=values.get("target"),
                result=values.get("result"),
            )
        )
    return rows


def check_posted_form(
    user, data: QueryDict, *, page_id: int | None, plan_id: int | None
) -> SmartResult:
    """The SMART check of the editor's posted form.

    :raises SmartCheckPermissionError: see :func:`editable_project`.
    """
    project, plan = editable_project(user, page_id=page_id, plan_id=plan_id)
    return smart_check(project_from_form(data, project, plan, user))
