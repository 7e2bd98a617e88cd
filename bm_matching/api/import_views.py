"""``POST /api/projects/{id}/import/``: import a project into one of your plans.

Calls ``ImportPartnerProjectAction`` like the admin's import form. A project that is
not shared with the plan's library (or not live) answers 404, as if it did not exist;
a plan of a library you do not edit for answers 403; a plan that already has a copy
of the project answers 409 with a link to that copy.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from bm_matching.actions import (
    AlreadyImportedError,
    ImportPartnerProjectAction,
    ImportPartnerProjectError,
    ImportPartnerProjectPermissionError,
)
from bm_pages.api.partnership_serializers import MAX_ID
from bm_pages.api.policy import ApiPolicyMixin
from bm_pages.api.serializers import ApiErrorSerializer
from bm_pages.models import AnnualPlanPage, FocusArea, ProjectPage

from .import_serializers import ImportRequestSerializer, ImportResultSerializer


class ExistingCopySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Page id of the copy already in the plan.")
    title = serializers.CharField()
    edit_url = serializers.CharField(help_text="Where to open it in the admin.")


class AlreadyImportedSerializer(ApiErrorSerializer):
    existing = ExistingCopySerializer()


def already_imported(error: AlreadyImportedError, request: Request) -> Response:
    """409: the one error body, plus where the existing copy is."""
    copy = error.existing
    edit_url = request.build_absolute_uri(
        reverse("wagtailadmin_pages:edit", args=[copy.pk])
    )
    body = {
        "detail": str(error),
        "code": "already_imported",
        "existing": {
            "id": copy.pk,
            "title": copy.get_admin_display_title(),
            "edit_url": edit_url,
        },
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class ProjectImportViewSet(ApiPolicyMixin, viewsets.GenericViewSet):
    """Import another library's project into one of your annual plans."""

    serializer_class = ImportRequestSerializer
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        operation_id="projects_import",
        summary="Import a project into one of your annual plans",
        description=(
            "Creates a draft copy of the project in `target_plan` (one of the plans "
            "of a library you edit or approve for), with provenance; results and the "
            "PDCA log start empty. The project must be live and shared with that "
            "library (partners see all live projects). With `copy_documents` the "
            "evidence documents shared with you are copied into your collection. "
            "The draft then goes through your library's review workflow."
        ),
        request=ImportRequestSerializer,
        responses={
            201: ImportResultSerializer,
            400: OpenApiResponse(
                ApiErrorSerializer,
                description="Bad input: unknown plan or focus area, a focus area of "
                "another plan, or your own library's project.",
            ),
            401: OpenApiResponse(ApiErrorSerializer, description="Not signed in."),
            403: OpenApiResponse(
                ApiErrorSerializer,
                description="You do not edit or approve for the plan's library.",
            ),
            404: OpenApiResponse(
                ApiErrorSerializer,
                description="No such project, or it is not shared with your library.",
            ),
            409: OpenApiResponse(
                AlreadyImportedSerializer,
                description="The plan already has a copy of this project; `existing` "
                "points at it.",
            ),
        },
        tags=["partnerships"],
    )
    @action(detail=True, methods=["post"], url_path="import", url_name="import")
    def import_into_plan(self, request: Request, pk=None) -> Response:
        source = (
            ProjectPage.objects.filter(pk=int(pk)).first()
            if int(pk) <= MAX_ID
            else None
        )
        if source is None:
            raise exceptions.NotFound
        params = ImportRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        plan = AnnualPlanPage.objects.filter(pk=data["target_plan"]).first()
        if plan is None:
            raise exceptions.ValidationError(
                {"target_plan": [_("There is no annual plan with this id.")]}
            )
        area = None
        if data.get("focus_area") is not None:
            area = FocusArea.objects.filter(pk=data["focus_area"]).first()
            if area is None:
                raise exceptions.ValidationError(
                    {"focus_area": [_("There is no focus area with this id.")]}
                )
        try:
            result = ImportPartnerProjectAction(
                source,
                plan,
                request.user,
                focus_area=area,
                copy_documents=data["copy_documents"],
                request=request._request,
            ).execute()
        except ImportPartnerProjectPermissionError as error:
            if error.reason == "source":
                raise exceptions.NotFound(str(error)) from error
            raise exceptions.PermissionDenied(str(error)) from error
        except AlreadyImportedError as error:
            return already_imported(error, request)
        except ImportPartnerProjectError as error:
            raise exceptions.ValidationError(
                {"non_field_errors": [str(error)]}
            ) from error
        body = ImportResultSerializer(
            ImportResultSerializer.build(result, request)
        ).data
        return Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": body["edit_url"]},
        )
