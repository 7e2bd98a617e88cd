"""Authenticated DRF endpoints: the user's annual plans and projects, and the report.

Everything is scoped to the libraries the user edits or approves for (superusers:
all libraries); another library's plan is a 404, not a 403, so ids reveal nothing.
Authentication: a session (the admin) or a token (``Authorization: Token <key>``)
that each user creates and revokes in the admin under "API-sleutels".
"""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from bm_pages.api.policy import ApiPolicyMixin
from bm_pages.api.serializers import (
    AnnualPlanSerializer,
    ApiErrorSerializer,
    PlanFilterSerializer,
    ProjectFilterSerializer,
    ProjectSerializer,
    ReportFormatSerializer,
)
from bm_pages.models import AnnualPlanPage, ProjectPage
from bm_pages.permissions import libraries_worked_for
from bm_pages.reports.annual_report import (
    build_annual_report_docx,
    build_annual_report_pdf,
)

DOCX_MEDIA_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
PDF_MEDIA_TYPE = "application/pdf"
logger = logging.getLogger(__name__)
# Wagtail's page ids are 32-bit; a larger id matches no page (and would overflow
# SQLite's or PostgreSQL's integer parameters rather than simply miss).
MAX_PAGE_ID = 2**31 - 1

ERROR_RESPONSES = {
    400: OpenApiResponse(ApiErrorSerializer, description="Invalid query parameters."),
    401: OpenApiResponse(ApiErrorSerializer, description="Not signed in or bad token."),
    403: OpenApiResponse(ApiErrorSerializer, description="Not allowed."),
    429: OpenApiResponse(ApiErrorSerializer, description="Too many requests."),
}


class IsLibraryWorker(permissions.BasePermission):
    """Lets in users who edit or approve for the object's library (and superusers)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        library_id = (
            obj.library_id if isinstance(obj, AnnualPlanPage) else obj.plan.library_id
        )
        return libraries_worked_for(request.user).filter(pk=library_id).exists()


class ListPagination(LimitOffsetPagination):
    """``?limit=`` (default 50, at most 200) and ``?offset=``."""

    default_limit = 50
    max_limit = 200


class _FileRenderer(BaseRenderer):
    """Passes the report's bytes through."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DocxRenderer(_FileRenderer):
    media_type = DOCX_MEDIA_TYPE
    format = "docx"


class PdfRenderer(_FileRenderer):
    media_type = PDF_MEDIA_TYPE
    format = "pdf"


class ReportFailed(exceptions.APIException):
    """The report could not be built (a bug, not the plan's content): a JSON 500."""

    status_code = 500
    default_detail = _(
        "The annual report could not be produced. Please try again later."
    )
    default_code = "report_failed"


