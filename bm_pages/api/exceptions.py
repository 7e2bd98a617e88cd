"""One error body for the whole API.

Every error answer of the DRF API (and of the public Wagtail API v2 endpoints) is::

    {"detail": "Human-readable message.", "code": "machine_code",
     "errors": {"field": ["message", ...]}}   # "errors" only for invalid input

``code`` is DRF's error code (``not_found``, ``not_authenticated``,
``authentication_failed``, ``permission_denied``, ``throttled``, ``invalid``, ...).
Set ``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "bm_pages.api.exceptions.api_exception_handler"``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def _first_code(codes: Any) -> str:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        for value in codes.values():
            return _first_code(value)
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    return "error"


def _messages(detail: Any) -> Any:
    """ErrorDetail trees as plain strings (lists per field, nested dicts kept)."""
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_messages(item) for item in detail]
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Any:
    """DRF's handler, with its body reshaped to ``{"detail", "code", "errors"?}``."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        codes = exc.get_codes()
    elif isinstance(exc, Http404):
        # Django's Http404 texts ("No Partnership matches the given query.") are
        # English debugging aids, not answers: every 404 gets DRF's translated one.
        detail = exceptions.NotFound.default_detail
        codes = "not_found"
    else:  # PermissionDenied converted by DRF
        data = response.data if isinstance(response.data, dict) else {}
        detail = data.get("detail", "")
        codes = "not_found" if response.status_code == 404 else "permission_denied"
    if isinstance(exc, exceptions.Throttled):
        # DRF's own Dutch wording for this one is poor ("verstikt").
        detail = (
            _("Too many requests. Try again in %(seconds)d seconds.")
            % {"seconds": exc.wait or 1}
            if exc.wait is not None
            else _("Too many requests. Try again later.")
        )
    if isinstance(detail, (dict, list)):
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        code = (
            "invalid"
            if isinstance(exc, exceptions.ValidationError)
            else _first_code(codes)
        )
        response.data = {
            "detail": _("Invalid input."),
            "code": code,
            "errors": _messages(errors),
        }
    else:
        response.data = {"detail": str(detail), "code": _first_code(codes)}
    return response
