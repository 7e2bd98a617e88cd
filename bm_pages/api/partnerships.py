"""Partnerships through the API: requests and decisions, partners and their projects.

- ``GET /api/partnerships/``: partnerships, requests and their history of the
  libraries you edit or approve for; ``POST`` asks a library (``RequestPartnership
  Action``); ``POST /api/partnerships/{id}/accept|decline|end/`` decide and end;
  ``POST /api/partnerships/{id}/withdraw/`` takes a sent request back.
- ``GET /api/partners/``: your libraries' partners (partnerships and network links);
  ``GET /api/partners/{library_id}/projects/``: a partner's live projects in full;
  ``POST /api/partners/{library_id}/end/`` ends whatever links you (also a network
  default link).

Refusals use the API's error body: 403 ``permission_denied`` for role failures, 409
with the partnership code (``already_active``, ``pending``, ...) for a step that does
not fit the state, 400 for bad input, 404 for partnerships of other libraries.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from bm_pages.actions.partnerships import (
    AcceptPartnershipAction,
    DeclinePartnershipAction,
    EndPartnershipAction,
    PartnershipError,
    PartnershipPermissionError,
    RequestPartnershipAction,
    WithdrawPartnershipAction,
)
from bm_pages.admin.partners import partner_projects
from bm_pages.api.partnership_serializers import (
    MAX_ID,
    EndPartnerSerializer,
    PartnerProjectSerializer,
    PartnerSerializer,
    PartnershipRequestSerializer,
    PartnershipSerializer,
)
from bm_pages.api.policy import ApiPolicyMixin
from bm_pages.api.serializers import ApiErrorSerializer
from bm_pages.api.views import ListPagination
from bm_pages.models import LibraryPage, Partnership
from bm_pages.partnerships import are_partners, link_between, partner_ids
from bm_pages.permissions import libraries_worked_for, staff_libraries

INPUT_ERRORS = {"self", "invalid"}


class PartnershipConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The partnership is not in a state that allows this."
    default_code = "conflict"


def raise_for(error: Exception) -> None:
    """Turn an action's refusal into the API's error answer."""
    if isinstance(error, PartnershipPermissionError):
        raise exceptions.PermissionDenied(str(error)) from error
    if isinstance(error, PartnershipError):
        if error.code in INPUT_ERRORS:
            raise exceptions.ValidationError(
                {"partner": [str(error)]}, code=error.code
            ) from error
        raise PartnershipConflict(str(error), code=error.code) from error
    raise error


def _library(pk: int, field: str) -> LibraryPage:
    library = LibraryPage.objects.select_related("network").filter(pk=pk).first()
    if library is None:
        raise exceptions.ValidationError(
            {field: [_("There is no library with this id.")]}
        )
    return library


def _my_library(request: Request, pk: int | None, candidates=None) -> LibraryPage:
    """The user's library to act for: ``pk``, or their only (linked) library."""
    mine = libraries_worked_for(request.user)
    if not mine.exists():
        raise exceptions.PermissionDenied(
            _("Only editors and approvers of a library can ask for partnerships.")
        )
    if candidates is not None:
        mine = mine.filter(pk__in=candidates)
    if pk is not None:
        library = mine.filter(pk=pk).first()
        if library is None:
            raise exceptions.ValidationError(
                {"library": [_("You do not work for this library.")]}
            )
        return library
    libraries = list(mine[:2])
    if len(libraries) != 1:
        raise exceptions.ValidationError(
            {
                "library": [
                    _("Say on behalf of which of your libraries (the library field).")
                ]
            }
        )
    return libraries[0]


ERRORS = {
    401: OpenApiResponse(ApiErrorSerializer, description="Not signed in or bad token."),
    403: OpenApiResponse(
        ApiErrorSerializer, description="Your role does not allow it."
    ),
    404: OpenApiResponse(ApiErrorSerializer, description="Not one of your libraries'."),
}
DECISION_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        ApiErrorSerializer,
        description="Not possible in the partnership's state; `code` says why "
        "(already_active, already_decided, not_requested, not_active).",
    ),
}


