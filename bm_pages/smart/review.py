"""The SMART check of what was submitted for review: a task state's revision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_pages.models.smart_check import revision_smart
from bm_pages.smart.rules import SmartResult

if TYPE_CHECKING:
    from wagtail.models import TaskState


def submitted_smart(task_state: TaskState) -> SmartResult | None:
    """The check of the revision ``task_state`` reviews (``None`` if not a project)."""
    return revision_smart(task_state.revision)
