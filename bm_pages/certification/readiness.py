"""Readiness per norm of the certification framework."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from bm_pages.models import (
    LibraryPage,
    WorkField,
)

if TYPE_CHECKING:
    pass

from bm_pages.certification.dates import judged_on
from bm_pages.certification.environment import DocumentItem, document_items
from bm_pages.certification.portal import ProjectEntry, library_projects


class ReadinessStatus:
    READY = "ready"
    ATTENTION = "attention"
    MISSING = "missing"


@dataclass
class NormReadiness:
    """How ready a library is on one norm (or module) of the framework.

    ``evidence``: documents naming the norm among the norms they evidence;
    ``overdue_evidence``: those past their review date; ``projects``: regular
    projects contributing to the norm (work fields); ``assurance``: assurance
    projects for the norm, ``overdue_assurance`` those whose review has passed.

    Status: ``missing`` without any evidence document; ``attention`` when some
    evidence is past its review date or an assurance project for the norm is
    overdue; ``ready`` otherwise.
    """

    norm: WorkField
    evidence: list[DocumentItem]
    projects: list[ProjectEntry]
    assurance: list[ProjectEntry]

    @property
    def overdue_evidence(self) -> list[DocumentItem]:
        return [item for item in self.evidence if item.overdue]

    @property
    def current_evidence(self) -> list[DocumentItem]:
        return [item for item in self.evidence if not item.overdue]

    @property
    def overdue_assurance(self) -> list[ProjectEntry]:
        return [entry for entry in self.assurance if entry.review_overdue]

    @property
    def status(self) -> str:
        if not self.evidence:
            return ReadinessStatus.MISSING
        if self.overdue_evidence or self.overdue_assurance:
            return ReadinessStatus.ATTENTION
        return ReadinessStatus.READY

    @property
    def status_label(self) -> str:
        return {
            ReadinessStatus.READY: _("ready"),
            ReadinessStatus.ATTENTION: _("needs attention"),
            ReadinessStatus.MISSING: _("no evidence"),
        }[self.status]


@dataclass
class Readiness:
    """The readiness overview: one row per norm, and modules in use."""

    library: LibraryPage
    rows: list[NormReadiness]
    today: datetime.date

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {
            ReadinessStatus.READY: self.count(ReadinessStatus.READY),
            ReadinessStatus.ATTENTION: self.count(ReadinessStatus.ATTENTION),
            ReadinessStatus.MISSING: self.count(ReadinessStatus.MISSING),
        }


def readiness_overview(
    library: LibraryPage, *, today: datetime.date | None = None
) -> Readiness:
    """Per norm of the framework: evidence documents, related projects, status.

    All seven norms are listed; a module only when the library has evidence or
    projects for it. Projects count from every plan of the library, drafts
    included (as drafted).
    """
    today = judged_on(today)
    items = document_items(library, today)
    projects = library_projects(library, today=today)
    evidence_by_norm: dict[int, list[DocumentItem]] = defaultdict(list)
    for item in items:
        for norm in item.norms:
            evidence_by_norm[norm.pk].append(item)
    projects_by_norm: dict[int, list[ProjectEntry]] = defaultdict(list)
    for entry in projects:
        for wf in entry.page.work_fields.all():
            projects_by_norm[wf.pk].append(entry)
    rows = []
    for norm in WorkField.objects.all():
        evidence = evidence_by_norm.get(norm.pk, [])
        related = projects_by_norm.get(norm.pk, [])
        if norm.kind != WorkField.Kind.NORM and not evidence and not related:
            continue
        rows.append(
            NormReadiness(
                norm=norm,
                evidence=evidence,
                projects=[e for e in related if not e.page.is_assurance],
                assurance=[e for e in related if e.page.is_assurance],
            )
        )
    return Readiness(library=library, rows=rows, today=today)
