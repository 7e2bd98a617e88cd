"""Where an imported project came from, and what changed at the source since.

On import, :func:`smart_snapshot` stores the source's SMART fields (as the source's
live page had them) in the copy's ``source_snapshot``. :func:`source_changes`
compares that snapshot with the source's current live page, field by field, so the
importing library sees when the project it built on was changed afterwards.
Indicator *results* are left out on purpose: they move all year as the source
measures, and are not what the importer adapted. Drafts of the source never count.

:func:`import_summary` is the other direction: how many libraries imported a
project, and which of them the source library may know by name (its partners).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from bm_pages.models import LibraryPage, ProjectPage
from bm_pages.partnerships import partner_ids

if TYPE_CHECKING:
    from django.utils.functional import Promise

SNAPSHOT_VERSION = 1

# The SMART fields that are compared, in the order the diff shows them.
SMART_FIELDS: dict[str, Promise] = {
    "title": _("Title"),
    "summary": _("Summary"),
    "goal": _("Goal"),
    "target_group": _("Target group"),
    "indicators": _("Indicators"),
    "budget": _("Budget (euro)"),
    "hours": _("Hours"),
    "partners": _("Partners"),
    "core_functions": _("Wsob core functions"),
    "policy_topics": _("Policy topics"),
    "work_fields": _("Work fields"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
}


@dataclass(frozen=True)
class FieldChange:
    """One SMART field that differs between the import snapshot and the source now."""

    name: str
    label: str
    before: str
    after: str


def _figure(value: Decimal | None) -> str:
    if value is None:
        return ""
    normalised = value.normalize()
    text = format(normalised, "f")
    return text


def _indicator_text(indicator) -> str:
    text = f"{indicator.name}: {_figure(indicator.target)}"
    if indicator.unit:
        text += f" {indicator.unit}"
    if indicator.baseline is not None:
        text += f" (nulmeting {_figure(indicator.baseline)})"
    return text


def smart_snapshot(project: ProjectPage) -> dict[str, Any]:
    """The SMART fields of ``project`` (its database row: the live content) as JSON.

    :param project: the project, as stored (for a live page: what the public sees).
    """
    fields: dict[str, Any] = {
        "title": project.title,
        "summary": project.summary,
        "goal": project.goal,
        "target_group": project.target_group,
        "indicators": [_indicator_text(i) for i in project.indicators.all()],
        "budget": _figure(project.budget),
        "hours": "" if project.hours is None else str(project.hours),
        "partners": project.partners,
        "core_functions": sorted(t.name for t in project.core_functions.all()),
        "policy_topics": sorted(t.name for t in project.policy_topics.all()),
        "work_fields": sorted(str(w) for w in project.work_fields.all()),
        "start_date": project.start_date.isoformat() if project.start_date else "",
        "end_date": project.end_date.isoformat() if project.end_date else "",
    }
    return {"version": SNAPSHOT_VERSION, "fields": fields}


def _display(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


def live_source(project: ProjectPage) -> ProjectPage | None:
    """The source of an imported ``project`` as the public sees it, if still live."""
    if not project.source_page_id:
        return None
    return (
        ProjectPage.objects.live()
        .filter(pk=project.source_page_id)
        .prefetch_related(
            "indicators", "core_functions", "policy_topics", "work_fields"
        )
        .first()
    )


def source_changes(project: ProjectPage) -> list[FieldChange]:
    """The SMART fields of ``project``'s source that changed since the import.

    Empty when nothing changed, when ``project`` was not imported, and when the
    source is gone or no longer live (there is nothing live to compare with; see
    :func:`live_source`).

    :param project: an imported project (its ``source_snapshot`` is compared).
    """
    snapshot = (project.source_snapshot or {}).get("fields")
    if not snapshot:
        return []
    source = live_source(project)
    if source is None:
        return []
    current = smart_snapshot(source)["fields"]
    changes = []
    for name, label in SMART_FIELDS.items():
        before, after = snapshot.get(name), current.get(name)
        if before is None and after in ("", []):
            continue
        if before != after:
            changes.append(
                FieldChange(name, str(label), _display(before), _display(after))
            )
    return changes


@dataclass
class ImportSummary:
    """Who imported a project: a count, and the names the source may see."""

    count: int
    partner_names: list[str]

    @property
    def others(self) -> int:
        """Importing libraries that are not named (not partners of the source)."""
        return self.count - len(self.partner_names)


def importing_library_ids(project: ProjectPage) -> set[int]:
    """Ids of the libraries that hold a copy imported from ``project`` (drafts too)."""
    return set(
        ProjectPage.objects.filter(source_page_id=project.pk)
        .exclude(plan__library__isnull=True)
        .values_list("plan__library_id", flat=True)
    )


def import_summary(project: ProjectPage) -> ImportSummary:
    """How many libraries imported ``project``; names only of the source's partners.

    :param project: a project that others may have imported.
    """
    library_ids = importing_library_ids(project)
    if not library_ids:
        return ImportSummary(0, [])
    library = project.library
    named = library_ids & partner_ids(library) if library is not None else set()
    names = list(
        LibraryPage.objects.filter(pk__in=named)
        .order_by("title")
        .values_list("title", flat=True)
    )
    return ImportSummary(len(library_ids), names)
