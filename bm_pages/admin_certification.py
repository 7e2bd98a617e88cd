"""Admin for the certification work: documents, the document environment, assurance.

- Document serving: the ``before_serve_document`` hook applies
  ``bm_pages.documents_access.user_can_view_document`` to every download
  (``/documents/<id>/<filename>``).
- The documents listing (``/admin/documents/``) and the document chooser get
  filters by work field, policy topic, document type, visibility and review date.
  Wagtail 8 has no viewset for the documents listing, so the two listing views
  are subclasses of Wagtail's own, mounted at Wagtail's paths ahead of Wagtail's
  URLs (hook order -1). URL names and everything else stay Wagtail's.
- The admin API's documents endpoint lists only documents the user may see.
- "Document environment" (Documentomgeving, a menu item for editors, approvers
  and superusers): a library's documents by work field and policy topic, the
  norms without evidence and the documents past their review date.
- "Complete cycle" (Cyclus afronden) on assurance projects: a form calling
  ``CompleteAssuranceCycleAction``.

Its hooks are registered in ``wagtail_hooks.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.forms.choosers import (
    BaseFilterForm,
    CollectionFilterMixin,
    SearchFilterMixin,
)
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, Button
from wagtail.documents import get_document_model_string
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.chooser import (
    DocumentChooseResultsView,
    DocumentChooserViewSet,
    DocumentChooseView,
)
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentIndexView
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.wagtail_hooks import require_wagtail_login

from bm_pages.actions.assurance import (
    LOG_ACTION,
    CompleteAssuranceCycleAction,
    CompleteAssuranceCyclePermissionError,
)
from bm_pages.admin_roles import forbidden
from bm_pages.admin_views import ProjectAdminViewMixin
from bm_pages.certification.environment import document_environment
from bm_pages.documents_access import user_can_view_document, viewable_documents
from bm_pages.menu import RuleMenuItem
from bm_pages.models import (
    AuditPortalPage,
    DocumentType,
    LibraryDocument,
    LibraryPage,
    PolicyTopic,
    ProjectPage,
    WorkField,
)
from bm_pages.permissions import (
    libraries_worked_for,
    works_for,
    works_for_a_library,
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


# The document environment -------------------------------------------------------------


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


class DocumentEnvironmentView(WagtailAdminTemplateMixin, TemplateView):
    """One library's documents: work field -> policy topic -> document, gaps, due."""

    template_name = f"{TEMPLATES}environment.html"
    header_icon = "folder-open-inverse"

    def dispatch(self, request, library_id: int, *args, **kwargs):
        self.library = get_object_or_404(LibraryPage, pk=library_id)
        if not works_for(request.user, self.library):
            return forbidden(
                request,
                _("Only the library's editors and approvers can open its documents."),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Document environment")

    def get_page_subtitle(self):
        return self.library.title

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
        portal = AuditPortalPage.objects.child_of(self.library).live().first()
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
                "portal_url": portal.get_url(self.request) if portal else None,
            }
        )
        return context


def register_document_environment_menu_item():
    return RuleMenuItem(
        gettext_lazy("Document environment"),
        reverse("bm_certification:environment_index"),
        shown_to=works_for_a_library,
        name="document-environment",
        icon_name="folder-open-inverse",
        order=410,
    )


# Completing an assurance cycle ---------------------------------------------------------


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
            _("Cycle completed. The next review is due on %(date)s.")
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


def register_certification_admin_urls():
    urls = [
        path(
            "documents/",
            DocumentEnvironmentIndexView.as_view(),
            name="environment_index",
        ),
        path(
            "documents/<db_id:library_id>/",
            DocumentEnvironmentView.as_view(),
            name="environment",
        ),
        path(
            "assurance/<db_id:page_id>/complete/",
            CompleteAssuranceCycleView.as_view(),
            name="complete_cycle",
        ),
    ]
    return [path("bm-certification/", (urls, "bm_certification", "bm_certification"))]
