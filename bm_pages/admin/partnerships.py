"""Partnership requests and decisions: the request form calling
``RequestPartnershipAction``, accept, decline, end and withdraw, and the log lines
of these steps in a library's history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter

from bm_pages.actions.partnerships import (
    LOG_ACCEPT,
    LOG_DECLINE,
    LOG_END,
    LOG_REQUEST,
    LOG_WITHDRAW,
    AcceptPartnershipAction,
    DeclinePartnershipAction,
    EndPartnershipAction,
    PartnershipError,
    PartnershipPermissionError,
    RequestPartnershipAction,
    WithdrawPartnershipAction,
)
from bm_pages.admin.network import chosen_library, network_url
from bm_pages.admin.views import forbidden
from bm_pages.converters import parse_database_id
from bm_pages.models import (
    LibraryPage,
    Partnership,
    ProjectPage,
)
from bm_pages.permissions import libraries_approved_for, libraries_worked_for

if TYPE_CHECKING:
    from django.http import HttpRequest


def requests_to_decide(user) -> int:
    """Partnership requests waiting for a decision of ``user`` (an approver of the
    asked library): the count on the "Network" menu item."""
    library_ids = list(libraries_approved_for(user).values_list("pk", flat=True))
    if not library_ids:
        return 0
    return Partnership.objects.awaiting_decision_of(*library_ids).count()


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


def _answer(
    request: HttpRequest,
    pk: int,
    action_class,
    done_message: str,
    *,
    by_requester: bool = False,
):
    """Run a step on a waiting request: by the asked library (accept, decline) or by
    the requesting one (``by_requester``: withdraw). The message names the other
    library; the acting library's network page comes next."""
    partnership = get_object_or_404(
        Partnership.objects.select_related(
            "library_a", "library_b", "requested_by_library"
        ),
        pk=pk,
    )
    acting, other = partnership.receiving_library, partnership.requested_by_library
    if by_requester:
        acting, other = other, acting
    try:
        action_class(partnership, request.user).execute()
    except PartnershipPermissionError as error:
        return forbidden(request, str(error))
    except PartnershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done_message % {"library": other.title})
    return redirect(network_url(acting))


@require_POST
def accept_partnership(request: HttpRequest, pk: int):
    return _answer(
        request,
        pk,
        AcceptPartnershipAction,
        _("You are now partners of %(library)s."),
    )


@require_POST
def decline_partnership(request: HttpRequest, pk: int):
    return _answer(
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


@require_POST
def withdraw_partnership(request: HttpRequest, pk: int):
    return _answer(
        request,
        pk,
        WithdrawPartnershipAction,
        _("Your request to %(library)s was withdrawn."),
        by_requester=True,
    )


# Log lines ---------------------------------------------------------------------------


class PartnershipLogFormatter(LogFormatter):
    """The log line "Partnership requested with Bibliotheek X", from the entry's data."""

    template = ""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        return self.template % {"library": data.get("library", "")}


def register_partnership_log_actions(actions):
    for action, label, template in (
        (
            LOG_REQUEST,
            gettext_lazy("Request a partnership"),
            gettext_lazy("Partnership requested of %(library)s"),
        ),
        (
            LOG_ACCEPT,
            gettext_lazy("Accept a partnership"),
            gettext_lazy("Partnership request of %(library)s accepted"),
        ),
        (
            LOG_DECLINE,
            gettext_lazy("Decline a partnership"),
            gettext_lazy("Partnership request of %(library)s declined"),
        ),
        (
            LOG_END,
            gettext_lazy("End a partnership"),
            gettext_lazy("Partnership with %(library)s ended"),
        ),
        (
            LOG_WITHDRAW,
            gettext_lazy("Withdraw a partnership request"),
            gettext_lazy("Partnership request to %(library)s withdrawn"),
        ),
    ):
        formatter = type(
            "PartnershipLogFormatter",
            (PartnershipLogFormatter,),
            {"label": label, "template": template},
        )
        actions.register_action(action)(formatter)
