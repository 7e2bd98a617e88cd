"""The partner-matching search API: ``GET /api/matching/search``."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bm_matching.clients import MatcherUnavailable
from bm_matching.peers import NoProfileError, reference_library, unlike_library_ids
from bm_matching.search import find_similar_projects
from bm_matching.visibility import libraries_of
from bm_pages.api.policy import ApiPolicyMixin

from .permissions import IsLibraryStaffOrSuperuser
from .serializers import (
    ErrorSerializer,
    SearchParamsSerializer,
    SearchResponseSerializer,
    result_json,
)

logger = logging.getLogger("bm_matching")


class ProjectSearchView(ApiPolicyMixin, APIView):
    """Projects of other libraries similar to a title or description."""

    permission_classes = [IsAuthenticated, IsLibraryStaffOrSuperuser]

    @extend_schema(
        operation_id="matching_search",
        summary="Find similar projects of other libraries",
        description=(
            "Ranks the live projects of other libraries by similarity to `q` (a "
            "title, perhaps with a summary) with the matching service, and returns "
            "those the caller may see: never the caller's own libraries, never "
            "libraries that share their projects only with their network or partners "
            "unless the caller is one, never drafts, unpublished or private pages. "
            "Library names, years and phases are the CMS's current ones."
        ),
        tags=["matching"],
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=True,
                description="What to look for (1-2000 characters).",
            ),
            OpenApiParameter(
                "k",
                OpenApiTypes.INT,
                description="How many results at most, 1-50 (default 10).",
            ),
            OpenApiParameter(
                "network",
                OpenApiTypes.STR,
                description="Slug of a regional network: only its libraries.",
            ),
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="Only projects of annual plans for this year.",
            ),
            OpenApiParameter(
                "like_mine",
                OpenApiTypes.BOOL,
                description="Only libraries like yours (size and urbanity).",
            ),
        ],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Bad parameters; `errors` says which."
            ),
            401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
            403: OpenApiResponse(
                ErrorSerializer, description="Not library staff or superuser."
            ),
            503: OpenApiResponse(
                ErrorSerializer, description="The matching service is unavailable."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        params = SearchParamsSerializer(data=request.query_params)
        if not params.is_valid():
            return Response(
                {
                    "detail": _("Invalid search parameters."),
                    "code": "invalid",
                    "errors": params.errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = params.validated_data
        try:
            exclude = (
                unlike_library_ids(reference_library(libraries_of(request.user)))
                if data["like_mine"]
                else []
            )
        except NoProfileError as exc:
            return Response(
                {"detail": str(exc), "code": "no_profile"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            outcome = find_similar_projects(
                request.user,
                data["q"],
                k=data["k"],
                network=data.get("network"),
                year=data.get("year"),
                exclude_library_ids=exclude,
                request=request._request,
                own_libraries=getattr(request, "bm_libraries", None),
            )
        except MatcherUnavailable as exc:
            logger.warning("search API: matcher unavailable: %s", exc)
            return Response(
                {
                    "detail": _(
                        "The matching service is unavailable at the moment. Try again "
                        "in a few minutes."
                    ),
                    "code": "matcher_unavailable",
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "30"},
            )
        body = {
            # Plain dicts in the shape of SimilarProjectSerializer (which documents
            # it): a serializer per result costs more than the database work here.
            "results": [result_json(result) for result in outcome.results],
            "count": len(outcome.results),
            "timing": {
                "total_ms": round(outcome.total_ms, 1),
                "matcher_ms": round(outcome.matcher_ms, 1),
            },
        }
        return Response(body)
