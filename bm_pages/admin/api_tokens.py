"""Admin: API keys ("API-sleutels") for the authenticated API.

Every user creates, replaces and revokes their own key (DRF ``authtoken``) under
Account → API-sleutels; superusers also see every key and can create or revoke
one for any user (Settings → API-sleutels). A new key is shown once, right after it
is made. API clients send it as ``Authorization: Token <key>``; a revoked key stops
working at once. Its hooks are registered in ``bm_pages/wagtail_hooks.py``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token
from wagtail.admin import messages

from bm_pages.actions.api_keys import (
    LOG_CREATE,
    LOG_REVOKE,
    CreateApiKeyAction,
    RevokeApiKeyAction,
)
from bm_pages.converters import parse_database_id

KEY_PREVIEW_LENGTH = 6


def key_preview(token: Token) -> str:
    """The first characters of a key, enough to recognise it, useless to sign in."""
    return f"{token.key[:KEY_PREVIEW_LENGTH]}…"


def _target_user(request: HttpRequest):
    """The user whose key a POST is about: oneself unless ``user`` names another
    (whether one may manage that key is the action's rule)."""
    user_id = request.POST.get("user")
    if not user_id or str(user_id) == str(request.user.pk):
        return request.user
    if not request.user.is_superuser:
        raise PermissionDenied  # not even whether that user exists
    pk = parse_database_id(user_id)
    if pk is None:
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=pk, is_active=True)


@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the keys one may manage; POST ``action=create|revoke`` (and ``user``)."""
    new_key = None
    new_key_user = None
    if request.method == "POST":
        target = _target_user(request)
        action = request.POST.get("action")
        if action == "create":
            token = CreateApiKeyAction(target, user=request.user).execute()
            new_key, new_key_user = token.key, target
        elif action == "revoke":
            if RevokeApiKeyAction(target, user=request.user).execute():
                messages.success(
                    request,
                    _("The API key of %(user)s was revoked.")
                    % {"user": target.get_username()},
                )
            return redirect("bm_api_tokens:index")
        else:
            messages.error(request, _("Unknown action."))
            return redirect("bm_api_tokens:index")

    own_token = Token.objects.filter(user=request.user).first()
    context = {
        "page_title": _("API keys"),
        "header_icon": "key",
        "own_token": own_token,
        "own_preview": key_preview(own_token) if own_token else "",
        "new_key": new_key,
        "new_key_user": new_key_user,
        "is_superuser": request.user.is_superuser,
        "docs_url": reverse("api-docs") if _has_url("api-docs") else "",
    }
    if request.user.is_superuser:
        context["all_tokens"] = [
            {"token": token, "preview": key_preview(token)}
            for token in Token.objects.select_related("user").order_by("user__username")
        ]
        context["users_without_token"] = (
            get_user_model()
            .objects.filter(is_active=True, auth_token__isnull=True)
            .order_by("username")
        )
    return TemplateResponse(
        request, "bm_pages/admin/api/api_tokens.html", context, status=200
    )


def _has_url(name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def api_tokens_account_item(request):
    return {
        "url": reverse("bm_api_tokens:index"),
        "label": _("API keys"),
        "help_text": _(
            "Create or revoke the key that lets API clients work on your behalf."
        ),
    }


def register_token_log_actions(actions):
    actions.register_action(
        LOG_CREATE,
        gettext_lazy("Create API key"),
        gettext_lazy("API key created"),
    )
    actions.register_action(
        LOG_REVOKE,
        gettext_lazy("Revoke API key"),
        gettext_lazy("API key revoked"),
    )
