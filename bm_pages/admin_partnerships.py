"""Admin for partnerships: the "Netwerk" page, requests and decisions, the partner view.

- "Netwerk" (menu): for one of the user's libraries, its partners (with "end" for
  approvers), requests received (accept/decline for approvers) and sent, its
  regional network, the history, and whatever other apps add through the
  ``bm_pages_network_sections`` hook (``bm_matching`` adds "libraries running
  projects like yours").
- Request a partnership: a form calling ``RequestPartnershipAction``.
- Partner view: a partner library's live projects in full and its documents shared
  with partners; nothing else (no drafts, no "own library" documents).

Its hooks are registered in ``wagtail_hooks.py``; URLs under the
namespace ``bm_pages_partnerships``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages import documents_access
from bm_pages.actions.partnerships import (
    AcceptPartnershipAction,
    DeclinePartnershipAction,
    EndPartnershipAction,
    PartnershipError,
    PartnershipPermissionError,
    RequestPartnershipAction,
    is_approver,
)
from bm_pages.admin_roles import forbidden
from bm_pages.converters import parse_database_id
from bm_pages.menu import RuleMenuItem
from bm_pages.models import (
    AnnualPlanPage,
    LibraryPage,
    Partnership,
    ProjectPage,
)
from bm_pages.partnerships import (
    are_partners,
    network_partner_ids,
    partner_ids,
    partnership_partner_ids,
)
from bm_pages.permissions import libraries_worked_for, works_for_a_library

if TYPE_CHECKING:
    from django.http import HttpRequest

NETWORK_SECTIONS_HOOK = "bm_pages_network_sections"
HISTORY_LENGTH = 20


def optional_reverse(name: str, *args) -> str:
    """``reverse()``, or ``""`` when the URL is not installed (another app's view)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def network_url(library: LibraryPage | None = None) -> str:
    url = reverse("bm_pages_partnerships:network")
    return f"{url}?{urlencode({'library': library.pk})}" if library else url


def chosen_library(request: HttpRequest, param: str = "library") -> LibraryPage | None:
    """The library the user acts for: ``?library=`` among theirs, else their first."""
    libraries = libraries_worked_for(request.user).select_related("network")
    library_id = parse_database_id(request.GET.get(param) or request.POST.get(param))
    if library_id is not None:
        library = libraries.filter(pk=library_id).first()
        if library is not None:
            return library
    return libraries.first()


# The network page ----------------------------------------------------------------------


class NetworkView(WagtailAdminTemplateMixin, TemplateView):
    """A library's partners, requests in and out, regional network and suggestions."""

    template_name = "bm_pages/admin/partnerships/network.html"
    page_title = gettext_lazy("Network")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.library = chosen_library(request)
        if self.library is None:
            return forbidden(
                request,
                _("The network page is for editors and approvers of a library."),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.library.title

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def _partners(self) -> list[dict]:
        library = self.library
        explicit = partnership_partner_ids(library)
        by_network = network_partner_ids(library) - explicit
        rows = {
            row.other_side(library).pk: row
            for row in Partnership.objects.involving(library.pk)
            .filter(status=Partnership.Status.ACTIVE)
            .select_related("library_a", "library_b")
        }
        partners = []
        for partner in LibraryPage.objects.filter(
            pk__in=explicit | by_network
        ).select_related("network"):
            row = rows.get(partner.pk)
            partners.append(
                {
                    "library": partner,
                    "kind": "partnership" if partner.pk in explicit else "network",
                    "since": row.decided_at if row else None,
                    "view_url": reverse(
                        "bm_pages_partnerships:partner", args=[partner.pk]
                    )
                    + "?"
                    + urlencode({"as": library.pk}),
                    "end_url": reverse(
                        "bm_pages_partnerships:end", args=[library.pk, partner.pk]
                    ),
                }
            )
        partners.sort(key=lambda item: item["library"].title)
        return partners

    def _network_members(self, partners: set[int]) -> list[dict]:
        library = self.library
        if library.network_id is None:
            return []
        members = (
            LibraryPage.objects.filter(network_id=library.network_id)
            .exclude(pk=library.pk)
            .order_by("title")
        )
        return [
            {
                "library": member,
                "linked": member.pk in partners,
                "request_url": request_url(library, member),
            }
            for member in members
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        library = self.library
        user = self.request.user
        open_rows = (
            Partnership.objects.involving(library.pk)
            .filter(status=Partnership.Status.REQUESTED)
            .select_related(
                "library_a", "library_b", "requested_by_library", "requested_by"
            )
            .order_by("created_at")
        )
        incoming = [r for r in open_rows if r.requested_by_library_id != library.pk]
        outgoing = [r for r in open_rows if r.requested_by_library_id == library.pk]
        for row in incoming + outgoing:
            row.other = row.other_side(library)
        history = list(
            Partnership.objects.involving(library.pk)
            .filter(status__in=[Partnership.Status.DECLINED, Partnership.Status.ENDED])
            .select_related(
                "library_a", "library_b", "requested_by_library", "ended_by_library"
            )[:HISTORY_LENGTH]
        )
        for row in history:
            row.other = row.other_side(library)
        partners = self._partners()
        linked_ids = {item["library"].pk for item in partners}
        sections = []
        for hook in hooks.get_hooks(NETWORK_SECTIONS_HOOK):
            section = hook(self.request, library, linked_ids)
            if section is not None:
                sections.append(section)
        context.update(
            {
                "library": library,
                "libraries": list(libraries_worked_for(user)),
                "is_approver": is_approver(user, library),
                "partners": partners,
                "incoming": incoming,
                "outgoing": outgoing,
                "history": history,
                "network": library.network,
                "network_members": self._network_members(linked_ids),
                "sections": sections,
                "request_url": request_url(library),
            }
        )
        return context


def request_url(
    library: LibraryPage, partner: LibraryPage | None = None, **extra
) -> str:
    params = {"library": library.pk, **extra}
    if partner is not None:
        params["partner"] = partner.pk
    return f"{reverse('bm_pages_partnerships:request')}?{urlencode(params)}"


# Requesting -------------------------------------------------------------------------------


class RequestPartnershipForm(forms.Form):
    library = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=LibraryPage.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("Your library that asks for the partnership."),
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Library"),
        queryset=LibraryPage.objects.order_by("title"),
        help_text=gettext_lazy("The library you would like to work with."),
        error_messages={
            "invalid_choice": gettext_lazy("Choose a library from the list.")
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
        help_text=gettext_lazy(
            "Why you would like to work together, for example which project of "
            "theirs interests you. Their approvers read this."
        ),
    )

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


class RequestPartnershipView(WagtailAdminTemplateMixin, FormView):
    """Ask another library for a partnership (editors and approvers)."""

    template_name = "bm_pages/admin/partnerships/request.html"
    form_class = RequestPartnershipForm
    page_title = gettext_lazy("Request a partnership")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.libraries = libraries_worked_for(request.user)
        if not self.libraries.exists():
            return forbidden(
                request,
                _("Only editors and approvers of a library can ask for partnerships."),
            )
        self.project = None
        project_id = parse_database_id(request.GET.get("project"))
        if project_id is not None:
            self.project = (
                ProjectPage.objects.live()
                .public()
                .filter(pk=project_id)
                .select_related("plan", "plan__library")
                .first()
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": network_url(), "label": _("Network")},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["libraries"] = self.libraries
        return kwargs

    def get_initial(self):
        initial = {}
        library = chosen_library(self.request)
        if library is not None:
            initial["library"] = library
        partner_id = parse_database_id(self.request.GET.get("partner"))
        if partner_id is not None:
            initial["partner"] = LibraryPage.objects.filter(pk=partner_id).first()
        elif self.project is not None and self.project.plan_id:
            initial["partner"] = self.project.plan.library
        if self.project is not None:
            initial["message"] = _(
                "We are interested in your project “%(title)s” and would like to "
                "work together."
            ) % {"title": self.project.title}
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context["single_library"] = self.libraries.count() == 1
        return context

    def form_valid(self, form):
        library = form.cleaned_data["library"]
        partner = form.cleaned_data["partner"]
        action = RequestPartnershipAction(
            library, partner, self.request.user, message=form.cleaned_data["message"]
        )
        try:
            action.execute()
        except PartnershipPermissionError as error:
            return forbidden(self.request, str(error))
        except PartnershipError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Your request was sent to %(library)s. Their approvers decide; you "
                "will see the answer on this page."
            )
            % {"library": partner.title},
        )
        return redirect(network_url(library))


# Deciding and ending ----------------------------------------------------------------------


def _decide(request: HttpRequest, pk: int, action_class, done_message: str):
    partnership = get_object_or_404(
        Partnership.objects.select_related(
            "library_a", "library_b", "requested_by_library"
        ),
        pk=pk,
    )
    receiving = partnership.receiving_library
    try:
        action_class(partnership, request.user).execute()
    except PartnershipPermissionError as error:
        return forbidden(request, str(error))
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, done_message % {"library": partnership.requested_by_library.title}
        )
    return redirect(network_url(receiving))


@require_POST
def accept_partnership(request: HttpRequest, pk: int):
    return _decide(
        request,
        pk,
        AcceptPartnershipAction,
        _("You are now partners of %(library)s."),
    )


@require_POST
def decline_partnership(request: HttpRequest, pk: int):
    return _decide(
        request,
        pk,
        DeclinePartnershipAction,
        _("You declined the request of %(library)s."),
    )


@require_POST
def end_partnership(request: HttpRequest, library_id: int, partner_id: int):
    library = get_object_or_404(LibraryPage, pk=library_id)
    partner = get_object_or_404(LibraryPage, pk=partner_id)
    try:
        EndPartnershipAction.for_pair(library, partner, request.user).execute()
    except PartnershipPermissionError as error:
        return forbidden(request, str(error))
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The partnership with %(library)s has ended.")
            % {"library": partner.title},
        )
    return redirect(network_url(library))


