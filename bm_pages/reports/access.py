"""Who may produce a library's annual report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_pages.permissions import works_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from bm_pages.models import AnnualPlanPage


def can_report_on_plan(
    user: AbstractBaseUser | AnonymousUser, plan: AnnualPlanPage
) -> bool:
    """Whether ``user`` may produce the annual report of ``plan``: who works for its
    library (auditors only read the audit portal).

    :param user: the requesting user.
    :param plan: the annual plan.
    """
    return plan.library_id is not None and works_for(user, plan.library)
