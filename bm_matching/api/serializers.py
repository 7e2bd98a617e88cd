"""Request parameters and responses of the partner-matching search API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bm_matching.conf import get_setting
from bm_matching.forms import MAX_QUERY
from bm_matching.search import SimilarProject
from bm_pages.models import RegionalNetwork
from bm_pages.models.annual_plan import MAX_YEAR, MIN_YEAR


class SearchParamsSerializer(serializers.Serializer):
    """Query parameters of ``GET /api/matching/search``."""

    q = serializers.CharField(
        max_length=MAX_QUERY,
        trim_whitespace=True,
        help_text="What you are looking for: a project title, perhaps with a summary.",
        error_messages={
            "required": _("Say what you are looking for: the q parameter is missing."),
            "blank": _("Say what you are looking for: q must not be empty."),
        },
    )
    k = serializers.IntegerField(
        required=False,
        default=10,
        min_value=1,
        help_text="How many results at most (1 to 50).",
    )
    network = serializers.CharField(
        required=False,
        max_length=80,
        help_text="Only libraries of this regional network (its slug).",
    )
    year = serializers.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="Only projects of annual plans for this year.",
    )

    like_mine = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only libraries like yours: size class and CBS urbanity each "
        "within one step of your (first) library's profile.",
    )

    def validate_k(self, value: int) -> int:
        limit = int(get_setting("MAX_RESULTS"))
        if value > limit:
            raise serializers.ValidationError(
                _("Ask for at most %(limit)s results.") % {"limit": limit}
            )
        return value

    def validate_network(self, value: str) -> RegionalNetwork:
        network = RegionalNetwork.objects.filter(slug=value).first()
        if network is None:
            raise serializers.ValidationError(
                _("Unknown network %(slug)r. Use the slug of a regional network.")
                % {"slug": value}
            )
        return network


class LibraryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NetworkRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SimilarProjectSerializer(serializers.Serializer):
    """One similar project of another library."""

    id = serializers.IntegerField(help_text="The project's page id.")
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="The public page.")
    edit_url = serializers.CharField(
        allow_null=True, help_text="The admin editor, if the caller may edit it."
    )
    library = serializers.SerializerMethodField()
    network = serializers.SerializerMethodField()
    year = serializers.IntegerField(allow_null=True)
    phase = serializers.CharField(help_text="PDCA phase: plan, do, check, act or done.")
    phase_label = serializers.CharField()
    score = serializers.FloatField(
        help_text="Cosine similarity, for ordering; `level` is what it means."
    )
    level = serializers.ChoiceField(
        choices=["good", "possible", "weak"],
        help_text="Match level from thresholds calibrated for the matcher's model.",
    )
    level_label = serializers.CharField(help_text="The level in the user's language.")
    also = serializers.ListField(
        child=serializers.DictField(),
        help_text="Other years of the same project (copies, imports): {id, year}.",
    )
    matched_terms = serializers.ListField(
        child=serializers.CharField(),
        help_text="Words of the query that occur in the project.",
    )
    is_partner = serializers.BooleanField(
        help_text="The project's library is a partner of the caller's library."
    )
    imported_copy_url = serializers.CharField(
        allow_null=True,
        help_text="The editor of the caller's copy, if the project was imported.",
    )

    def get_library(self, obj) -> dict:
        return LibraryRefSerializer(
            {"id": obj.library_id, "name": obj.library_name}
        ).data

    def get_network(self, obj) -> dict | None:
        if not obj.network_slug:
            return None
        return NetworkRefSerializer(
            {"slug": obj.network_slug, "name": obj.network_name}
        ).data


class TimingSerializer(serializers.Serializer):
    total_ms = serializers.FloatField()
    matcher_ms = serializers.FloatField()


class SearchResponseSerializer(serializers.Serializer):
    results = SimilarProjectSerializer(many=True)
    count = serializers.IntegerField()
    timing = TimingSerializer()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def result_json(result: SimilarProject) -> dict:
    """One result as ``SimilarProjectSerializer`` describes it."""
    return {
        "id": result.id,
        "title": result.title,
        "summary": result.summary,
        "url": result.url,
        "edit_url": result.edit_url,
        "library": {"id": result.library_id, "name": result.library_name},
        "network": (
            {"slug": result.network_slug, "name": result.network_name}
            if result.network_slug
            else None
        ),
        "year": result.year,
        "phase": result.phase,
        "phase_label": str(result.phase_label),
        "score": result.score,
        "level": result.level,
        "level_label": result.level_label,
        "also": [dict(m) for m in result.also],
        "matched_terms": list(result.matched_terms),
        "is_partner": result.is_partner,
        "imported_copy_url": result.imported_copy_url,
    }
