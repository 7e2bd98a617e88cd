"""Turn a library's "SMART-controle" workflow step on or off, with its minimum.

The step (``SmartCheckTask``) sits first in the library's moderation workflow, in
front of the approvers' review, so a project reaches the approvers only when it is
SMART enough. Off by default: set-up creates no such step. Turning it off unlinks
and deactivates the task; turning it on again reuses it (its history stays).
Approvers of the library (and superusers) decide, as they decide on its team.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from bm_pages.models import LibraryPage, SmartCheckTask
from bm_pages.permissions import approves_for
from bm_pages.smart.rules import MAX_SCORE

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# A workflow step's name is data shown to everyone, in the site's language.
SMART_TASK_SUFFIX = " – SMART-controle"


class SetSmartCheckPermissionError(PermissionDenied):
    """Only the library's approvers (and superusers) change its SMART check."""


@dataclass(frozen=True)
class SmartCheckSetting:
    """Whether the library requires the SMART check, and from which score."""

    required: bool
    min_score: int


def library_workflow(library: LibraryPage) -> Workflow | None:
    link = WorkflowPage.objects.filter(page=library).select_related("workflow").first()
    return link.workflow if link is not None else None


def smart_check_setting(library: LibraryPage) -> SmartCheckSetting:
    """The library's current setting (off, minimum 5, when never set)."""
    task = SmartCheckTask.objects.filter(library=library).first()
    workflow = library_workflow(library)
    required = bool(
        task is not None
        and task.active
        and workflow is not None
        and WorkflowTask.objects.filter(workflow=workflow, task=task).exists()
    )
    return SmartCheckSetting(
        required=required, min_score=task.min_score if task else MAX_SCORE
    )


class SetSmartCheckAction:
    """Require (or stop requiring) the SMART check for ``library``'s projects.

    :param library: a set-up library (it has a moderation workflow).
    :param user: who does it: an approver of the library or a superuser.
    :param required: put the step in the workflow (True) or take it out.
    :param min_score: letters a project must meet, 1-5.
    """

    def __init__(
        self,
        library: LibraryPage,
        *,
        user: AbstractBaseUser | None,
        required: bool,
        min_score: int = MAX_SCORE,
    ) -> None:
        self.library = library
        self.user = user
        self.required = required
        self.min_score = min_score

    def check(self, skip_permission_checks: bool = False) -> None:
        """:raises SetSmartCheckPermissionError: not an approver of the library.
        :raises ValidationError: a minimum outside 1-5, or a library not set up.
        """
        if not skip_permission_checks and not approves_for(self.user, self.library):
            raise SetSmartCheckPermissionError(
                "Only the library's approvers may change its SMART check."
            )
        if not 1 <= self.min_score <= MAX_SCORE:
            raise ValidationError(
                _("The minimum score is a whole number from 1 to %(max)s.")
                % {"max": MAX_SCORE},
                code="min_score",
            )
        if library_workflow(self.library) is None:
            raise ValidationError(
                _("Set up the library first: it has no review workflow yet."),
                code="not_set_up",
            )

    def execute(self, skip_permission_checks: bool = False) -> SmartCheckSetting:
        """Apply the setting in one transaction; see ``check()`` for what it raises."""
        self.check(skip_permission_checks=skip_permission_checks)
        with transaction.atomic():
            workflow = Workflow.objects.select_for_update().get(
                pk=library_workflow(self.library).pk
            )
            task = (
                SmartCheckTask.objects.select_for_update()
                .filter(library=self.library)
                .first()
            )
            if task is None:
                task = SmartCheckTask(
                    library=self.library,
                    name=f"{self.library.title}{SMART_TASK_SUFFIX}",
                )
            task.min_score = self.min_score
            task.active = self.required
            task.save()
            links = WorkflowTask.objects.filter(workflow=workflow)
            if self.required and not links.filter(task=task).exists():
                # First, in front of the approvers: shift the other steps down.
                for link in links.order_by("-sort_order"):
                    link.sort_order = (link.sort_order or 0) + 1
                    link.save(update_fields=["sort_order"])
                WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            elif not self.required:
                links.filter(task=task).delete()
        return smart_check_setting(self.library)
