"""Moderation people can follow.

- The submit button says what it does ("Ter goedkeuring indienen"), not "Stuur door
  naar <workflow name>", and is the main button for people who cannot publish.
- A reviewer finds "Approve" and "Request changes" side by side in the footer,
  without opening the "More actions" menu.
- After a decision the reviewer is told what happened ("Goedgekeurd en
  gepubliceerd", "Teruggestuurd met opmerking"), whether they decided in the editor
  or through Wagtail's workflow action view (the dashboard, the listings); the
  editor's "submitted" message is Wagtail's, in our words (``wagtail_strings``).
  The decision views are Wagtail's page views, subclassed (``DecisionMessagesMixin``,
  ``WorkflowDecisionView``) and used by our page viewsets (``page_header``).
"""

from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.action_menu import (
    ActionMenuItem,
    SubmitForModerationMenuItem,
    WorkflowMenuItem,
)
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import Page, TaskState, WorkflowState


class SubmitForApprovalMenuItem(SubmitForModerationMenuItem):
    label = gettext_lazy("Submit for approval")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_state = page.current_workflow_state if page else None
        needs_changes = (
            workflow_state is not None
            and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES
        )
        context["label"] = (
            gettext_lazy("Resubmit for approval")
            if needs_changes
            else gettext_lazy("Submit for approval")
        )
        return context


class RequestChangesButton(WorkflowMenuItem):
    """ "Request changes" drawn as a secondary button beside "Approve"."""

    template_name = "bm_pages/admin/moderation/request_changes_button.html"


class ReviewDecisionMenuItem(ActionMenuItem):
    """The footer's main place for a reviewer: "Approve" with "Request changes"
    beside it (both Wagtail's own workflow buttons, so its script handles them)."""

    def __init__(self, approve: WorkflowMenuItem, reject: WorkflowMenuItem) -> None:
        super().__init__(order=approve.order)
        self.name = approve.name
        self.items = (
            approve,
            RequestChangesButton(
                reject.name,
                reject.label,
                reject.launch_modal,
                icon_name=reject.icon_name,
                order=reject.order,
            ),
        )

    def is_shown(self, context) -> bool:
        return all(item.is_shown(context) for item in self.items)

    def render_html(self, parent_context=None):
        return format_html_join(
            "", "{}", ((item.render_html(parent_context),) for item in self.items)
        )

    @property
    def media(self):
        return self.items[0].media + self.items[1].media


def submit_for_approval_first(menu_items: list, request, context) -> None:
    """Name the submit item plainly; lead with it where there is no "Publish"; for a
    reviewer, lead with "Approve" and "Request changes" side by side."""
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            replacement = SubmitForApprovalMenuItem(order=item.order)
            menu_items[index] = replacement
    names = [item.name for item in menu_items]
    if "approve" in names:
        approve = menu_items.pop(names.index("approve"))
        names = [item.name for item in menu_items]
        if "reject" in names:
            reject = menu_items.pop(names.index("reject"))
            approve = ReviewDecisionMenuItem(approve, reject)
        menu_items.insert(0, approve)
    elif "action-publish" not in names and "action-submit" in names:
        menu_items.insert(0, menu_items.pop(names.index("action-submit")))


# What a decision did ------------------------------------------------------------------


def decision_message(task_state: TaskState) -> str | None:
    """What the reviewer's decision on ``task_state`` did, in a sentence; ``None``
    while the task is still undecided (an invalid form, someone else decided)."""
    task_state = TaskState.objects.select_related("workflow_state").get(
        pk=task_state.pk
    )
    page = Page.objects.filter(pk=task_state.workflow_state.object_id).first()
    title = page.get_admin_display_title() if page is not None else ""
    if task_state.status == TaskState.STATUS_APPROVED:
        workflow_state = task_state.workflow_state
        if workflow_state.status == WorkflowState.STATUS_APPROVED:
            return _("Approved and published: “%(title)s”.") % {"title": title}
        next_task = workflow_state.current_task_state
        return _("Approved: “%(title)s”. Next step: %(task)s.") % {
            "title": title,
            "task": next_task.task.name if next_task else "",
        }
    if task_state.status == TaskState.STATUS_REJECTED:
        if task_state.comment:
            return _("Sent back with a comment: “%(title)s”.") % {"title": title}
        return _("Sent back: “%(title)s”.") % {"title": title}
    return None


class DecisionMessagesMixin:
    """For the page editor: after "Approve" or "Request changes" in its footer, say
    what happened instead of Wagtail's "Page has been updated"."""

    def perform_workflow_action(self):
        self.decided_task_state = self.page.current_workflow_task_state
        return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        task_state = getattr(self, "decided_task_state", None)
        message = decision_message(task_state) if task_state is not None else None
        if message is None:
            super().add_save_confirmation_message()
        else:
            messages.success(self.request, message)


class WorkflowDecisionView(WorkflowActionView):
    """Wagtail's workflow action view (the dashboard's and listings' "Approve" and
    "Request changes"), telling the reviewer what the decision did."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        message = decision_message(self.task_state)
        if message is not None:
            messages.success(request, message)
        return response
