"""Completing a cycle of an assurance project (borgingsproject).

An assurance project is made once and recurs: every ``cycle_months`` someone checks
that an agreement is still kept. ``CompleteAssuranceCycleAction`` records such a
check (date, findings, actions, who) as an ``AssuranceCheck`` and moves the project's
``next_review_date`` on by one cycle.

The date rule. The next review is counted from the *previous due date*, not from
the day of the check, so a project keeps the rhythm the library agreed (say, the
end of every quarter). A late check must not leave the project overdue, so cycles
that have already passed by the check date are skipped: due 31 March, quarterly,
checked 5 July -> next review 30 September (30 June had passed). A project without
a due date yet counts from the check date. Months are calendar months; a day the
target month lacks becomes its last day (31 January + 1 month = 28 or 29
February), and a due date on the last day of a month stays on the last day of the
month (28 February + 1 month = 31 March; 31 March + 3 months = 30 June, then 30
September, then 31 December).

Moderation. A completed check is a record of something that happened, not
editorial content waiting for approval, and the dashboard, the audit portal and
``manage.py assurance_due`` must stop calling the project overdue at once. So the
action writes the check and the new date straight onto the page as it is live,
and copies both into the page's latest revision (and its live revision), so the
next edit or publication keeps them. It does not publish anything else: a pending
draft stays a draft and a running moderation workflow is left alone. The page's
history gets a "Assurance cycle completed" entry with who did it.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modelcluster.models import get_serializable_data_for_fields
from wagtail.log_actions import log
from wagtail.models import Revision

from bm_pages.models import AssuranceCheck, ProjectPage
from bm_pages.permissions import works_for
from bm_pages.roles import library_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

LOG_ACTION = "bm_pages.complete_assurance_cycle"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (see the module docstring).

    :param day: the date to count from.
    :param months: how many months to add (may be 0).
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return datetime.date(year, month, last_day)
    return datetime.date(year, month, min(day.day, last_day))


def next_review_date(
    previous_due: datetime.date | None, cycle_months: int, checked_on: datetime.date
) -> datetime.date:
    """The next review date after a check on ``checked_on``.

    :param previous_due: the review date the check was for (``None``: none set).
    :param cycle_months: the project's cycle.
    :param checked_on: the date of the check.
    :returns: the first date in the rhythm of ``previous_due`` (one cycle on at
        least) that lies after ``checked_on``.
    """
    if cycle_months < 1:
        raise ValueError("cycle_months must be at least 1")
    if previous_due is None:
        return add_months(checked_on, cycle_months)
    cycles = 1
    candidate = add_months(previous_due, cycle_months)
    while candidate <= checked_on:
        cycles += 1
        # From the original due date each time, so month ends do not drift.
        candidate = add_months(previous_due, cycle_months * cycles)
    return candidate


class CompleteAssuranceCyclePermissionError(PermissionDenied):
    """Only the editors and approvers of the project's library (and superusers)."""


@dataclass
class AssuranceCycleResult:
    """What ``CompleteAssuranceCycleAction.execute()`` did."""

    check: AssuranceCheck
    previous_due: datetime.date | None
    next_due: datetime.date


