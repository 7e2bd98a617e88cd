"""One decision per workflow task: approvals (and rejections) of a task are serialised.

Wagtail's ``TaskState.approve`` and ``reject`` check the status of the task state as
it was loaded at the start of the request. Six approvers clicking "Approve" at once
all pass that check: the page is published once, but the history gets several
approvals and ``finished_by`` names whoever saved last, not who published.

Here the decision is taken on the row itself: before a task state is saved as
approved or rejected, its row is locked (``select_for_update``, inside the action's
transaction) and its status read again. If someone else decided in the meantime,
:class:`TaskAlreadyDecided` undoes the whole action, and
:class:`TaskAlreadyDecidedMiddleware` tells the late reviewer, politely, who decided
and when. This covers every way to decide: the workflow action buttons, "approve"
in the page editor, and code. On SQLite (no row locks) the ``IMMEDIATE``
transactions of ``cms.settings.base.tune_sqlite`` serialise the same way.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import pre_save
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page, TaskState

DECIDED = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)


class TaskAlreadyDecided(Exception):
    """Someone else approved or rejected this task state first.

    Deliberately not a ``PermissionDenied``: Wagtail's admin would turn that into
    "you do not have permission", which is not what happened.
    """

    def __init__(self, task_state: TaskState, status: str, user, finished_at) -> None:
        who = (user.get_full_name() or user.get_username()) if user else _("someone")
        when = (
            formats.date_format(timezone.localtime(finished_at), "DATETIME_FORMAT")
            if finished_at
            else ""
        )
        super().__init__(
            _(
                "This review step was already completed by %(user)s on %(time)s "
                "(%(status)s). Your decision was not recorded."
            )
            % {
                "user": who,
                "time": when,
                "status": dict(TaskState.STATUS_CHOICES).get(status, status),
            }
        )
        self.task_state = task_state


def refuse_a_second_decision(sender, instance, raw: bool = False, **kwargs) -> None:
    """``pre_save`` of a task state: lock its row; refuse if it is decided already."""
    if raw or not isinstance(instance, TaskState) or instance.pk is None:
        return
    if instance.status not in DECIDED:
        return
    rows = TaskState.objects.filter(pk=instance.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    current = rows.values_list("status", "finished_at", "finished_by_id").first()
    if current is None:
        return
    status, finished_at, finished_by_id = current
    if status == TaskState.STATUS_IN_PROGRESS:
        return
    if status == instance.status and finished_at == instance.finished_at:
        return  # the same decision saved again, not a new one
    user = get_user_model().objects.filter(pk=finished_by_id).first()
    raise TaskAlreadyDecided(instance, status, user, finished_at)


def register_task_decision_guard() -> None:
    # Wagtail keeps every task's state in TaskState (no subclasses in this site).
    pre_save.connect(
        refuse_a_second_decision,
        sender=TaskState,
        dispatch_uid="bm_pages_task_decision",
    )


class TaskAlreadyDecidedMiddleware:
    """Answer a late decision with a message and the page, not an error."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TaskAlreadyDecided):
            return None
        messages.warning(request, str(exception))
        content = exception.task_state.workflow_state.content_object
        url = (
            reverse("wagtailadmin_pages:edit", args=[content.pk])
            if isinstance(content, Page)
            else reverse("wagtailadmin_home")
        )
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # What Wagtail's workflow modal expects after an action.
            return JsonResponse({"step": "success", "redirect": url})
        return redirect(url)
