"""Create and revoke API keys (DRF tokens): one key per user.

Anyone signed in manages their own key; a superuser manages anyone's. Both steps
are written to Wagtail's log (the user's key is the logged object), so a revoked
key leaves a trace like a created one. ``check()`` raises
``ApiKeyPermissionError`` (a ``PermissionDenied``) when the acting user may not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token
from wagtail.log_actions import log

from bm_pages.permissions import is_signed_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

LOG_CREATE = "bm_pages.api_token.create"
LOG_REVOKE = "bm_pages.api_token.revoke"


class ApiKeyPermissionError(PermissionDenied):
    """The user may not manage this user's key."""


def may_manage_key(user, owner) -> bool:
    """Whether ``user`` may create or revoke the key of ``owner``."""
    if not is_signed_in(user):
        return False
    return user.pk == owner.pk or user.is_superuser


class _ApiKeyAction:
    def __init__(self, owner: AbstractBaseUser, *, user: AbstractBaseUser) -> None:
        self.owner = owner
        self.user = user

    def check(self, skip_permission_checks: bool = False) -> None:
        if not skip_permission_checks and not may_manage_key(self.user, self.owner):
            raise ApiKeyPermissionError("You may only manage your own API key.")


class CreateApiKeyAction(_ApiKeyAction):
    """A new key for ``owner``; an existing key is revoked first.

    :returns: the new ``Token`` (its ``key`` is shown once, then only a preview).
    """

    def execute(self, skip_permission_checks: bool = False) -> Token:
        self.check(skip_permission_checks)
        with transaction.atomic():
            for old in Token.objects.select_for_update().filter(user=self.owner):
                log(instance=old, action=LOG_REVOKE, user=self.user)
                old.delete()
            token = Token.objects.create(user=self.owner)
            log(instance=token, action=LOG_CREATE, user=self.user)
        return token


class RevokeApiKeyAction(_ApiKeyAction):
    """Revoke ``owner``'s key.

    :returns: whether there was a key to revoke.
    """

    def execute(self, skip_permission_checks: bool = False) -> bool:
        self.check(skip_permission_checks)
        with transaction.atomic():
            token = Token.objects.select_for_update().filter(user=self.owner).first()
            if token is None:
                return False
            log(instance=token, action=LOG_REVOKE, user=self.user)
            token.delete()
        return True
