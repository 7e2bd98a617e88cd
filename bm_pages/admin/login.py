"""Signing in to Biblio Monitor: the admin's login form in Dutch, and auditors sent
to their audit portal instead of an admin they cannot use."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from bm_pages.models import AuditPortalPage
from bm_pages.permissions import audited_libraries, only_audits


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with labels and placeholders of our own: Wagtail leaves
    the password field without a label (shown as the English "Password") and
    addresses people with "je"."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs["placeholder"] = _("Your username")
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = _("Your password")
        self.fields["remember"].label = _("Stay signed in")


def audit_portal_url(user) -> str | None:
    """The audit portal of the first library ``user`` audits (by title), if any."""
    library = audited_libraries(user).first()
    if library is None:
        return None
    portal = AuditPortalPage.objects.child_of(library).live().first()
    return portal.get_url() if portal else None


class AuditorLandingMiddleware:
    """An auditor who signs in at /admin/login/ (or opens /admin/) lands in their
    audit portal, not on Wagtail's "you do not have permission" refusal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        landing_paths = (reverse("wagtailadmin_home"), reverse("wagtailadmin_login"))
        # Signed in by now (the login POST answers with a redirect to /admin/), and
        # nothing in the admin for them: the refusal would be all they see.
        if request.path not in landing_paths or not only_audits(request.user):
            return response
        portal = audit_portal_url(request.user)
        if portal is None:
            return response
        # Drop the admin's "you do not have permission" message it just queued.
        for _message in messages.get_messages(request):
            pass
        return HttpResponseRedirect(portal)
