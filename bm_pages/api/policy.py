"""What every authenticated API view of the apps needs, set on the view itself.

A host site installing bm_pages need not copy our ``REST_FRAMEWORK`` settings: the
views carry their authentication (API key, or the admin session), the sign-in
requirement, the throttles, the OpenAPI schema class and the error body
(``bm_pages.api.exceptions``). A host's ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``
still sets the rates; without it ``BM_PAGES["API_THROTTLE_RATES"]`` does.
"""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.openapi import AutoSchema
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated

from bm_pages.api.exceptions import api_exception_handler
from bm_pages.api.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    UserRateThrottle,
)


class ApiPolicyMixin:
    """Mix into every DRF view of the authenticated API (before the DRF base)."""

    # API key first: a client without credentials gets 401 with
    # "WWW-Authenticate: Token" rather than 403.
    authentication_classes: ClassVar[list] = [
        TokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes: ClassVar[list] = [IsAuthenticated]
    throttle_classes: ClassVar[list] = [
        AnonRateThrottle,
        UserRateThrottle,
        ScopedRateThrottle,
    ]
    schema = AutoSchema()

    def get_exception_handler(self):
        return api_exception_handler
