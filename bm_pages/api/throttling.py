"""Throttles whose rates are read from settings at request time.

DRF's stock throttles copy ``DEFAULT_THROTTLE_RATES`` into a class attribute when
they are imported, so a rate changed later (a test, a settings override) would be
ignored. These read ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` on every request,
and ``BM_PAGES["API_THROTTLE_RATES"]`` for a scope the host does not set.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from bm_pages.conf import get_setting


class _RatesFromSettingsMixin:
    scope: str

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return rate or get_setting("API_THROTTLE_RATES").get(self.scope)


class AnonRateThrottle(_RatesFromSettingsMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by IP address: rate ``anon``."""


class UserRateThrottle(_RatesFromSettingsMixin, throttling.UserRateThrottle):
    """Signed-in users and token clients, per user: rate ``user``."""


class ScopedRateThrottle(_RatesFromSettingsMixin, throttling.ScopedRateThrottle):
    """Views with a ``throttle_scope`` (e.g. ``report``), per user or IP."""

    def allow_request(self, request, view):
        # ScopedRateThrottle resolves the rate here, from the view's scope.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super(throttling.ScopedRateThrottle, self).allow_request(request, view)
