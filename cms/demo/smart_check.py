"""Demo: the first demo library requires the SMART check (minimum 4 of 5).

Its projects loaded as drafts then meet the check when an editor submits them, or
come back with what is missing; the other libraries show the default (off).
"""

from __future__ import annotations

from bm_pages.actions.smart_check import SetSmartCheckAction
from bm_pages.models import LibraryPage, SmartCheckTask

DEMO_MIN_SCORE = 4


def ensure_demo_smart_check(library: LibraryPage) -> None:
    """Turn the check on once; a later run leaves what an approver set alone."""
    if SmartCheckTask.objects.filter(library=library).exists():
        return
    SetSmartCheckAction(
        library, user=None, required=True, min_score=DEMO_MIN_SCORE
    ).execute(skip_permission_checks=True)
