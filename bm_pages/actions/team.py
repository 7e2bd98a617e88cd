"""A library's team: grant a role, add a new member, take a role away.

The library's approvers and superusers manage its team (``permissions.approves_for``).
A library keeps at least one approver: only a superuser may take away the last one.
Every step is written to the library page's history (Wagtail's log).
``check()`` raises ``TeamPermissionError`` (a ``PermissionDenied``) when the acting
user may not, and ``TeamError`` (a ``ValidationError``) when the step cannot be
taken: ``not_set_up`` (the library has no role groups yet) or ``last_approver``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from bm_pages.models import LibraryGroup, LibraryMembership, LibraryPage
from bm_pages.permissions import approves_for
from bm_pages.roles import LibraryRole, grant_role, revoke_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

LOG_GRANT = "bm_pages.team.grant"
LOG_REVOKE = "bm_pages.team.revoke"


class TeamPermissionError(PermissionDenied):
    """Only the library's approvers and superusers manage its team."""


class TeamError(ValidationError):
    """The step cannot be taken: ``code`` is ``not_set_up`` or ``last_approver``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)

    def __str__(self) -> str:
        return str(self.message)


def _check_manager(user, library: LibraryPage) -> None:
    if not approves_for(user, library):
        raise TeamPermissionError(
            _("Only the library's approvers can manage its team.")
        )


def _check_set_up(library: LibraryPage) -> None:
    if not LibraryGroup.objects.filter(library=library).exists():
        raise TeamError(
            _("Set up this library before adding members."), code="not_set_up"
        )


def _log(library: LibraryPage, action: str, user, member, role: str, **data) -> None:
    log(
        instance=library,
        action=action,
        user=user,
        data={"member": member.get_username(), "role": str(role), **data},
    )


class GrantRoleAction:
    """Give ``member`` the ``role`` in ``library`` (again: updates the end date).

    :param user: an approver of ``library`` or a superuser.
    :param expires_on: the date the role stops working (auditors have one).
    :raises TeamPermissionError, TeamError: see the module.
    :raises ValidationError: an auditor's end date too far ahead.
    """

    def __init__(
        self,
        library: LibraryPage,
        member: AbstractBaseUser,
        role: str,
        *,
        user: AbstractBaseUser,
        expires_on: datetime.date | None = None,
    ) -> None:
        self.library = library
        self.member = member
        self.role = LibraryRole(role)
        self.user = user
        self.expires_on = expires_on

    def check(self, skip_permission_checks: bool = False) -> None:
        if not skip_permission_checks:
            _check_manager(self.user, self.library)
        _check_set_up(self.library)

    def execute(self, skip_permission_checks: bool = False) -> LibraryMembership:
        self.check(skip_permission_checks)
        with transaction.atomic():
            membership = grant_role(
                self.library,
                self.member,
                self.role,
                granted_by=self.user,
                expires_on=self.expires_on,
            )
            _log(
                self.library,
                LOG_GRANT,
                self.user,
                self.member,
                self.role,
                expires_on=self.expires_on.isoformat() if self.expires_on else None,
            )
        return membership


class AddMemberAction(GrantRoleAction):
    """Create an account and give it ``role`` in ``library``.

    The account gets a random password nobody sees: Django sends password reset
    links only to accounts with a usable password, and the new member chooses
    their own through one (the admin sends it).

    :returns: the membership; ``membership.user`` is the new account.
    """

    def __init__(
        self,
        library: LibraryPage,
        role: str,
        *,
        user: AbstractBaseUser,
        username: str,
        email: str,
        first_name: str = "",
        last_name: str = "",
        expires_on: datetime.date | None = None,
    ) -> None:
        new_member = get_user_model()(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        super().__init__(library, new_member, role, user=user, expires_on=expires_on)

    def execute(self, skip_permission_checks: bool = False) -> LibraryMembership:
        self.check(skip_permission_checks)
        with transaction.atomic():
            self.member.set_password(get_random_string(40))
            self.member.save()
            return super().execute(skip_permission_checks)


class RevokeRoleAction:
    """Take a membership's role away (the membership and the role's group).

    :param user: an approver of the library or a superuser; only a superuser may
        take away the library's last active approver.
    """

    def __init__(self, membership: LibraryMembership, *, user: AbstractBaseUser):
        self.membership = membership
        self.user = user

    @property
    def library(self) -> LibraryPage:
        return self.membership.library

    def is_last_approver(self) -> bool:
        membership = self.membership
        return (
            membership.role == LibraryRole.APPROVER
            and not LibraryMembership.objects.filter(
                library_id=membership.library_id, role=LibraryRole.APPROVER
            )
            .active()
            .exclude(pk=membership.pk)
            .exists()
        )

    def check(self, skip_permission_checks: bool = False) -> None:
        if skip_permission_checks:
            return
        _check_manager(self.user, self.library)
        if not self.user.is_superuser and self.is_last_approver():
            raise TeamError(
                _("A library needs at least one approver; add another approver first."),
                code="last_approver",
            )

    def execute(self, skip_permission_checks: bool = False) -> None:
        with transaction.atomic():
            # Lock the library's approvers: two approvers removing each other at
            # once must not leave the library without one.
            list(
                LibraryMembership.objects.select_for_update().filter(
                    library_id=self.membership.library_id, role=LibraryRole.APPROVER
                )
            )
            self.check(skip_permission_checks)
            membership = self.membership
            revoke_role(self.library, membership.user, membership.role)
            _log(self.library, LOG_REVOKE, self.user, membership.user, membership.role)
