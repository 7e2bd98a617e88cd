"""Wagtail's page views for our page types, with two changes (Wagtail's per-model
``PageViewSet``, registered in ``admin/viewsets.py``):

- Our page actions beside the page title, where people look. Wagtail puts every
  ``register_page_header_buttons`` button in the header's "..." menu; on the editor
  of an annual plan ("New project", "Copy to next year", "Annual report" with Word
  and PDF) and of a library ("Team", "SMART check") our own actions, the buttons
  carrying a ``data-bm-action``, are real header buttons instead; buttons that share
  a ``data-bm-menu`` become one header button with a small menu. Wagtail's own (move,
  delete, history, ...) stay in "...". The hooks stay the one place that says who
  gets which button.
- Moderation decisions that say what they did (``bm_pages.admin.moderation``), on
  plans, libraries and projects alike.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.admin.widgets import Button, ButtonWithDropdown, HeaderButton

from bm_pages.admin.moderation import DecisionMessagesMixin, WorkflowDecisionView
from bm_pages.models import AnnualPlanPage, LibraryPage, ProjectPage
from bm_pages.smart.listing import ProjectPageViewSet as SmartProjectPageViewSet

#: The attribute that marks a button as one of Biblio Monitor's own page actions.
ACTION_ATTR = "data-bm-action"
#: Own actions with the same value of this attribute share one header button...
MENU_ATTR = "data-bm-menu"
#: ... labelled so.
HEADER_MENUS = {"annual-report": _("Annual report")}
#: Shown as an icon with its label as tooltip, like Wagtail's own "+" in a listing
#: header: the slim header has room for a few labelled buttons only.
ICON_ONLY = frozenset({"new-project"})


def is_own_action(button) -> bool:
    return ACTION_ATTR in getattr(button, "attrs", {})


def as_header_button(button: Button) -> HeaderButton:
    """The same button, drawn as a top-level header button."""
    return HeaderButton(
        label=button.label,
        url=button.url,
        icon_name=button.icon_name,
        attrs=button.attrs,
        priority=button.priority,
        icon_only=button.attrs.get(ACTION_ATTR) in ICON_ONLY,
    )


def header_buttons(buttons) -> list:
    """Our own actions among ``buttons`` as top-level header buttons, those of one
    ``HEADER_MENUS`` menu together in a header button with a dropdown."""
    result, menus = [], {}
    for button in buttons:
        if not is_own_action(button):
            continue
        menu = button.attrs.get(MENU_ATTR)
        if menu in HEADER_MENUS:
            menus.setdefault(menu, []).append(button)
        else:
            result.append(as_header_button(button))
    for menu, items in menus.items():
        result.append(
            ButtonWithDropdown(
                label=HEADER_MENUS[menu],
                buttons=items,
                classname="w-header-button button",
                priority=min(item.priority for item in items),
                attrs={MENU_ATTR: menu},
            )
        )
    return sorted(result)


class DecisionEditView(DecisionMessagesMixin, EditView):
    """The page editor; a decision in its footer says what it did."""


class ActionsInHeaderEditView(DecisionEditView):
    """The page editor with our own page actions beside the title, not in "..."."""

    def get_header_more_buttons(self):
        return [b for b in super().get_header_more_buttons() if not is_own_action(b)]

    def get_header_buttons(self):
        return [
            *header_buttons(self.header_more_buttons),
            *super().get_header_buttons(),
        ]


class ActionsInHeaderPageViewSet(PageViewSet):
    edit_view_class = ActionsInHeaderEditView
    workflow_action_view_class = WorkflowDecisionView
    # Only the editor changes: the explorer listing of the parent stays Wagtail's.
    parent_models = ()


class AnnualPlanPageViewSet(ActionsInHeaderPageViewSet):
    model = AnnualPlanPage


class LibraryPageViewSet(ActionsInHeaderPageViewSet):
    model = LibraryPage


class ProjectPageViewSet(SmartProjectPageViewSet):
    """Projects: the SMART listing of ``bm_pages.smart``, decisions that say what
    they did; the header stays Wagtail's."""

    edit_view_class = DecisionEditView
    workflow_action_view_class = WorkflowDecisionView


def new_project_header_button(page, user, view_name=None, next_url=None):
    """ "New project" on an annual plan, for whoever may add projects to it."""
    if page.specific_class is not AnnualPlanPage:
        return
    if not page.permissions_for_user(user).can_add_subpage():
        return
    yield Button(
        _("New project"),
        url=reverse(
            "wagtailadmin_pages:add",
            args=[ProjectPage._meta.app_label, ProjectPage._meta.model_name, page.pk],
        ),
        icon_name="plus",
        priority=5,
        attrs={ACTION_ATTR: "new-project"},
    )
