"""Readiness per norm of the certification framework: the one computation behind
the document environment, the readiness overview in the admin and the audit portal.

Rules, said once here and on every page that shows them:

- a document is evidence for a work field when it names it among the norms it
  evidences *or* is filed under it (a document filed under work field 5 is evidence
  for norm 5);
- the seven norms are always listed and counted;
- a module (Educatieve dienstverlening, Aangepast Lezen, ...) is listed and counted
  like a norm once the library works on it: it has an evidence document or a project
  for it. A module the library does not use is not part of its readiness.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from bm_pages.certification.dates import judged_on
from bm_pages.certification.documents import DocumentItem, document_items
from bm_pages.certification.portal import ProjectEntry, library_projects
from bm_pages.models import LibraryPage, WorkField


class ReadinessStatus:
    READY = "ready"
    ATTENTION = "attention"
    MISSING = "missing"


@dataclass
class NormReadiness:
    """How ready a library is on one norm (or module) of the framework.

    ``evidence``: documents evidencing the norm (named as evidenced or filed under
    it); ``overdue_evidence``: those past their review date; ``projects``: regular
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
    def is_module(self) -> bool:
        return self.norm.kind != WorkField.Kind.NORM

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
    """The readiness overview: one row per norm, and per module in use.

    Every row counts: ``ready_count`` of ``total`` rows are ready.
    """

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

    @property
    def ready_count(self) -> int:
        return self.count(ReadinessStatus.READY)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def without_evidence(self) -> list[WorkField]:
        """The norms and modules in use that no document evidences."""
        return [row.norm for row in self.rows if row.status == ReadinessStatus.MISSING]

    def row_for(self, work_field: WorkField | None) -> NormReadiness | None:
        """The row of ``work_field``, or ``None`` when it is not part of readiness."""
        if work_field is None:
            return None
        return next((row for row in self.rows if row.norm.pk == work_field.pk), None)


def readiness_overview(
    library: LibraryPage,
    *,
    today: datetime.date | None = None,
    items: list[DocumentItem] | None = None,
) -> Readiness:
    """Per norm of the framework: evidence documents, related projects, status.

    All seven norms are listed; a module only when the library has evidence or
    projects for it. Projects count from every plan of the library, drafts
    included (as drafted).

    :param library: the library.
    :param today: the date to judge review dates by (default: today).
    :param items: the library's documents when the caller has them already (the
        document environment), judged by the same ``today``.
    """
    today = judged_on(today)
    if items is None:
        items = document_items(library, today)
    projects = library_projects(library, today=today)
    evidence_by_norm: dict[int, list[DocumentItem]] = defaultdict(list)
    for item in items:
        for norm_id in item.evidenced_ids:
            evidence_by_norm[norm_id].append(item)
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