class CompleteAssuranceCycleAction:
    """Record a completed check of an assurance project and move its next review.

    :param project: the assurance project (``ProjectPage`` of kind assurance).
    :param date: the date of the check; not in the future, not before the last
        recorded check.
    :param findings: what the check found (required).
    :param actions: what will be improved as a result (may be empty).
    :param user: who records it; an editor or approver of the project's library,
        or a superuser.
    :param completed_by: name or role of who carried out the check; defaults to the
        user's name.
    """

    def __init__(
        self,
        project: ProjectPage,
        *,
        date: datetime.date,
        findings: str,
        actions: str = "",
        user: AbstractBaseUser | None,
        completed_by: str = "",
    ) -> None:
        self.project = project
        self.date = date
        self.findings = (findings or "").strip()
        self.actions = (actions or "").strip()
        self.user = user
        self.completed_by = (completed_by or "").strip()

    def check(self, skip_permission_checks: bool = False) -> None:
        """Check permission and input.

        :raises CompleteAssuranceCyclePermissionError: the user may not do this.
        :raises django.core.exceptions.ValidationError: the project or the input
            does not allow it; ``message_dict`` names the field.
        """
        if not skip_permission_checks and not self.user_may_complete(
            self.user, self.project
        ):
            raise CompleteAssuranceCyclePermissionError(
                "Only the library's editors and approvers can complete a cycle."
            )
        errors: dict[str, list[str]] = {}
        project = self.project
        if project.kind != ProjectPage.Kind.ASSURANCE:
            errors.setdefault("__all__", []).append(
                _("Only an assurance project has cycles to complete.")
            )
        elif not project.cycle_months:
            errors.setdefault("__all__", []).append(
                _("Set the project's cycle in months before completing a cycle.")
            )
        if not self.findings:
            errors.setdefault("findings", []).append(
                _("Describe what the check found.")
            )
        if self.date is None:
            errors.setdefault("date", []).append(_("Give the date of the check."))
        else:
            if self.date > timezone.localdate():
                errors.setdefault("date", []).append(
                    _("A check cannot be dated in the future.")
                )
            last = (
                AssuranceCheck.objects.filter(page=project)
                .order_by("-date")
                .values_list("date", flat=True)
                .first()
            )
            if last is not None and self.date < last:
                errors.setdefault("date", []).append(
                    _("The last check was on %(date)s; a new one cannot be earlier.")
                    % {"date": date_format(last, "j F Y")}
                )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def user_may_complete(user: AbstractBaseUser | None, project: ProjectPage) -> bool:
        """Editors and approvers of the project's library, and superusers."""
        return works_for(user, library_of(project))

    def execute(self, skip_permission_checks: bool = False) -> AssuranceCycleResult:
        """Record the check and move the next review date, in one transaction.

        :raises CompleteAssuranceCyclePermissionError: see ``check()``.
        :raises django.core.exceptions.ValidationError: see ``check()``.
        """
        with transaction.atomic():
            # Lock the page row so two people completing at once count two cycles.
            page = ProjectPage.objects.select_for_update().get(pk=self.project.pk)
            self.project = page
            self.check(skip_permission_checks=skip_permission_checks)
            previous_due = page.next_review_date
            next_due = next_review_date(previous_due, page.cycle_months, self.date)
            position = AssuranceCheck.objects.filter(page=page).aggregate(
                top=Max("sort_order")
            )["top"]
            check = AssuranceCheck.objects.create(
                page=page,
                sort_order=0 if position is None else position + 1,
                date=self.date,
                findings=self.findings,
                actions=self.actions,
                completed_by=self.completed_by or self._user_name(),
            )
            ProjectPage.objects.filter(pk=page.pk).update(next_review_date=next_due)
            page.next_review_date = next_due
            self._carry_into_revisions(page, check, next_due)
            log(
                instance=page,
                action=LOG_ACTION,
                user=self.user,
                data={
                    "check_date": self.date.isoformat(),
                    "previous_due": previous_due.isoformat() if previous_due else None,
                    "next_due": next_due.isoformat(),
                },
                content_changed=False,
            )
        return AssuranceCycleResult(
            check=check, previous_due=previous_due, next_due=next_due
        )

    def _user_name(self) -> str:
        if self.user is None:
            return ""
        return (self.user.get_full_name() or self.user.get_username()).strip()

    @staticmethod
    def _carry_into_revisions(
        page: ProjectPage, check: AssuranceCheck, next_due: datetime.date
    ) -> None:
        """Add the check and the date to the latest and the live revision.

        Publishing a revision replaces the page's checks with the revision's, so a
        check missing there would be deleted by the next publication.
        """
        data = get_serializable_data_for_fields(check)
        revision_ids = {page.latest_revision_id, page.live_revision_id} - {None}
        for revision in Revision.objects.filter(pk__in=revision_ids):
            content = dict(revision.content)
            checks = [
                c
                for c in content.get("assurance_checks", [])
                if c.get("pk") != check.pk
            ]
            checks.append(data)
            content["assurance_checks"] = checks
            content["next_review_date"] = next_due.isoformat()
            revision.content = content
            revision.save(update_fields=["content"])
