"""The audit portal's views: the read-only pages an auditor opens.

``AuditPortalPage`` (``bm_pages.models.certification``) routes its URLs here; the
module is handed to the model in ``BmPagesConfig.ready()`` so the model imports none
of the read models and rules it serves.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST
from wagtail.wagtail_hooks import require_wagtail_login

from bm_pages.certification.assurance import library_assurance
from bm_pages.certification.environment import document_environment
from bm_pages.certification.portal import library_plans, library_project, portal_counts
from bm_pages.certification.readiness import readiness_overview
from bm_pages.converters import parse_database_id
from bm_pages.documents_access import user_can_view_document
from bm_pages.models import PolicyTopic, WorkField
from bm_pages.permissions import may_view_audit_portal

PORTAL_TEMPLATES = "bm_pages/audit/"


def refusal(portal, request):
    """The response for a visitor who may not see the portal, or None to go on.

    Also remembers the portal's library on the request for the view that follows.
    """
    library = portal.library
    if not request.user.is_authenticated:
        return require_wagtail_login(next=request.get_full_path())
    if not may_view_audit_portal(request.user, library):
        response = TemplateResponse(
            request,
            f"{PORTAL_TEMPLATES}no_access.html",
            {"page": portal, "library": library},
            status=403,
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
    request.bm_portal_library = library
    return None


def _library(portal, request):
    library = getattr(request, "bm_portal_library", None)
    return library if library is not None else portal.library


def _render(portal, request, template: str, section: str, **context):
    library = _library(portal, request)
    context.update(
        {
            "library": library,
            "section": section,
            "portal": portal,
            "counts": portal_counts(library),
        }
    )
    return portal.render(
        request,
        template=f"{PORTAL_TEMPLATES}{template}",
        context_overrides=context,
    )


def overview(portal, request):
    library = _library(portal, request)
    assurance = library_assurance(library)
    return _render(
        portal,
        request,
        "overview.html",
        "overview",
        readiness=readiness_overview(library),
        overdue_assurance=[e.project for e in assurance if e.project.review_overdue],
        assurance_count=len(assurance),
    )


def documents(portal, request):
    filters = _taxonomy_filters(request)
    environment = document_environment(_library(portal, request), **filters)
    return _render(
        portal,
        request,
        "documents.html",
        "documents",
        environment=environment,
        work_fields=WorkField.objects.all(),
        policy_topics=PolicyTopic.objects.all(),
        selected=filters,
    )


def plans(portal, request):
    return _render(
        portal,
        request,
        "plans.html",
        "plans",
        plans=library_plans(_library(portal, request)),
    )


def project(portal, request, project_id: int):
    entry = library_project(_library(portal, request), project_id)
    if entry is None:
        raise Http404
    page = entry.page
    log = []
    for item in sorted(
        page.phase_log.select_related("evidence"),
        key=lambda e: (e.date, e.sort_order or 0),
    ):
        try:
            evidence = item.evidence
        except ObjectDoesNotExist:
            evidence = None
        if evidence is not None and not user_can_view_document(request.user, evidence):
            evidence = None
        log.append({"entry": item, "evidence": evidence})
    return _render(
        portal,
        request,
        "project.html",
        "plans",
        entry=entry,
        project=page,
        phase_log=log,
        indicators=list(page.indicators.all()),
        activities=list(page.activities.all()),
        checks=sorted(
            page.assurance_checks.all(),
            key=lambda c: (c.date, c.sort_order or 0),
            reverse=True,
        ),
        phase_steps=_phase_steps(page),
    )


def assurance(portal, request):
    return _render(
        portal,
        request,
        "assurance.html",
        "assurance",
        assurance=library_assurance(_library(portal, request)),
    )


def readiness(portal, request):
    return _render(
        portal,
        request,
        "readiness.html",
        "readiness",
        readiness=readiness_overview(_library(portal, request)),
    )


@require_POST
def sign_out(request):
    """Sign out and go to the site's home page (auditors cannot use the admin's)."""
    logout(request)
    return redirect("/")


def _taxonomy_filters(request) -> dict:
    """The portal's document filters from the query string; unknown values are ignored."""
    filters: dict = {}
    for key, model in (("work_field", WorkField), ("policy_topic", PolicyTopic)):
        pk = parse_database_id(request.GET.get(key))
        filters[key] = model.objects.filter(pk=pk).first() if pk is not None else None
    filters["overdue_only"] = request.GET.get("overdue") == "1"
    return filters


def _phase_steps(project) -> list[dict]:
    phases = list(project.Phase.values)
    current = phases.index(project.phase) if project.phase in phases else 0
    return [
        {
            "value": value,
            "label": label,
            "current": index == current,
            "passed": index < current,
        }
        for index, (value, label) in enumerate(project.Phase.choices)
    ]
