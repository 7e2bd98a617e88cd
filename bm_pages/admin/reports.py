"""Admin: the annual report (jaarverslag) of a plan with one click, as Word or PDF.

Buttons in the annual plan's page header and in the page listing's "more" menu open
``/admin/bm-reports/annual-report/<plan id>/<docx|pdf>/``, which streams the file.
Only editors and approvers of the plan's library (and superusers) get the buttons
and the file. Its hooks are registered in ``bm_pages/wagtail_hooks.py``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import Button

from bm_pages.api.views import report_filename
from bm_pages.models import AnnualPlanPage
from bm_pages.reports.access import can_report_on_plan
from bm_pages.reports.annual_report import (
    build_annual_report_docx,
    build_annual_report_pdf,
)

MEDIA_TYPES = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": "application/pdf",
}


def annual_report(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    """Build the plan's annual report and send it as a download."""
    if fmt not in MEDIA_TYPES:
        raise Http404
    plan = get_object_or_404(
        AnnualPlanPage.objects.select_related("library"), pk=plan_id
    )
    if not can_report_on_plan(request.user, plan):
        raise PermissionDenied
    builder = build_annual_report_pdf if fmt == "pdf" else build_annual_report_docx
    response = HttpResponse(builder(plan), content_type=MEDIA_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(plan, fmt)}"'
    )
    return response


def report_buttons(page, user, priority: int = 40) -> list[Button]:
    if page.specific_class is not AnnualPlanPage:
        return []
    plan = page.specific_deferred
    if not can_report_on_plan(user, plan):
        return []
    return [
        Button(
            _("Annual report (Word)"),
            url=reverse("bm_reports:annual_report", args=[page.pk, "docx"]),
            icon_name="doc-full",
            priority=priority,
            attrs={
                "data-bm-action": "annual-report-docx",
                "data-bm-menu": "annual-report",
                "download": "",
            },
        ),
        Button(
            _("Annual report (PDF)"),
            url=reverse("bm_reports:annual_report", args=[page.pk, "pdf"]),
            icon_name="doc-full-inverse",
            priority=priority + 1,
            attrs={
                "data-bm-action": "annual-report-pdf",
                "data-bm-menu": "annual-report",
                "download": "",
            },
        ),
    ]


def annual_report_header_buttons(page, user, view_name, next_url=None):
    yield from report_buttons(page, user)


def annual_report_listing_buttons(page, user, next_url=None):
    yield from report_buttons(page, user)
