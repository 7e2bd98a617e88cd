"""Requests and responses of the partnership and partner endpoints."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bm_pages.api.fields import (
    TopicAPISerializer,
    WorkFieldAPISerializer,
)
from bm_pages.api.serializers import ProjectSerializer
from bm_pages.documents_access import shared_evidence
from bm_pages.models import Partnership, ProjectPage

MAX_ID = 2**31 - 1  # page ids are 32-bit integers


def id_field(help_text: str, *, required: bool = True) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=required,
        allow_null=not required,
        help_text=help_text,
    )


class LibraryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class PartnershipSerializer(serializers.ModelSerializer):
    """A partnership between two libraries, or a request for one; closed rows are history."""

    library_a = LibraryRefSerializer(read_only=True)
    library_b = LibraryRefSerializer(read_only=True)
    requested_by_library = LibraryRefSerializer(read_only=True)
    requested_by = serializers.SerializerMethodField()
    ended_by_library = LibraryRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Partnership
        fields = [
            "id",
            "status",
            "library_a",
            "library_b",
            "requested_by_library",
            "requested_by",
            "message",
            "network_link",
            "created_at",
            "decided_at",
            "ended_at",
            "ended_by_library",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requested_by(self, row: Partnership) -> str | None:
        user = row.requested_by
        if user is None:
            return None
        return user.get_full_name() or user.get_username()


class PartnershipRequestSerializer(serializers.Serializer):
    """Body of ``POST /api/partnerships/``."""

    partner = id_field("Id of the library you ask.")
    library = id_field(
        "Id of your library that asks; optional when you work for one library.",
        required=False,
    )
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Why you would like to work together.",
    )


class EndPartnerSerializer(serializers.Serializer):
    """Body of ``POST /api/partners/{id}/end/``."""

    library = id_field(
        "Id of your library that ends the link; optional when only one of your "
        "libraries is linked to this partner.",
        required=False,
    )


class PartnerSerializer(serializers.Serializer):
    """A partner library of one of your libraries, and how they are linked."""

    library = LibraryRefSerializer(help_text="The partner library.")
    partner_of = LibraryRefSerializer(help_text="Your library it is a partner of.")
    link = serializers.ChoiceField(
        choices=["partnership", "network"],
        help_text="An accepted partnership, or the regional network's default link.",
    )
    projects_url = serializers.CharField()


class SharedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    visibility = serializers.CharField()
    url = serializers.CharField()


class PartnerProjectSerializer(ProjectSerializer):
    """A partner's live project in full, with the evidence shared with partners."""

    policy_topics = TopicAPISerializer(many=True, read_only=True)
    work_fields = WorkFieldAPISerializer(many=True, read_only=True)
    shared_documents = serializers.SerializerMethodField(
        help_text="Evidence documents of the PDCA log shared with partners or public."
    )

    class Meta(ProjectSerializer.Meta):
        fields = [
            name
            for name in ProjectSerializer.Meta.fields
            if name not in ("live", "has_unpublished_changes")
        ] + ["policy_topics", "work_fields", "shared_documents"]
        read_only_fields = fields

    @extend_schema_field(SharedDocumentSerializer(many=True))
    def get_shared_documents(self, project: ProjectPage) -> list[dict]:
        # Shown to partners only (the view checks): the project library's own
        # documents shared with partners, never another library's.
        documents = shared_evidence(
            project, as_partner=True, entries=project.phase_log.all()
        )
        request = self.context.get("request")
        return [
            {
                "id": doc.pk,
                "title": doc.title,
                "visibility": doc.visibility,
                "url": request.build_absolute_uri(doc.url) if request else doc.url,
            }
            for doc in documents
        ]
