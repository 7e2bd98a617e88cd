"""Settings of bm_pages, read from the host's ``BM_PAGES`` dict with defaults.

Read through :func:`get_setting` at the moment of use (not at import), so tests can
override ``settings.BM_PAGES`` and a host site only sets what it changes. Everything
else bm_pages needs is Wagtail's or Django's own setting (upload limits, the admin's
base URL, django-axes' lockout).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    # An auditor's access ends at most this many days ahead (team admin, grant_role).
    "AUDITOR_ACCESS_MAX_DAYS": 365,
    # API throttle rates per scope, where the host's REST_FRAMEWORK sets none.
    "API_THROTTLE_RATES": {
        "anon": "120/minute",
        "user": "1200/minute",
        "report": "60/hour",
    },
    # The anonymous public cache (bm_pages/public_cache.py): seconds an answer is
    # kept (a change purges it at once; 0 switches storing off, headers stay), the
    # cache alias (shared by every process: Redis in production), and how many
    # seconds a proxy or CDN in front may keep a public answer (nothing purges it).
    "PUBLIC_CACHE_SECONDS": 600,
    "PUBLIC_CACHE_ALIAS": "default",
    "PUBLIC_CACHE_S_MAXAGE": 1,
    # The rendered project cards of a plan page, per plan, card page and language,
    # kept this many seconds in the public cache's alias and purged with it (0: off).
    # Signed-in readers and every miss of the page cache get them from here.
    "PLAN_CARDS_CACHE_SECONDS": 600,
    # Parts many public answers share, kept this many seconds in the public cache's
    # alias and purged with it (0: off): the search's filter choices and each API v2
    # listing item's representation (``public_cache.kept``/``kept_many``).
    "PUBLIC_PARTS_CACHE_SECONDS": 600,
}


class AppSettings:
    """One app's settings dict: ``setting_name`` in the host's settings, ``defaults``
    for every key it knows. bm_matching's ``BM_MATCHING`` is read the same way."""

    def __init__(self, setting_name: str, defaults: dict[str, Any]) -> None:
        self.setting_name = setting_name
        self.defaults = defaults

    def get(self, name: str) -> Any:
        """Return ``<setting_name>[name]``, or its default.

        :raises ImproperlyConfigured: for a name the app does not know.
        """
        if name not in self.defaults:
            raise ImproperlyConfigured(
                f"{self.setting_name} has no setting called {name!r}."
            )
        configured = getattr(settings, self.setting_name, None) or {}
        return configured.get(name, self.defaults[name])


bm_pages_settings = AppSettings("BM_PAGES", DEFAULTS)


def get_setting(name: str) -> Any:
    """Return ``BM_PAGES[name]``, or its default (a name of :data:`DEFAULTS`)."""
    return bm_pages_settings.get(name)
