"""The e-mails partnership steps send: the asked library's approvers hear of a new
request, the requester of the decision.

Sent on commit (``transaction.on_commit``, robust: a mail server that fails is
logged and does not undo or break the step), so a step that rolls back sends
nothing, in Dutch (the site's language), with an absolute link to the network page
(``bm_pages.site_address.absolute_url``). The mails name libraries, never the other
library's people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from bm_pages.models import LibraryMembership, LibraryPage, Partnership
from bm_pages.roles import LibraryRole
from bm_pages.site_address import absolute_url

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TEMPLATES = "bm_pages/mail/"


def approver_addresses(library: LibraryPage) -> list[str]:
    """E-mail addresses of the library's approvers today (active accounts)."""
    memberships = (
        LibraryMembership.objects.active()
        .filter(library=library, role=LibraryRole.APPROVER)
        .values("user")
    )
    return sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, pk__in=memberships)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def requester_addresses(partnership: Partnership) -> list[str]:
    """Who hears the decision: the person who asked, else (account gone or without
    an address) the requesting library's approvers."""
    user: AbstractBaseUser | None = partnership.requested_by
    if user is not None and user.is_active and user.email:
        return [user.email]
    return approver_addresses(partnership.requested_by_library)


def network_link(library: LibraryPage) -> str:
    path = reverse("bm_pages_partnerships:network")
    return absolute_url(f"{path}?{urlencode({'library': library.pk})}")


def _send(template: str, recipients: list[str], context: dict) -> None:
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{TEMPLATES}{template}_subject.txt", context)
        body = render_to_string(f"{TEMPLATES}{template}.txt", context)
    subject = " ".join(subject.split())
    connection = get_connection()
    # One message per person: approvers of one library need not see each other.
    connection.send_messages(
        [
            EmailMessage(subject, body, to=[address], connection=connection)
            for address in recipients
        ]
    )


def notify_request_on_commit(partnership: Partnership) -> None:
    """Tell the asked library's approvers of a new request, once it is committed."""
    asked = partnership.receiving_library
    context = {
        "partnership": partnership,
        "asking": partnership.requested_by_library,
        "asked": asked,
        "url": network_link(asked),
    }
    recipients = approver_addresses(asked)
    transaction.on_commit(
        lambda: _send("partnership_requested", recipients, context), robust=True
    )


def notify_decision_on_commit(partnership: Partnership) -> None:
    """Tell the requester that the request was accepted or declined."""
    asking = partnership.requested_by_library
    context = {
        "partnership": partnership,
        "accepted": partnership.status == Partnership.Status.ACTIVE,
        "asking": asking,
        "asked": partnership.receiving_library,
        "url": network_link(asking),
    }
    recipients = requester_addresses(partnership)
    transaction.on_commit(
        lambda: _send("partnership_decided", recipients, context), robust=True
    )