class PartnershipViewSet(
    ApiPolicyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Partnerships and requests of the libraries you edit or approve for."""

    serializer_class = PartnershipSerializer
    pagination_class = ListPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[Partnership]:
        ids = list(libraries_worked_for(self.request.user).values_list("pk", flat=True))
        queryset = Partnership.objects.select_related(
            "library_a",
            "library_b",
            "requested_by_library",
            "requested_by",
            "ended_by_library",
        )
        if not self.request.user.is_superuser:
            queryset = queryset.involving(*ids)
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted:
            if wanted not in Partnership.Status.values:
                raise exceptions.ValidationError(
                    {
                        "status": [
                            _("Use requested, active, declined, ended or withdrawn.")
                        ]
                    }
                )
            queryset = queryset.filter(status=wanted)
        return queryset

    def get_object(self) -> Partnership:
        if int(self.kwargs["pk"]) > 2**63 - 1:
            raise exceptions.NotFound
        return super().get_object()

    @extend_schema(
        summary="Partnerships, requests and their history",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=list(Partnership.Status.values),
                description="Only rows with this status.",
            )
        ],
        responses={200: PartnershipSerializer(many=True), **ERRORS},
        tags=["partnerships"],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One partnership or request",
        responses={200: PartnershipSerializer, **ERRORS},
        tags=["partnerships"],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Ask a library for a partnership",
        description=(
            "Editors and approvers ask on behalf of their library (`library`, "
            "optional when they work for one). Refused with 400 for asking oneself, "
            "409 `already_partners` for an existing partner (also through the "
            "regional network) and 409 `pending` when a request between the two is "
            "open."
        ),
        request=PartnershipRequestSerializer,
        responses={
            201: PartnershipSerializer,
            400: OpenApiResponse(ApiErrorSerializer, description="Bad input."),
            **DECISION_ERRORS,
        },
        tags=["partnerships"],
    )
    def create(self, request: Request) -> Response:
        params = PartnershipRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        partner = _library(data["partner"], "partner")
        library = _my_library(request, data.get("library"))
        try:
            row = RequestPartnershipAction(
                library, partner, request.user, message=data["message"]
            ).execute()
        except (PartnershipPermissionError, PartnershipError) as error:
            raise_for(error)
        row = self.get_queryset().get(pk=row.pk)
        return Response(
            PartnershipSerializer(row, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def _run(self, action_class) -> Response:
        row = self.get_object()
        try:
            action_class(row, self.request.user).execute()
        except (PartnershipPermissionError, PartnershipError) as error:
            raise_for(error)
        row = self.get_queryset().get(pk=row.pk)
        return Response(PartnershipSerializer(row).data)

    @extend_schema(
        summary="Accept a request (approvers of the library asked)",
        request=None,
        responses={200: PartnershipSerializer, **DECISION_ERRORS},
        tags=["partnerships"],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        return self._run(AcceptPartnershipAction)

    @extend_schema(
        summary="Decline a request (approvers of the library asked)",
        request=None,
        responses={200: PartnershipSerializer, **DECISION_ERRORS},
        tags=["partnerships"],
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk=None) -> Response:
        return self._run(DeclinePartnershipAction)

    @extend_schema(
        summary="End an active partnership (approvers of either library)",
        request=None,
        responses={200: PartnershipSerializer, **DECISION_ERRORS},
        tags=["partnerships"],
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk=None) -> Response:
        return self._run(EndPartnershipAction)

    @extend_schema(
        summary="Withdraw a request (editors and approvers of the asking library)",
        request=None,
        responses={200: PartnershipSerializer, **DECISION_ERRORS},
        tags=["partnerships"],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        return self._run(WithdrawPartnershipAction)


class PartnerViewSet(ApiPolicyMixin, viewsets.GenericViewSet):
    """Your libraries' partners, and a partner's live projects in full."""

    pagination_class = ListPagination
    serializer_class = PartnerSerializer
    lookup_url_kwarg = "library_id"
    lookup_value_regex = r"[0-9]+"

    def _partner(self, library_id: str) -> LibraryPage:
        pk = int(library_id)
        if pk > MAX_ID:
            raise exceptions.NotFound
        return get_object_or_404(LibraryPage.objects.select_related("network"), pk=pk)

    @extend_schema(
        summary="Your libraries' partners",
        description="Accepted partnerships and regional-network default links.",
        responses={200: PartnerSerializer(many=True), **ERRORS},
        tags=["partnerships"],
    )
    def list(self, request: Request) -> Response:
        rows = []
        # The libraries the user works for (a superuser's too, not every library).
        for library in staff_libraries(request.user):
            for partner in LibraryPage.objects.filter(
                pk__in=partner_ids(library)
            ).order_by("title"):
                rows.append(
                    {
                        "library": partner,
                        "partner_of": library,
                        "link": link_between(library, partner),
                        "projects_url": request.build_absolute_uri(
                            reverse("bm-api:partner-projects", args=[partner.pk])
                        ),
                    }
                )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PartnerSerializer(page, many=True).data)

    @extend_schema(
        summary="A partner's live projects in full",
        description=(
            "SMART details, indicators, activities, PDCA log and the evidence "
            "documents shared with partners, of every live project of a partner of "
            "one of your libraries. No drafts. 403 when the library is not a partner."
        ),
        responses={200: PartnerProjectSerializer(many=True), **ERRORS},
        tags=["partnerships"],
    )
    @action(detail=True, methods=["get"], url_path="projects")
    def projects(self, request: Request, library_id=None) -> Response:
        partner = self._partner(library_id)
        mine = libraries_worked_for(request.user)
        allowed = request.user.is_superuser or any(
            are_partners(library, partner) for library in mine
        )
        if not allowed:
            raise exceptions.PermissionDenied(
                _(
                    "You see the projects and shared documents of %(library)s in "
                    "full once your library and %(library)s are partners."
                )
                % {"library": partner.title}
            )
        projects = (
            partner_projects(partner)
            .select_related("plan__library")
            .prefetch_related("phase_log__evidence")
        )
        page = self.paginate_queryset(projects)
        data = PartnerProjectSerializer(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="End the link with a partner",
        description=(
            "Ends the partnership, or the regional network's default link, between "
            "one of your libraries and this partner (approvers only)."
        ),
        request=EndPartnerSerializer,
        responses={200: PartnershipSerializer, **DECISION_ERRORS},
        tags=["partnerships"],
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, library_id=None) -> Response:
        partner = self._partner(library_id)
        params = EndPartnerSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        library = _my_library(
            request, params.validated_data.get("library"), partner_ids(partner)
        )
        try:
            row = EndPartnershipAction.for_pair(
                library, partner, request.user
            ).execute()
        except (PartnershipPermissionError, PartnershipError) as error:
            raise_for(error)
        return Response(PartnershipSerializer(row).data)
