"""Moderation people can follow: the submit button says what it does ("Ter
goedkeuring indienen"), not "Stuur door naar <workflow name>", and is the main
button for people who cannot publish themselves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.action_menu import SubmitForModerationMenuItem


class SubmitForApprovalMenuItem(SubmitForModerationMenuItem):
    label = _("Submit for approval")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        workflow_state = page.current_workflow_state if page else None
        needs_changes = (
            workflow_state is not None
            and workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES
        )
        context["label"] = (
            _("Resubmit for approval") if needs_changes else _("Submit for approval")
        )
        return context


def submit_for_approval_first(menu_items: list, request, context) -> None:
    """Name the submit item plainly; lead with it where there is no "Publish"; for a
    reviewer, lead with "Approve" (no need to open the menu to find it)."""
    for index, item in enumerate(menu_items):
        if type(item) is SubmitForModerationMenuItem:
            replacement = SubmitForApprovalMenuItem(order=item.order)
            menu_items[index] = replacement
    names = [item.name for item in menu_items]
    if "approve" in names:
        menu_items.insert(0, menu_items.pop(names.index("approve")))
    elif "action-publish" not in names and "action-submit" in names:
        menu_items.insert(0, menu_items.pop(names.index("action-submit")))
