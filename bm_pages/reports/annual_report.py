"""The annual report (jaarverslag) of an annual plan, as Word (.docx) and PDF.

For the municipal council: the library's name and logo, the plan's introduction,
key figures and a chart of projects per PDCA phase, then per focus area (in the
plan's order) each published project's SMART card, its indicators (target against
result), its PDCA status and its evaluation. Projects without a focus area follow
under "Other projects". Headings are Dutch (gettext under ``translation.override``).

Only published (live) projects are reported, in their published version: the report
says what the library has made public, never a draft that was not approved.

    build_annual_report_docx(plan) -> bytes
    build_annual_report_pdf(plan) -> bytes

``data`` collects what is shown, ``chart`` draws the phase chart, ``docx_report`` and
``pdf_report`` lay it out. Both renderers clean every text (``bm_pages.text``) and
let long texts flow across pages: a report never fails on what an editor can save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation

from bm_pages.reports.data import REPORT_LANGUAGE, collect_report
from bm_pages.reports.docx_report import render_docx
from bm_pages.reports.pdf_report import render_pdf

if TYPE_CHECKING:
    from bm_pages.models import AnnualPlanPage

__all__ = [
    "DOCX_MEDIA_TYPE",
    "build_annual_report_docx",
    "build_annual_report_pdf",
    "collect_report",
    "render_docx",
    "render_pdf",
]

DOCX_MEDIA_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


def build_annual_report_docx(plan: AnnualPlanPage) -> bytes:
    """The annual report of ``plan`` as a Word document (.docx bytes).

    :param plan: the annual plan; its published projects are reported.
    """
    with translation.override(REPORT_LANGUAGE):
        return render_docx(collect_report(plan))


def build_annual_report_pdf(plan: AnnualPlanPage) -> bytes:
    """The annual report of ``plan`` as a PDF (bytes).

    :param plan: the annual plan; its published projects are reported.
    """
    with translation.override(REPORT_LANGUAGE):
        return render_pdf(collect_report(plan))
