"""The "Netwerk" page: for one of the user's libraries, its partners (with "end" for
approvers), requests received (accept/decline for approvers) and sent, its regional
network, the history, and what other apps add through the ``bm_pages_network_sections``
hook (``bm_matching`` adds "libraries running projects like yours").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.actions.partnerships import (
    is_approver,
)
from bm_pages.admin.views import forbidden
from bm_pages.converters import parse_database_id
from bm_pages.models import (
    LibraryPage,
    Partnership,
)
from bm_pages.partnerships import (
    network_partner_ids,
    partnership_partner_ids,
)
from bm_pages.permissions import libraries_worked_for

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


def request_url(
    library: LibraryPage, partner: LibraryPage | None = None, **extra
) -> str:
    params = {"library": library.pk, **extra}
    if partner is not None:
        params["partner"] = partner.pk
    return f"{reverse('bm_pages_partnerships:request')}?{urlencode(params)}"


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
            .filter(
                status__in=[
                    Partnership.Status.DECLINED,
                    Partnership.Status.ENDED,
                    Partnership.Status.WITHDRAWN,
                ]
            )
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