class ReportContentNegotiation(DefaultContentNegotiation):
    """``?format=`` other than docx or pdf is a 400 with the choices, not a 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404 as exc:
            field = ReportFormatSerializer().fields["format"]
            message = str(field.error_messages["invalid_choice"])
            raise exceptions.ValidationError({"format": [message]}) from exc


def _filter_by_library(queryset: QuerySet, value: str, lookup: str) -> QuerySet:
    """``library`` as a page id or a slug; an id no page can have matches nothing."""
    if value.isdigit():
        if int(value) > MAX_PAGE_ID:
            return queryset.none()
        return queryset.filter(**{lookup: int(value)})
    return queryset.filter(**{f"{lookup}__slug": value})


def _validated_query(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(
        summary="The annual plans of your libraries",
        parameters=[PlanFilterSerializer],
        responses={200: AnnualPlanSerializer(many=True), **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One annual plan",
        responses={
            200: AnnualPlanSerializer,
            404: OpenApiResponse(ApiErrorSerializer),
            **ERROR_RESPONSES,
        },
    ),
)
class PageReadOnlyViewSet(ApiPolicyMixin, viewsets.ReadOnlyModelViewSet):
    """Detail routes take a page id; one no page can have is a clean 404."""

    lookup_value_regex = r"[0-9]+"

    def get_object(self):
        if int(self.kwargs[self.lookup_url_kwarg or self.lookup_field]) > MAX_PAGE_ID:
            raise exceptions.NotFound()
        try:
            return super().get_object()
        except Http404:
            # DRF would pass on Django's English "No ProjectPage matches the given
            # query."; the plain NotFound speaks the client's language.
            raise exceptions.NotFound() from None


class AnnualPlanViewSet(PageReadOnlyViewSet):
    """Annual plans (drafts included) of the libraries you edit or approve for."""

    serializer_class = AnnualPlanSerializer
    permission_classes = [IsLibraryWorker]
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[AnnualPlanPage]:
        queryset = (
            AnnualPlanPage.objects.filter(
                library__in=libraries_worked_for(self.request.user)
            )
            .select_related("library")
            .prefetch_related("focus_areas")
            .order_by("library__title", "-year", "pk")
        )
        if self.action == "list":
            params = _validated_query(PlanFilterSerializer, self.request)
            if "library" in params:
                queryset = _filter_by_library(queryset, params["library"], "library")
            if "year" in params:
                queryset = queryset.filter(year=params["year"])
        return queryset

    def get_throttles(self):
        if self.action == "report":
            self.throttle_scope = "report"
        return super().get_throttles()

    @extend_schema(
        summary="The annual report (jaarverslag) of a plan, as Word or PDF",
        description=(
            "Ordered by focus area: each published project's SMART card, indicator "
            "targets and results, PDCA status and evaluation, and a chart of projects "
            "per phase. `format` chooses the file type (default docx)."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["docx", "pdf"],
                required=False,
                description="File type of the report.",
            )
        ],
        responses={
            (200, DOCX_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            (200, PDF_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(ApiErrorSerializer),
            500: OpenApiResponse(
                ApiErrorSerializer, description="The report could not be produced."
            ),
            **ERROR_RESPONSES,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[DocxRenderer, PdfRenderer],
        content_negotiation_class=ReportContentNegotiation,
    )
    def report(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        fmt = request.accepted_renderer.format
        builder = build_annual_report_pdf if fmt == "pdf" else build_annual_report_docx
        try:
            content = builder(plan)
        except Exception as exc:
            # Never Django's HTML error page: a JSON error like every other.
            logger.exception("annual report %s of plan %s failed", fmt, plan.pk)
            raise ReportFailed() from exc
        filename = report_filename(plan, fmt)
        return Response(
            content,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors of the report action are JSON like every other error.
        if response.status_code >= 400 and isinstance(
            getattr(response, "accepted_renderer", None), _FileRenderer
        ):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


def report_filename(plan: AnnualPlanPage, fmt: str) -> str:
    library = slugify(plan.library.title) if plan.library_id else "bibliotheek"
    return f"jaarverslag-{library}-{plan.year}.{fmt}"


@extend_schema_view(
    list=extend_schema(
        summary="The projects of your libraries",
        parameters=[ProjectFilterSerializer],
        responses={200: ProjectSerializer(many=True), **ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One project",
        responses={
            200: ProjectSerializer,
            404: OpenApiResponse(ApiErrorSerializer),
            **ERROR_RESPONSES,
        },
    ),
)
class ProjectViewSet(PageReadOnlyViewSet):
    """Projects (drafts included) of the libraries you edit or approve for."""

    serializer_class = ProjectSerializer
    permission_classes = [IsLibraryWorker]
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[ProjectPage]:
        queryset = (
            ProjectPage.objects.filter(
                plan__library__in=libraries_worked_for(self.request.user)
            )
            .select_related("plan", "plan__library", "focus_area")
            .prefetch_related(
                "indicators",
                "activities",
                "phase_log",
                "core_functions",
                "policy_topics",  # the SMART check reads them
            )
            .order_by("path")
        )
        if self.action == "list":
            params = _validated_query(ProjectFilterSerializer, self.request)
            if "plan" in params:
                queryset = queryset.filter(plan_id=params["plan"])
            if "library" in params:
                queryset = _filter_by_library(
                    queryset, params["library"], "plan__library"
                )
            if "year" in params:
                queryset = queryset.filter(plan__year=params["year"])
            if "phase" in params:
                queryset = queryset.filter(phase=params["phase"])
        return queryset
