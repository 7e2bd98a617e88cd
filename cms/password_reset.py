"""The admin's password reset form: the same answer, in the same time, for any address.

Django's form looks the address up, makes the token, renders and sends the mail
inside the request. An address with an account was answered in 19 ms and an unknown
one in 9 ms (longer still with a slow mail server), so the answer's time told who has
an account. Here the request only validates the form; looking the address up and
sending the mail happen on a thread started once the request's transaction commits,
and the answer never waits for them.

Set ``WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "cms.password_reset.PasswordResetForm"``.
"""

from __future__ import annotations

import logging
import threading

from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.sites.shortcuts import get_current_site
from django.db import connections, transaction
from django.utils import translation
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

logger = logging.getLogger(__name__)


class PasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's form; ``save`` hands the lookup and the mail to a thread."""

    def save(self, *, request=None, domain_override=None, **options) -> None:
        if not domain_override:
            # The thread has no request: resolve the site (host name) now.
            site = get_current_site(request)
            domain_override = site.domain
            options["extra_email_context"] = {
                "site_name": site.name,
                **(options.get("extra_email_context") or {}),
            }
        options.update(domain_override=domain_override, request=None)
        language = translation.get_language()
        transaction.on_commit(lambda: _start(self, options, language))


def _start(form: PasswordResetForm, options: dict, language: str) -> None:
    # Not a daemon: a worker shutting down lets a mail in progress finish.
    threading.Thread(
        target=_send,
        args=(form, options, language),
        name="password-reset-mail",
    ).start()


def _send(form: PasswordResetForm, options: dict, language: str) -> None:
    try:
        with translation.override(language):
            DjangoPasswordResetForm.save(form, **options)
    except Exception:
        # Django's own send_mail logs a failed send; this is anything before it.
        logger.exception("password reset mail not sent")
    finally:
        connections.close_all()  # this thread's own database connection
