"""Who may produce a library's annual report, and which plans a user works on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_pages.permissions import STAFF_ROLES
from bm_pages.roles import libraries_for_user

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.db.models import QuerySet

    from bm_pages.models import AnnualPlanPage, LibraryPage


def working_libraries(user: AbstractBaseUser | AnonymousUser) -> QuerySet[LibraryPage]:
    """The libraries ``user`` edits or approves for today; every library for superusers.

    Auditors only read the audit portal: they get neither the report nor the
    authenticated plan API.
    """
    from bm_pages.models import LibraryPage

    if not user.is_authenticated or not user.is_active:
        return LibraryPage.objects.none()
    if user.is_superuser:
        return LibraryPage.objects.all().order_by("title")
    pks = set()
    for role in STAFF_ROLES:
        pks.update(libraries_for_user(user, role).values_list("pk", flat=True))
    return LibraryPage.objects.filter(pk__in=pks).order_by("title")


def can_report_on_plan(
    user: AbstractBaseUser | AnonymousUser, plan: AnnualPlanPage
) -> bool:
    """Whether ``user`` may produce the annual report of ``plan``.

    :param user: the requesting user.
    :param plan: the annual plan.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        plan.library_id is not None
        and working_libraries(user).filter(pk=plan.library_id).exists()
    )