# The partner view -----------------------------------------------------------------------


def partner_projects(partner: LibraryPage):
    """The partner's live, public projects with everything the partner view shows."""
    return (
        ProjectPage.objects.live()
        .public()
        .descendant_of(partner)
        .select_related("plan", "focus_area")
        .prefetch_related(
            "indicators",
            "activities",
            "core_functions",
            "policy_topics",
            "work_fields",
        )
        .order_by("-plan__year", "path")
    )


def shared_documents(partner: LibraryPage):
    """The partner's own documents a partner may open: "partners" and "public" ones."""
    return (
        documents_access.shared_documents(partner, as_partner=True)
        .select_related("document_type", "work_field")
        .order_by("title")
    )


def viewing_library(request: HttpRequest, partner: LibraryPage) -> LibraryPage | None:
    """The user's library through which they may look at ``partner`` (a partner of it).

    Superusers may look at any library.
    """
    mine = libraries_worked_for(request.user)
    wanted = request.GET.get("as", "")
    if wanted.isdigit():
        library = mine.filter(pk=int(wanted)).first()
        if library is not None and are_partners(library, partner):
            return library
    linked = partner_ids(partner)
    library = mine.filter(pk__in=linked).first()
    if library is not None:
        return library
    if request.user.is_superuser:
        return mine.exclude(pk=partner.pk).first()
    return None


