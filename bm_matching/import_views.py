"""Admin views for importing projects of other libraries, and provenance in the editor.

- ``bm_matching:import_project`` (project id): pick one of your annual plans, a focus
  area and whether to copy the shared documents; ``ImportPartnerProjectAction`` makes
  the draft and the editor opens on it.
- ``bm_matching:partnership_request`` (project id): "Request partnership" in search
  results; hands over to the one request form in ``bm_pages`` (``bm_pages.admin.partnerships``).
- ``bm_matching:source_changes`` (project id): what changed at the source since the
  import, field by field.
- In the project editor (``before_edit_page``): the source project shows how many
  libraries imported it (names only of partners); an imported project says when its
  source changed after the import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.admin.views import ProjectAdminViewMixin, forbidden
from bm_pages.models import AnnualPlanPage, FocusArea, ProjectPage
from bm_pages.permissions import libraries_worked_for, may_import_from

from . import feedback
from .actions import (
    AlreadyImportedError,
    ImportPartnerProjectAction,
    ImportPartnerProjectError,
    ImportPartnerProjectPermissionError,
    shared_evidence,
)
from .provenance import import_summary, live_source, source_changes
from .visibility import library_can_see

if TYPE_CHECKING:
    from django.http import HttpRequest


def importable_plans(user):
    """The annual plans ``user`` may import into: those of the libraries they work for."""
    return (
        AnnualPlanPage.objects.filter(library__in=libraries_worked_for(user))
        .select_related("library")
        .order_by("library__title", "-year")
    )


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AnnualPlanPage) -> str:
        library = obj.library.title if obj.library_id else ""
        return f"{obj.title} ({library})" if library else obj.title


class FocusAreaChoiceField(forms.ModelChoiceField):
    """The focus areas of the plan the project goes into (see ``ImportProjectForm``)."""

    def label_from_instance(self, obj: FocusArea) -> str:
        return obj.title


class ImportProjectForm(forms.Form):
    target_plan = PlanChoiceField(
        label=gettext_lazy("Into annual plan"),
        queryset=AnnualPlanPage.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("The plan of your library that gets the project."),
    )
    focus_area = FocusAreaChoiceField(
        label=gettext_lazy("Focus area"),
        queryset=FocusArea.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Optional. Without a choice the project goes to the focus area with the "
            "same name, if your plan has one."
        ),
    )
    # The search that led here (the results' link carries it): sent as feedback.
    q = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    copy_documents = forms.BooleanField(
        label=gettext_lazy("Also copy the shared documents into our collection"),
        required=False,
        help_text=gettext_lazy(
            "The evidence documents of this project that are shared with you are "
            "copied into your library's documents, visible to your library only."
        ),
    )

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_plan"].queryset = plans
        # Only the areas of the chosen plan: offered, and accepted when posted. An
        # area of another plan (the plan was changed after the page loaded) is
        # refused by the field, with a message naming the plan.
        plan = self.chosen_plan()
        field = self.fields["focus_area"]
        field.queryset = FocusArea.objects.filter(
            page_id=plan.pk if plan is not None else None
        ).order_by("sort_order")
        message = (
            _("Choose a focus area of %(plan)s, or none.") % {"plan": plan.title}
            if plan is not None
            else _("Choose the annual plan first, then one of its focus areas.")
        )
        # The field formats the message with the value posted: keep "%" literal.
        field.error_messages["invalid_choice"] = message.replace("%", "%%")

    def chosen_plan(self) -> AnnualPlanPage | None:
        """The plan the form is about: the one posted, else the initial one; ``None``
        when there is none (or what was posted is not one of the plans offered)."""
        if not self.is_bound:
            plan = self.initial.get("target_plan")
            return plan if isinstance(plan, AnnualPlanPage) else None
        field = self.fields["target_plan"]
        try:
            return field.clean(
                field.widget.value_from_datadict(
                    self.data, self.files, self.add_prefix("target_plan")
                )
            )
        except ValidationError:
            return None


def _source_or_404(project_id: int) -> ProjectPage:
    return get_object_or_404(
        ProjectPage.objects.select_related("plan", "plan__library"), pk=project_id
    )


class ImportProjectView(WagtailAdminTemplateMixin, FormView):
    """Import a project of another library into one of my annual plans."""

    template_name = "bm_matching/import/import_project.html"
    form_class = ImportProjectForm
    header_icon = "download"

    def dispatch(self, request, project_id: int, *args, **kwargs):
        self.source = _source_or_404(project_id)
        self.plans = importable_plans(request.user)
        if not self.plans.exists():
            return forbidden(
                request,
                _(
                    "Only editors and approvers of a library with an annual plan can "
                    "import projects."
                ),
            )
        # Open only what one of my libraries may see; the action checks again.
        source_library = self.source.library
        visible = (
            self.source.live
            and source_library is not None
            and any(
                may_import_from(plan.library, source_library) for plan in self.plans
            )
        )
        if not visible:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import into my plan")

    def get_page_subtitle(self):
        return self.source.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("bm_matching:find_projects"), "label": _("Find projects")},
            {"url": "", "label": _("Import into my plan")},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plans"] = self.plans
        return kwargs

    def get_initial(self):
        # The plan asked for (?plan=, when the editor picks another one), else the
        # plan for the source's year if I have one, else my newest plan.
        year = self.source.plan.year if self.source.plan_id else None
        plans = list(self.plans)
        plans.sort(key=lambda plan: (plan.year != year, -plan.year))
        asked = self.request.GET.get("plan", "")
        chosen = [p for p in plans if asked.isdigit() and p.pk == int(asked)]
        plan = (chosen or plans or [None])[0]
        area = None
        if plan is not None and self.source.focus_area_id:
            # The focus area of that plan with the source's focus area title.
            area = FocusArea.objects.filter(
                page=plan, title=self.source.focus_area.title
            ).first()
        return {
            "target_plan": plan,
            "focus_area": area,
            "q": self.request.GET.get("q", "")[:2000],
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own_plans = [p for p in self.plans if p.library_id]
        documents = []
        if own_plans:
            documents = shared_evidence(self.source, own_plans[0].library)
        context.update(
            {
                "source": self.source,
                "source_library": self.source.library,
                "documents": documents,
            }
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        action = ImportPartnerProjectAction(
            self.source,
            data["target_plan"],
            self.request.user,
            focus_area=data.get("focus_area"),
            copy_documents=data["copy_documents"],
            request=self.request,
        )
        try:
            result = action.execute()
        except ImportPartnerProjectPermissionError as error:
            return forbidden(self.request, str(error))
        except AlreadyImportedError as error:
            messages.error(
                self.request,
                str(error),
                buttons=[
                    messages.button(
                        reverse("wagtailadmin_pages:edit", args=[error.existing.pk]),
                        _("Open the existing copy"),
                    )
                ],
            )
            return self.form_invalid(form)
        except ImportPartnerProjectError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        text = _(
            "“%(title)s” of %(library)s is now a draft in %(plan)s. Adapt it to your "
            "situation and submit it for review."
        ) % {
            "title": self.source.title,
            "library": result.project.source_library_name,
            "plan": data["target_plan"].title,
        }
        if result.documents:
            text += " " + ngettext(
                "%(count)s document was copied into your documents.",
                "%(count)s documents were copied into your documents.",
                len(result.documents),
            ) % {"count": len(result.documents)}
        messages.success(self.request, text)
        feedback.record(data.get("q", ""), self.source.pk, "import")
        return redirect("wagtailadmin_pages:edit", result.project.pk)


def partnership_request(request: HttpRequest, project_id: int):
    """ "Request partnership" from a search result: the request form, filled in."""
    project = _source_or_404(project_id)
    library = project.library
    if library is None:
        raise Http404
    params = {"partner": library.pk, "project": project.pk}
    # Following "Request partnership" from a result is the signal (the request form
    # itself belongs to bm_pages and knows nothing of searches).
    feedback.record(request.GET.get("q", ""), project.pk, "partnership")
    return redirect(f"{reverse('bm_pages_partnerships:request')}?{urlencode(params)}")


class SourceChangesView(ProjectAdminViewMixin, WagtailAdminTemplateMixin, TemplateView):
    """What changed at the source of an imported project since the import."""

    template_name = "bm_matching/import/source_changes.html"
    header_icon = "history"

    def dispatch(self, request, project_id: int, *args, **kwargs):
        self.project = get_object_or_404(ProjectPage, pk=project_id).specific
        if not self.project.permissions_for_user(request.user).can_edit():
            return forbidden(
                request, _("Only the editors of this project can compare it.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Changes at the source")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.project
        source = live_source(project)
        library = project.library
        shared = (
            source is not None
            and library is not None
            and source.library is not None
            and library_can_see(library, source.library)
        )
        context.update(
            {
                "project": project,
                "source": source if shared else None,
                "changes": source_changes(project) if shared else [],
                "was_imported": bool(project.source_snapshot),
            }
        )
        return context


# In the project editor --------------------------------------------------------------------


def provenance_messages(request: HttpRequest, page):
    """Say who imported this project, and whether its source changed since import."""
    if request.method != "GET" or page.specific_class is not ProjectPage:
        return None
    project = page.specific
    summary = import_summary(project)
    if summary.count:
        text = ngettext(
            "%(count)s library imported this project into its plan.",
            "%(count)s libraries imported this project into their plans.",
            summary.count,
        ) % {"count": summary.count}
        if summary.partner_names:
            text += " " + _("Partners among them: %(names)s.") % {
                "names": ", ".join(summary.partner_names)
            }
        messages.info(request, text)
    if project.source_page_id and project.source_snapshot:
        changes = source_changes(project)
        source = live_source(project)
        library = project.library
        if (
            changes
            and source is not None
            and library is not None
            and source.library is not None
            and library_can_see(library, source.library)
        ):
            messages.warning(
                request,
                ngettext(
                    "The project this one was imported from changed after the "
                    "import (%(count)s field).",
                    "The project this one was imported from changed after the "
                    "import (%(count)s fields).",
                    len(changes),
                )
                % {"count": len(changes)},
                buttons=[
                    messages.button(
                        reverse("bm_matching:source_changes", args=[project.pk]),
                        _("Show the changes"),
                    )
                ],
            )
    return None
