"""Admin for joining a regional network: a section of the "Netwerk" page and its forms.

The section (through ``bm_pages_network_sections``) shows the library's request to
join a network, with a form to file one (approvers), and the requests of other
libraries to join the library's own network, with accept/decline for its approvers.
The steps are ``bm_pages.actions.network_membership`` actions; URLs under the
namespace ``bm_network_membership``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.components import Component

from bm_pages.actions.network_membership import (
    LOG_ACCEPT,
    LOG_DECLINE,
    LOG_REQUEST,
    LOG_WITHDRAW,
    AcceptNetworkMembershipAction,
    DeclineNetworkMembershipAction,
    NetworkMembershipError,
    NetworkMembershipPermissionError,
    RequestNetworkMembershipAction,
    WithdrawNetworkMembershipAction,
    may_decide,
)
from bm_pages.actions.partnerships import is_approver
from bm_pages.admin.network import network_url
from bm_pages.admin.views import forbidden
from bm_pages.converters import parse_database_id
from bm_pages.models import NetworkMembershipRequest, RegionalNetwork
from bm_pages.models.library import SETUP_LOG_ACTION
from bm_pages.permissions import libraries_worked_for

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bm_pages.models import LibraryPage

HISTORY_LENGTH = 10


class NetworkMembershipForm(forms.Form):
    network = forms.ModelChoiceField(
        label=gettext_lazy("Regional network"),
        queryset=RegionalNetwork.objects.order_by("name"),
        help_text=gettext_lazy("The network your library would like to join."),
        error_messages={
            "invalid_choice": gettext_lazy("Choose a network from the list.")
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=gettext_lazy(
            "Why your library would like to join. The approvers of its members read "
            "this."
        ),
    )


class NetworkMembershipSection(Component):
    """Joining networks, on the network page of ``library``."""

    template_name = "bm_pages/admin/partnerships/network_membership.html"

    def __init__(self, request: HttpRequest, library: LibraryPage) -> None:
        self.request = request
        self.library = library

    def get_context_data(self, parent_context=None) -> dict:
        library, user = self.library, self.request.user
        own = NetworkMembershipRequest.objects.filter(library=library).select_related(
            "network", "requested_by", "decided_by_library"
        )
        incoming = []
        if library.network_id is not None and may_decide(user, library.network):
            incoming = list(
                NetworkMembershipRequest.objects.filter(
                    network_id=library.network_id,
                    status=NetworkMembershipRequest.Status.REQUESTED,
                )
                .exclude(library=library)
                .select_related("library", "requested_by")
                .order_by("created_at")
            )
        form = NetworkMembershipForm()
        form.fields["network"].queryset = RegionalNetwork.objects.exclude(
            pk=library.network_id or 0
        ).order_by("name")
        return {
            "library": library,
            "is_approver": is_approver(user, library),
            "open_request": own.filter(
                status=NetworkMembershipRequest.Status.REQUESTED
            ).first(),
            "history": list(
                own.exclude(status=NetworkMembershipRequest.Status.REQUESTED)[
                    :HISTORY_LENGTH
                ]
            ),
            "incoming": incoming,
            "form": form,
        }


def network_membership_section(request, library, linked_ids):
    return NetworkMembershipSection(request, library)


# Steps --------------------------------------------------------------------------------


@require_POST
def request_membership(request: HttpRequest):
    libraries = libraries_worked_for(request.user)
    pk = parse_database_id(request.POST.get("library"))
    library = libraries.filter(pk=pk).first() if pk is not None else None
    if library is None:
        return forbidden(
            request, _("Only approvers of a library can ask to join a network.")
        )
    form = NetworkMembershipForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(network_url(library))
    network = form.cleaned_data["network"]
    try:
        RequestNetworkMembershipAction(
            library, network, request.user, message=form.cleaned_data["message"]
        ).execute()
    except NetworkMembershipPermissionError as error:
        return forbidden(request, str(error))
    except NetworkMembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Your request to join %(network)s was sent. The approvers of its "
                "members decide."
            )
            % {"network": network.name},
        )
    return redirect(network_url(library))


def _step(request: HttpRequest, pk: int, action_class, done: str, *, back=None):
    membership = get_object_or_404(
        NetworkMembershipRequest.objects.select_related("library", "network"), pk=pk
    )
    try:
        action_class(membership, request.user).execute()
    except NetworkMembershipPermissionError as error:
        return forbidden(request, str(error))
    except NetworkMembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            done
            % {"library": membership.library.title, "network": membership.network.name},
        )
    return redirect(network_url(back))


@require_POST
def accept_membership(request: HttpRequest, pk: int):
    return _step(
        request,
        pk,
        AcceptNetworkMembershipAction,
        _("%(library)s is now a member of %(network)s."),
    )


@require_POST
def decline_membership(request: HttpRequest, pk: int):
    return _step(
        request,
        pk,
        DeclineNetworkMembershipAction,
        _("You declined the request of %(library)s to join %(network)s."),
    )


@require_POST
def withdraw_membership(request: HttpRequest, pk: int):
    membership = get_object_or_404(NetworkMembershipRequest, pk=pk)
    return _step(
        request,
        pk,
        WithdrawNetworkMembershipAction,
        _("The request of %(library)s to join %(network)s was withdrawn."),
        back=membership.library,
    )


def register_network_membership_log_actions(actions):
    for action, label, message in (
        (
            LOG_REQUEST,
            gettext_lazy("Ask to join a regional network"),
            gettext_lazy("Asked to join a regional network"),
        ),
        (
            LOG_ACCEPT,
            gettext_lazy("Accept joining a regional network"),
            gettext_lazy("Request to join a regional network accepted"),
        ),
        (
            LOG_DECLINE,
            gettext_lazy("Decline joining a regional network"),
            gettext_lazy("Request to join a regional network declined"),
        ),
        (
            LOG_WITHDRAW,
            gettext_lazy("Withdraw joining a regional network"),
            gettext_lazy("Request to join a regional network withdrawn"),
        ),
        (
            SETUP_LOG_ACTION,
            gettext_lazy("Change library set-up"),
            gettext_lazy("Regional network or document collection changed"),
        ),
    ):
        actions.register_action(action, label, message)
