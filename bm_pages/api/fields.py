"""Serialisers for the ``api_fields`` of the page models (Wagtail API v2).

The page models import this module, so it imports nothing from ``bm_pages.models``.
Only what the public pages show is serialised: no evidence documents, no names of
the people who completed a check, no import snapshots.
"""

from rest_framework import serializers


class BranchAPISerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    note = serializers.CharField()


class NetworkAPISerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class TopicAPISerializer(serializers.Serializer):
    """A policy topic or Wsob core function."""

    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class WorkFieldAPISerializer(serializers.Serializer):
    code = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()


class FocusAreaAPISerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()


class FocusAreaRefAPISerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class IndicatorAPISerializer(serializers.Serializer):
    """A measurable indicator: figures as decimals (JSON numbers), result null until measured."""

    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    target = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )
    result = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    percent_of_target = serializers.IntegerField(
        allow_null=True, help_text="Result as a percentage of the target."
    )
    progress_percent = serializers.IntegerField(
        allow_null=True, help_text="The same, capped at 100 (for a progress bar)."
    )
    target_reached = serializers.BooleanField()


class ActivityAPISerializer(serializers.Serializer):
    what = serializers.CharField()
    who = serializers.CharField()
    when = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class PhaseLogAPISerializer(serializers.Serializer):
    """A PDCA log entry without its evidence document (which may not be public)."""

    phase = serializers.CharField()
    date = serializers.DateField()
    note = serializers.CharField()


class AssuranceCheckAPISerializer(serializers.Serializer):
    date = serializers.DateField()
    findings = serializers.CharField()
    actions = serializers.CharField()


class PageRefAPISerializer(serializers.Serializer):
    """The id, title and slug of a related page (a project's library)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()


class PlanRefAPISerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    year = serializers.IntegerField()


class ProvenanceAPISerializer(serializers.Serializer):
    """Where an imported project came from; all empty for a library's own project."""

    source_title = serializers.CharField()
    source_library_name = serializers.CharField()
    source_year = serializers.IntegerField(allow_null=True)
    source_url = serializers.CharField()
    imported_at = serializers.DateTimeField(allow_null=True)


def decimal_api_field() -> serializers.DecimalField:
    """A money or figure field as a JSON number (like the indicator figures)."""
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
    )


class SmartMissingAPISerializer(serializers.Serializer):
    """A SMART criterion the project does not meet yet (``bm_pages.smart.rules``)."""

    code = serializers.CharField(help_text="Stable code, e.g. M-indicator.")
    label = serializers.CharField(help_text="What to add, in the request's language.")
    letter = serializers.CharField(help_text="S, M, A, R or T.")
    where = serializers.CharField(help_text="Where the editor fixes it.")


class SmartCheckAPISerializer(serializers.Serializer):
    """The SMART check: letters met (0-5) and what is missing."""

    score = serializers.IntegerField(min_value=0, max_value=5)
    missing = SmartMissingAPISerializer(many=True)
