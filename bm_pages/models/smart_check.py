"""The "SMART-controle": an automatic workflow step that checks a submitted project.

A library may put it in front of its review (``SetSmartCheckAction``); off by
default. It approves a project whose submitted revision meets the library's minimum
score and sends back one that does not, with what is missing as the comment, so the
approvers only see projects that are SMART enough. Other pages pass unchecked.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision, Task, TaskState

from bm_pages.smart.rules import MAX_SCORE, SmartResult, smart_check

from .smart_project import ProjectPage


def revision_smart(
    revision: Revision | None, page: ProjectPage | None = None
) -> SmartResult | None:
    """The SMART check of a project's revision; ``None`` for other pages.

    :param page: the revision's page when the caller has it (saves a query).
    """
    if revision is None:
        return None
    project = (
        page.with_content_json(revision.content)
        if page is not None
        else revision.as_object()
    )
    if not isinstance(project, ProjectPage):
        return None
    if project.pk and not project.plan_id:
        # A first revision saved before the project had its plan column.
        project.plan_id = (
            ProjectPage.objects.filter(pk=project.pk)
            .values_list("plan_id", flat=True)
            .first()
        )
    return smart_check(project)


class SmartCheckTask(Task):
    """A library's automatic SMART check, a step of its moderation workflow."""

    library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="smart_check_tasks",
        help_text=_("The library whose projects this step checks."),
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum SMART score"),
        default=MAX_SCORE,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SCORE)],
        help_text=_(
            "How many of the five letters (S, M, A, R, T) a project must meet to go "
            "on to the approvers."
        ),
    )

    admin_form_fields = [*Task.admin_form_fields, "min_score"]

    class Meta:
        verbose_name = _("SMART check task")
        verbose_name_plural = _("SMART check tasks")

    @classmethod
    def get_description(cls):
        return _(
            "Passes a project that meets the minimum SMART score and sends one that "
            "does not back to its editor, with what is missing."
        )

    def start(self, workflow_state, user=None) -> TaskState:
        """Check the submitted revision at once: approve, or reject with a comment.

        ``update=False``: the workflow state moves on itself when a task it starts
        is no longer in progress (Wagtail's auto-approve path).
        """
        task_state = super().start(workflow_state, user=user)
        result = revision_smart(task_state.revision)
        if result is None or result.score >= self.min_score:
            comment = "" if result is None else self.passed_comment(result)
            task_state.approve(user=None, update=False, comment=comment)
        else:
            task_state.reject(
                user=None, update=False, comment=self.rejected_comment(result)
            )
        return task_state

    def passed_comment(self, result: SmartResult) -> str:
        return gettext("SMART: %(score)s of %(max)s.") % {
            "score": result.score,
            "max": result.max_score,
        }

    def rejected_comment(self, result: SmartResult) -> str:
        """ "SMART: 3 of 5, at least 4 needed." and the missing points, one a line."""
        heading = gettext(
            "SMART: %(score)s of %(max)s, at least %(min)s needed. Missing:"
        ) % {"score": result.score, "max": result.max_score, "min": self.min_score}
        return f"{heading}\n{result.comment()}"