class PartnerAccessMixin:
    def dispatch(self, request, library_id: int, *args, **kwargs):
        self.partner = get_object_or_404(LibraryPage, pk=library_id)
        self.viewer = viewing_library(request, self.partner)
        if self.viewer is None:
            return forbidden(
                request,
                _(
                    "You see the projects and shared documents of %(library)s in "
                    "full once your library and %(library)s are partners."
                )
                % {"library": self.partner.title},
            )
        return super().dispatch(request, *args, **kwargs)


class PartnerView(PartnerAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """A partner library's live projects and its documents shared with partners."""

    template_name = "bm_pages/admin/partnerships/partner.html"
    header_icon = "group"

    def get_page_title(self):
        return _("Partner")

    def get_page_subtitle(self):
        return self.partner.title

    def get_header_title(self):
        return self.partner.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": network_url(self.viewer), "label": _("Network")},
            {"url": "", "label": self.partner.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans: dict[int, dict] = {}
        for project in partner_projects(self.partner):
            year = project.plan.year if project.plan_id else None
            entry = plans.setdefault(year, {"year": year, "projects": []})
            project.detail_url = (
                reverse(
                    "bm_pages_partnerships:partner_project",
                    args=[self.partner.pk, project.pk],
                )
                + "?"
                + urlencode({"as": self.viewer.pk})
            )
            project.import_url = optional_reverse(
                "bm_matching:import_project", project.pk
            )
            entry["projects"].append(project)
        context.update(
            {
                "partner": self.partner,
                "viewer": self.viewer,
                "plans": list(plans.values()),
                "documents": list(shared_documents(self.partner)),
            }
        )
        return context


class PartnerProjectView(PartnerAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """One live project of a partner in full: SMART, activities, PDCA log, evidence."""

    template_name = "bm_pages/admin/partnerships/partner_project.html"
    header_icon = "doc-full"

    def dispatch(self, request, library_id: int, project_id: int, *args, **kwargs):
        self.project_id = project_id
        return super().dispatch(request, library_id, *args, **kwargs)

    def get_project(self) -> ProjectPage:
        project = partner_projects(self.partner).filter(pk=self.project_id).first()
        if project is None:
            raise Http404
        return project

    def get(self, request, *args, **kwargs):
        self.project = self.get_project()
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.project.title

    def get_page_subtitle(self):
        return self.partner.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": network_url(self.viewer), "label": _("Network")},
            {
                "url": reverse("bm_pages_partnerships:partner", args=[self.partner.pk])
                + "?"
                + urlencode({"as": self.viewer.pk}),
                "label": self.partner.title,
            },
            {"url": "", "label": self.project.title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.project
        log = list(project.phase_log.select_related("evidence").order_by("sort_order"))
        for entry in log:
            # Only the partner's own shared documents: never another library's title.
            entry.shared_evidence = documents_access.shared_evidence_entry(
                entry, self.partner.pk, as_partner=True
            )
        context.update(
            {
                "partner": self.partner,
                "viewer": self.viewer,
                "project": project,
                "plan": AnnualPlanPage.objects.filter(pk=project.plan_id).first(),
                "phase_log": log,
                "import_url": optional_reverse(
                    "bm_matching:import_project", project.pk
                ),
            }
        )
        return context


# Wiring -------------------------------------------------------------------------------


def register_partnership_admin_urls():
    urls = [
        path("", NetworkView.as_view(), name="network"),
        path("request/", RequestPartnershipView.as_view(), name="request"),
        path("<db_id:pk>/accept/", accept_partnership, name="accept"),
        path("<db_id:pk>/decline/", decline_partnership, name="decline"),
        path(
            "end/<db_id:library_id>/<db_id:partner_id>/",
            end_partnership,
            name="end",
        ),
        path("partners/<db_id:library_id>/", PartnerView.as_view(), name="partner"),
        path(
            "partners/<db_id:library_id>/projects/<db_id:project_id>/",
            PartnerProjectView.as_view(),
            name="partner_project",
        ),
    ]
    return [path("network/", (urls, "bm_pages_partnerships", "bm_pages_partnerships"))]


def register_network_menu_item():
    return RuleMenuItem(
        gettext_lazy("Network"),
        reverse("bm_pages_partnerships:network"),
        shown_to=works_for_a_library,
        name="network",
        icon_name="group",
        order=260,
    )
