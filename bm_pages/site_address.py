"""The Wagtail Site's address: the one the product really runs at.

Wagtail builds every absolute page link (the API's ``html_url``, provenance source
addresses, the matcher's "Openen" links, e-mails) from the Site's hostname and
port, and the admin names the dashboard after it. Left at Wagtail's default that is
``http://localhost/`` everywhere. The demo and ``setup_library`` call
:func:`point_site_at` with the configured base URL (``WAGTAILADMIN_BASE_URL``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_and_port(base_url: str) -> tuple[str, int]:
    """``("biblio.example.nl", 443)`` for ``"https://biblio.example.nl/"``.

    :raises ValidationError: when ``base_url`` is not an http(s) address with a host.
    """
    refusal = ValidationError(
        _("%(url)s is not a web address such as https://biblio.example.nl/.")
        % {"url": base_url}
    )
    parts = urlsplit((base_url or "").strip())
    try:
        port = parts.port
    except ValueError as error:  # a port that is not a number, or out of range
        raise refusal from error
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise refusal
    return parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def point_site_at(base_url: str | None = None) -> Site:
    """Give the default Site the hostname and port of ``base_url`` (default: the
    ``WAGTAILADMIN_BASE_URL`` setting) and the product's name, and return it.

    :raises ValidationError: when the address is not usable.
    :raises Site.DoesNotExist: when there is no default site.
    """
    hostname, port = host_and_port(
        base_url or getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    )
    site = Site.objects.get(is_default_site=True)
    changed = {
        "hostname": hostname,
        "port": port,
        "site_name": site.site_name
        or getattr(settings, "WAGTAIL_SITE_NAME", "Biblio Monitor"),
    }
    if any(getattr(site, name) != value for name, value in changed.items()):
        for name, value in changed.items():
            setattr(site, name, value)
        site.save()
    return site


# The same option in every command that sets up the site (setup_library, the host's
# load_demo_data).


def add_base_url_argument(parser) -> None:
    parser.add_argument(
        "--base-url",
        default=None,
        help=(
            "The address the product runs at, e.g. https://biblio.example.nl/; "
            "the site's links use it (default: the WAGTAILADMIN_BASE_URL setting)."
        ),
    )


def point_site_at_for_command(base_url: str | None) -> Site:
    """:func:`point_site_at` for a management command: a bad address is a
    ``CommandError`` saying why, before anything changes."""
    try:
        return point_site_at(base_url)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error


# Absolute links in e-mails ---------------------------------------------------------

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}


def absolute_url(path: str) -> str:
    """``path`` (an admin or site path) as a full address the reader can open.

    The default Site's address when it has been pointed at the product (see
    :func:`point_site_at`); while it still has Wagtail's ``localhost``, the
    ``WAGTAILADMIN_BASE_URL`` setting.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and site.hostname not in LOCAL_HOSTS:
        base = site.root_url
    else:
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    return base.rstrip("/") + path
