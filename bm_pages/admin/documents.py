"""Documents in the admin: the serving rule, the listing and chooser filters, the admin API.

- Document serving: the ``before_serve_document`` hook applies
  ``bm_pages.documents_access.user_can_view_document`` to every download
  (``/documents/<id>/<filename>``).
- The documents listing (``/admin/documents/``) and the document chooser get
  filters by work field, policy topic, document type, visibility and review date.
  Wagtail 8 has no viewset for the documents listing, so the two listing views
  are subclasses of Wagtail's own, mounted at Wagtail's paths ahead of Wagtail's
  URLs (hook order -1). URL names and everything else stay Wagtail's.
- The admin API's documents endpoint lists only documents the user may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.choosers import (
    BaseFilterForm,
    CollectionFilterMixin,
    SearchFilterMixin,
)
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.documents import get_document_model_string
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.chooser import (
    DocumentChooseResultsView,
    DocumentChooserViewSet,
    DocumentChooseView,
)
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentIndexView
from wagtail.wagtail_hooks import require_wagtail_login

from bm_pages.documents_access import user_can_view_document, viewable_documents
from bm_pages.models import (
    DocumentType,
    LibraryDocument,
    PolicyTopic,
    WorkField,
)

if TYPE_CHECKING:
    pass

TEMPLATES = "bm_pages/admin/certification/"


# Serving documents ------------------------------------------------------------------


def enforce_document_visibility(document, request):
    """Refuse a download the visibility rule does not allow (login first if anonymous)."""
    if user_can_view_document(request.user, document):
        return None
    if not request.user.is_authenticated:
        return require_wagtail_login(next=request.get_full_path())
    return TemplateResponse(
        request,
        "bm_pages/audit/document_forbidden.html",
        {"document_title": document.title},
        status=403,
    )


def scope_admin_documents_api(router):
    # Replaces Wagtail's endpoint (registered at order 0), which lists every
    # document outside restricted collections to anyone with admin access.
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """Wagtail's admin documents API, listing only documents the user may see."""

    def get_queryset(self):
        return viewable_documents(self.request.user, super().get_queryset())


# The documents listing and chooser, with the framework's filters ------------------


class LibraryDocumentFilterSet(DocumentsFilterSet):
    """Wagtail's document filters plus work field, policy topic, type, visibility."""

    work_field = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Work field"),
        queryset=WorkField.objects.all(),
        field_name="work_field",
    )
    policy_topic = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Policy topic"),
        queryset=PolicyTopic.objects.all(),
        method="filter_policy_topic",
    )
    document_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Document type"),
        queryset=DocumentType.objects.all(),
        field_name="document_type",
    )
    visibility = django_filters.ChoiceFilter(
        label=gettext_lazy("Visibility"),
        choices=LibraryDocument.Visibility.choices,
        field_name="visibility",
    )
    review_overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Past review date"),
        method="filter_review_overdue",
        widget=forms.Select(
            choices=[
                ("", gettext_lazy("All")),
                ("true", gettext_lazy("Yes")),
                ("false", gettext_lazy("No")),
            ]
        ),
    )

    def filter_policy_topic(self, queryset, name, value):
        # Through ids: a many-to-many join cannot be searched afterwards.
        ids = LibraryDocument.objects.filter(policy_topics=value).values("pk")
        return queryset.filter(id__in=ids)

    def filter_review_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        if value:
            return queryset.filter(review_date__lt=today)
        ids = LibraryDocument.objects.filter(review_date__lt=today).values("pk")
        return queryset.exclude(id__in=ids)

    class Meta(DocumentsFilterSet.Meta):
        fields = []


class ReviewDateColumn(DateColumn):
    """The review date, with an "overdue" tag once it has passed."""

    cell_template_name = f"{TEMPLATES}review_date_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = (
            instance.review_date is not None
            and instance.review_date < timezone.localdate()
        )
        return context


class LibraryDocumentIndexView(DocumentIndexView):
    """Wagtail's documents listing, with the framework's filters and columns."""

    filterset_class = LibraryDocumentFilterSet

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("library", "work_field")

    @cached_property
    def columns(self):
        columns = list(super().columns)
        position = 3
        columns[position:position] = [
            Column("library", label=_("Library"), accessor="library"),
            Column("work_field", label=_("Work field"), accessor="work_field"),
            ReviewDateColumn("review_date", label=_("Review date")),
        ]
        return columns


class DocumentTaxonomyFilterMixin(forms.Form):
    """Chooser filters by work field and policy topic (before the search)."""

    work_field = forms.ModelChoiceField(
        label=gettext_lazy("Work field"),
        queryset=WorkField.objects.all(),
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )
    policy_topic = forms.ModelChoiceField(
        label=gettext_lazy("Policy topic"),
        queryset=PolicyTopic.objects.all(),
        required=False,
        widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
    )

    def filter(self, objects):
        work_field = self.cleaned_data.get("work_field")
        if work_field is not None:
            objects = objects.filter(work_field=work_field)
        topic = self.cleaned_data.get("policy_topic")
        if topic is not None:
            objects = objects.filter(
                id__in=LibraryDocument.objects.filter(policy_topics=topic).values("pk")
            )
        return super().filter(objects)


class DocumentChooserFilterForm(
    DocumentTaxonomyFilterMixin,
    CollectionFilterMixin,
    SearchFilterMixin,
    BaseFilterForm,
):
    pass


class LibraryDocumentChooseView(DocumentChooseView):
    filter_form_class = DocumentChooserFilterForm


class LibraryDocumentChooseResultsView(DocumentChooseResultsView):
    filter_form_class = DocumentChooserFilterForm


class LibraryDocumentChooserViewSet(DocumentChooserViewSet):
    """Wagtail's document chooser with the framework's filters.

    Never registered itself: its two listing views are mounted at the paths of
    Wagtail's chooser, and its name keeps Wagtail's URL names for everything else.
    """

    choose_view_class = LibraryDocumentChooseView
    choose_results_view_class = LibraryDocumentChooseResultsView


_chooser = LibraryDocumentChooserViewSet(
    "wagtaildocs_chooser",
    model=get_document_model_string(),
    url_prefix="documents/chooser",
)


def register_document_listing_urls():
    # Ahead of Wagtail's own URLs (order 0): same paths, our views.
    return [
        path(
            "documents/",
            LibraryDocumentIndexView.as_view(),
            name="bm_documents_index",
        ),
        path(
            "documents/results/",
            LibraryDocumentIndexView.as_view(results_only=True),
            name="bm_documents_index_results",
        ),
        path("documents/chooser/", _chooser.choose_view, name="bm_documents_choose"),
        path(
            "documents/chooser/results/",
            _chooser.choose_results_view,
            name="bm_documents_choose_results",
        ),
    ]
