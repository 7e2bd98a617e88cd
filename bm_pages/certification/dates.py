"""The date a read model judges by."""

from __future__ import annotations

import datetime

from django.utils import timezone


def judged_on(today: datetime.date | None) -> datetime.date:
    """``today`` if given (tests, reports for a date), else the local date."""
    return today or timezone.localdate()
