""" "Complete cycle" (Cyclus afronden) on assurance projects: a form calling
``CompleteAssuranceCycleAction``, its buttons (page header, listing, and the top of
the editor's "Assurance" tab) and its log entry.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.panels import Panel
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from bm_pages.actions.assurance import (
    LOG_ACTION,
    CompleteAssuranceCycleAction,
    CompleteAssuranceCyclePermissionError,
)
from bm_pages.admin.views import ProjectAdminViewMixin, forbidden
from bm_pages.models import (
    ProjectPage,
)

TEMPLATES = "bm_pages/admin/certification/"


class AssuranceCycleForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date of the check"),
        widget=AdminDateInput,
        help_text=gettext_lazy("When the check was carried out. Not in the future."),
    )
    findings = forms.CharField(
        label=gettext_lazy("Findings"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the check found: is the agreement kept?"),
    )
    actions = forms.CharField(
        label=gettext_lazy("Actions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What will be improved as a result, if anything."),
    )
    completed_by = forms.CharField(
        label=gettext_lazy("Completed by"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Name or role of who carried out the check."),
    )


class CompleteAssuranceCycleView(
    ProjectAdminViewMixin, WagtailAdminTemplateMixin, FormView
):
    """The "Complete cycle" form of an assurance project, with its cycle history."""

    form_class = AssuranceCycleForm
    template_name = f"{TEMPLATES}complete_cycle.html"
    header_icon = "tasks"

    def dispatch(self, request, page_id: int, *args, **kwargs):
        page = get_object_or_404(Page, pk=page_id)
        if page.specific_class is not ProjectPage:
            return forbidden(request, _("Only assurance projects have cycles."))
        self.project = page.specific
        if not CompleteAssuranceCycleAction.user_may_complete(
            request.user, self.project
        ):
            return forbidden(
                request,
                _("Only the library's editors and approvers can complete a cycle."),
            )
        if not self.project.is_assurance:
            return forbidden(request, _("Only assurance projects have cycles."))
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Complete cycle")

    def get_initial(self):
        user = self.request.user
        return {
            "date": timezone.localdate(),
            "completed_by": (user.get_full_name() or user.get_username()).strip(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "project": self.project,
                "checks": self.project.assurance_checks.order_by(
                    "-date", "-sort_order"
                ),
                "edit_url": reverse("wagtailadmin_pages:edit", args=[self.project.pk]),
            }
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        action = CompleteAssuranceCycleAction(
            self.project,
            date=data["date"],
            findings=data["findings"],
            actions=data["actions"],
            completed_by=data["completed_by"],
            user=self.request.user,
        )
        try:
            result = action.execute()
        except CompleteAssuranceCyclePermissionError:
            return forbidden(
                self.request,
                _("Only the library's editors and approvers can complete a cycle."),
            )
        except ValidationError as error:
            for field_name, errors in error.message_dict.items():
                target = field_name if field_name in form.fields else None
                for message in errors:
                    form.add_error(target, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Cycle completed; next review on %(date)s.")
            % {"date": date_format(result.next_due, "j F Y")},
        )
        next_url = self.request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, self.request.get_host(), self.request.is_secure()
        ):
            return redirect(next_url)
        return redirect("bm_certification:complete_cycle", self.project.pk)

    def form_invalid(self, form):
        messages.validation_error(
            self.request, _("The cycle could not be completed due to errors."), form
        )
        return super().form_invalid(form)


def _complete_cycle_button(page, user, priority: int = 30) -> Button | None:
    if page.specific_class is not ProjectPage:
        return None
    project = page.specific_deferred
    if project.kind != ProjectPage.Kind.ASSURANCE:
        return None
    if not CompleteAssuranceCycleAction.user_may_complete(user, project):
        return None
    return Button(
        _("Complete cycle"),
        url=reverse("bm_certification:complete_cycle", args=[page.pk]),
        icon_name="tasks",
        priority=priority,
        attrs={"data-bm-action": "complete-cycle"},
    )


def complete_cycle_header_button(page, user, view_name=None, next_url=None):
    button = _complete_cycle_button(page, user)
    if button is not None:
        yield button


def complete_cycle_listing_button(page, user, next_url=None):
    button = _complete_cycle_button(page, user)
    if button is not None:
        yield button


class CompleteCyclePanel(Panel):
    """At the top of the "Assurance" tab: the next review and "Complete cycle"."""

    class BoundPanel(Panel.BoundPanel):
        template_name = f"{TEMPLATES}complete_cycle_panel.html"

        def is_shown(self) -> bool:
            project = self.instance
            return (
                self.request is not None
                and isinstance(project, ProjectPage)
                and project.pk is not None
                and project.is_assurance
                and CompleteAssuranceCycleAction.user_may_complete(
                    self.request.user, project
                )
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["project"] = self.instance
            context["complete_url"] = reverse(
                "bm_certification:complete_cycle", args=[self.instance.pk]
            )
            return context


def complete_cycle_panels() -> list[Panel]:
    """The "Assurance" tab's panels (``PROJECT_ASSURANCE_PANELS``)."""
    return [CompleteCyclePanel(heading=gettext_lazy("Cycle"))]


class AssuranceCycleLogFormatter(LogFormatter):
    label = gettext_lazy("Complete assurance cycle")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        try:
            return _(
                "Assurance cycle completed (check of %(check)s); next review on %(next)s."
            ) % {"check": data["check_date"], "next": data["next_due"]}
        except KeyError:
            return _("Assurance cycle completed.")


def register_assurance_log_action(actions):
    actions.register_action(LOG_ACTION)(AssuranceCycleLogFormatter)
