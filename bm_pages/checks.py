"""System checks: what a host site must set for bm_pages to work, said plainly."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DOCUMENT_MODEL = "bm_pages.LibraryDocument"
FRONTEND_LOGIN_TEMPLATE = "bm_pages/frontend_login.html"


@register(Tags.compatibility)
def document_model_check(app_configs=None, **kwargs) -> list[Error]:
    """The certification environment files, shares and serves ``LibraryDocument``."""
    configured = getattr(settings, "WAGTAILDOCS_DOCUMENT_MODEL", "wagtaildocs.Document")
    if configured == DOCUMENT_MODEL:
        return []
    return [
        Error(
            f"WAGTAILDOCS_DOCUMENT_MODEL is {configured!r}; bm_pages needs "
            f"{DOCUMENT_MODEL!r}.",
            hint=(
                f'Set WAGTAILDOCS_DOCUMENT_MODEL = "{DOCUMENT_MODEL}" in your settings: '
                "library documents carry their library, norms and visibility, which "
                "the document environment, the audit portal and the sharing rules read."
            ),
            id="bm_pages.E001",
        )
    ]


@register(Tags.templates)
def frontend_login_check(app_configs=None, **kwargs) -> list[Warning]:
    """Auditors sign in on Wagtail's front-end login page; ours speaks their language."""
    if getattr(settings, "WAGTAIL_FRONTEND_LOGIN_TEMPLATE", None):
        return []
    return [
        Warning(
            "WAGTAIL_FRONTEND_LOGIN_TEMPLATE is not set: auditors opening the audit "
            "portal will sign in on Wagtail's plain login page.",
            hint=f'Set WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "{FRONTEND_LOGIN_TEMPLATE}".',
            id="bm_pages.W001",
        )
    ]
