"""Login lockout (django-axes): who a failed attempt is counted against, what a
locked-out user sees.

Axes counts failed sign-ins per username and client address (settings
``AXES_LOCKOUT_PARAMETERS``) on every login that goes through Django's
``authenticate(request, ...)``: the Wagtail admin's, the front-end login the audit
portal sends people to (``/_util/login/``) and Django's admin. After
``AXES_FAILURE_LIMIT`` failures that pair is refused for ``AXES_COOLOFF_TIME``, even
with the right password.

- ``client_ip``: the client's address, trusting ``X-Forwarded-For`` only as far as
  DRF's ``NUM_PROXIES`` says, so a client cannot pick a new address per attempt with
  a forged header, and the API throttles and the logins agree on who a client is.
- ``lockout_response``: the login page the user was on, with the Dutch lockout
  message instead of "wrong password", status 429; a plain page otherwise.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from rest_framework.settings import api_settings


def client_ip(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``NUM_PROXIES`` proxies the
    address the outermost one saw, as DRF's throttles count it.

    Unlike DRF, an unset ``NUM_PROXIES`` trusts no proxy: DRF would then use the whole
    ``X-Forwarded-For`` header, which the client writes itself.
    """
    proxies = api_settings.NUM_PROXIES or 0
    remote_addr = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [part.strip() for part in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))] or remote_addr
    return remote_addr


def lockout_message() -> str:
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts. Your account is locked on this device "
        "for %(minutes)d minute; after that you can try again.",
        "Too many failed sign-in attempts. Your account is locked on this device "
        "for %(minutes)d minutes; after that you can try again.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the login form again, saying the login is locked."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    message = lockout_message()
    context = getattr(original_response, "context_data", None)
    form = (context or {}).get("form")
    if isinstance(original_response, TemplateResponse) and form is not None:
        # Replace "wrong username or password": the password may have been right.
        form._errors = ErrorDict()
        form.add_error(None, message)
        response = TemplateResponse(
            request,
            original_response.template_name,
            {**context, "locked_out": True},
            status=status,
        )
    else:
        response = TemplateResponse(
            request,
            "bm_pages/login_locked.html",
            {"message": message},
            status=status,
        )
    response["Cache-Control"] = "no-store"
    return response.render()
