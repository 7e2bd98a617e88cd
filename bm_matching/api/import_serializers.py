"""Request and response of ``POST /api/projects/{id}/import/``."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from bm_pages.api.fields import PageRefAPISerializer, PlanRefAPISerializer
from bm_pages.api.partnership_serializers import id_field


class ImportRequestSerializer(serializers.Serializer):
    """Body of ``POST /api/projects/{id}/import/``."""

    target_plan = id_field("Id of your annual plan that gets the draft.")
    focus_area = id_field(
        "Id of a focus area of that plan; default: the one with the source's focus "
        "area title.",
        required=False,
    )
    copy_documents = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also copy the evidence documents shared with you into your "
        "library's collection (visible to your library only).",
    )


class ImportedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ProvenanceSerializer(serializers.Serializer):
    source_page = serializers.IntegerField(source="source_page_id")
    source_title = serializers.CharField()
    source_library_name = serializers.CharField()
    source_year = serializers.IntegerField(allow_null=True)
    source_url = serializers.CharField()
    imported_at = serializers.DateTimeField()


class ImportResultSerializer(serializers.Serializer):
    """The draft an import made."""

    id = serializers.IntegerField(help_text="Page id of the new draft project.")
    title = serializers.CharField()
    plan = PlanRefAPISerializer()
    library = PageRefAPISerializer()
    edit_url = serializers.CharField(help_text="Where to adapt it in the admin.")
    provenance = ProvenanceSerializer()
    documents = ImportedDocumentSerializer(many=True)

    @staticmethod
    def build(result, request) -> dict:
        project = result.project
        plan = project.plan
        return {
            "id": project.pk,
            "title": project.title,
            "plan": plan,
            "library": plan.library,
            "edit_url": request.build_absolute_uri(
                reverse("wagtailadmin_pages:edit", args=[project.pk])
            ),
            "provenance": project,
            "documents": result.documents,
        }
