"""The library's "SMART-controle" setting: require the check, and from which score."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from bm_pages.actions.smart_check import SetSmartCheckAction, smart_check_setting
from bm_pages.models import LibraryPage
from bm_pages.permissions import approves_for
from bm_pages.smart.rules import MAX_SCORE, SMART_RULES


class SmartCheckSettingForm(forms.Form):
    required = forms.BooleanField(
        label=gettext_lazy("Require the SMART check"),
        required=False,
        help_text=gettext_lazy(
            "Projects submitted for review are checked first; one below the minimum "
            "goes back to its editor with what is missing."
        ),
    )
    min_score = forms.TypedChoiceField(
        label=gettext_lazy("Minimum SMART score"),
        choices=[(n, str(n)) for n in range(1, MAX_SCORE + 1)],
        coerce=int,
        initial=MAX_SCORE,
        help_text=gettext_lazy("How many of the letters S, M, A, R, T must be met."),
    )


class SmartCheckSettingView(WagtailAdminTemplateMixin, FormView):
    """Approvers turn their library's SMART check on or off."""

    form_class = SmartCheckSettingForm
    template_name = "bm_pages/smart/setting.html"
    header_icon = "tasks"

    def dispatch(self, request, library_id: int, *args, **kwargs):
        self.library = get_object_or_404(LibraryPage, pk=library_id)
        if not approves_for(request.user, self.library):
            return TemplateResponse(
                request,
                "bm_pages/admin/roles/forbidden.html",
                {
                    "page_title": _("No access"),
                    "header_icon": "warning",
                    "message": _(
                        "Only the library's approvers may change its SMART check."
                    ),
                },
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("SMART check")

    def get_page_subtitle(self):
        return self.library.title

    def get_initial(self):
        setting = smart_check_setting(self.library)
        return {"required": setting.required, "min_score": setting.min_score}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["library"] = self.library
        context["rules"] = SMART_RULES
        return context

    def form_valid(self, form):
        action = SetSmartCheckAction(
            self.library,
            user=self.request.user,
            required=form.cleaned_data["required"],
            min_score=form.cleaned_data["min_score"],
        )
        try:
            setting = action.execute()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if setting.required:
            messages.success(
                self.request,
                _("Projects of %(library)s now need a SMART score of %(min)s.")
                % {"library": self.library.title, "min": setting.min_score},
            )
        else:
            messages.success(
                self.request,
                _("%(library)s no longer requires the SMART check.")
                % {"library": self.library.title},
            )
        return redirect("bm_pages_smart:setting", self.library.pk)


def smart_setting_header_button(page, user, view_name=None, next_url=None):
    """ "SMART check" in a library page's header, for its approvers."""
    if page.specific_class is LibraryPage and approves_for(user, page):
        yield Button(
            _("SMART check"),
            url=reverse("bm_pages_smart:setting", args=[page.pk]),
            icon_name="tasks",
            priority=45,
            attrs={"data-bm-action": "smart-setting"},
        )
