"""The document environment (Documentomgeving): a library's documents by work field
and policy topic, the norms without evidence and the documents past their review date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.admin.views import forbidden
from bm_pages.certification.environment import document_environment
from bm_pages.models import (
    AuditPortalPage,
    LibraryPage,
    PolicyTopic,
    WorkField,
)
from bm_pages.permissions import (
    libraries_worked_for,
    works_for,
)

if TYPE_CHECKING:
    pass

TEMPLATES = "bm_pages/admin/certification/"


class EnvironmentFilterForm(forms.Form):
    work_field = forms.ModelChoiceField(
        label=gettext_lazy("Work field"),
        queryset=WorkField.objects.all(),
        required=False,
        empty_label=gettext_lazy("All work fields"),
    )
    policy_topic = forms.ModelChoiceField(
        label=gettext_lazy("Policy topic"),
        queryset=PolicyTopic.objects.all(),
        required=False,
        empty_label=gettext_lazy("All policy topics"),
    )
    overdue = forms.BooleanField(
        label=gettext_lazy("Only documents past their review date"), required=False
    )


class DocumentEnvironmentIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Pick a library's document environment (straight there with one library)."""

    template_name = f"{TEMPLATES}environment_index.html"
    page_title = gettext_lazy("Document environment")
    header_icon = "folder-open-inverse"

    def get(self, request, *args, **kwargs):
        libraries = list(libraries_worked_for(request.user))
        if len(libraries) == 1 and not request.user.is_superuser:
            return redirect("bm_certification:environment", libraries[0].pk)
        if not libraries and not request.user.is_superuser:
            return forbidden(
                request,
                _(
                    "Only the editors and approvers of a library can open its documents."
                ),
            )
        self.libraries = libraries
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["libraries"] = self.libraries
        return context


class LibraryCertificationViewMixin:
    """An admin page about one library's certification, for its editors and
    approvers (``works_for``); ``self.library`` is set in ``dispatch``."""

    def dispatch(self, request, library_id: int, *args, **kwargs):
        self.library = get_object_or_404(LibraryPage, pk=library_id)
        if not works_for(request.user, self.library):
            return forbidden(
                request,
                _("Only the library's editors and approvers can open its documents."),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.library.title

    def portal_url(self, section: str | None = None) -> str | None:
        """The library's audit portal, or one of its sections (a route name)."""
        portal = AuditPortalPage.objects.child_of(self.library).live().first()
        if portal is None:
            return None
        url = portal.get_url(self.request)
        return url + portal.reverse_subpage(section) if section else url


class DocumentEnvironmentView(
    LibraryCertificationViewMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One library's documents: work field -> policy topic -> document, gaps, due."""

    template_name = f"{TEMPLATES}environment.html"
    header_icon = "folder-open-inverse"

    def get_page_title(self):
        return _("Document environment")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("bm_certification:environment_index"),
                "label": _("Document environment"),
            },
            {"url": "", "label": self.library.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = EnvironmentFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        environment = document_environment(
            self.library,
            work_field=filters.get("work_field"),
            policy_topic=filters.get("policy_topic"),
            overdue_only=bool(filters.get("overdue")),
        )
        add_url = reverse("wagtaildocs:add_multiple")
        if self.library.collection_id:
            add_url += "?" + urlencode({"collection_id": self.library.collection_id})
        context.update(
            {
                "library": self.library,
                "environment": environment,
                "filter_form": form,
                "add_url": add_url,
                "next_param": urlencode({"next": self.request.get_full_path()}),
                "portal_url": self.portal_url(),
                "readiness_url": reverse(
                    "bm_certification:readiness", args=[self.library.pk]
                ),
            }
        )
        return context
