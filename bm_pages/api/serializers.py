"""Serialisers of the authenticated DRF API (plans, projects, errors)."""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bm_pages.api.fields import (
    ActivityAPISerializer,
    FocusAreaAPISerializer,
    FocusAreaRefAPISerializer,
    IndicatorAPISerializer,
    PageRefAPISerializer,
    PhaseLogAPISerializer,
    PlanRefAPISerializer,
    ProvenanceAPISerializer,
    SmartCheckAPISerializer,
    TopicAPISerializer,
)
from bm_pages.models import AnnualPlanPage, ProjectPage


class ApiErrorSerializer(serializers.Serializer):
    """The body of every error answer (see ``bm_pages.api.exceptions``)."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Messages per field; only for invalid input.",
    )


class PhaseCountsSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    do = serializers.IntegerField()
    check = serializers.IntegerField()
    act = serializers.IntegerField()
    done = serializers.IntegerField()


class ReportLinksSerializer(serializers.Serializer):
    docx = serializers.CharField()
    pdf = serializers.CharField()


class AnnualPlanSerializer(serializers.ModelSerializer):
    """An annual plan of one of the user's libraries, drafts included."""

    library = PageRefAPISerializer(read_only=True, allow_null=True)
    focus_areas = FocusAreaAPISerializer(many=True, read_only=True)
    project_count = serializers.SerializerMethodField()
    phase_counts = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField(
        help_text="Where to download the annual report of this plan."
    )

    class Meta:
        model = AnnualPlanPage
        fields = [
            "id",
            "title",
            "slug",
            "year",
            "live",
            "has_unpublished_changes",
            "library",
            "focus_areas",
            "project_count",
            "phase_counts",
            "report",
        ]
        read_only_fields = fields

    def _projects(self, plan: AnnualPlanPage) -> list[ProjectPage]:
        cache = self.context.setdefault("_plan_projects", {})
        if plan.pk not in cache:
            cache[plan.pk] = list(
                ProjectPage.objects.child_of(plan).only("pk", "phase")
            )
        return cache[plan.pk]

    def get_project_count(self, plan: AnnualPlanPage) -> int:
        return len(self._projects(plan))

    @extend_schema_field(PhaseCountsSerializer)
    def get_phase_counts(self, plan: AnnualPlanPage) -> dict[str, int]:
        counts = Counter(project.phase for project in self._projects(plan))
        return {phase: counts.get(phase, 0) for phase in ProjectPage.Phase.values}

    @extend_schema_field(ReportLinksSerializer)
    def get_report(self, plan: AnnualPlanPage) -> dict[str, str]:
        url = reverse("bm-api:plan-report", args=[plan.pk])
        request = self.context.get("request")
        if request is not None:
            url = request.build_absolute_uri(url)
        return {"docx": f"{url}?format=docx", "pdf": f"{url}?format=pdf"}


class ProjectSerializer(serializers.ModelSerializer):
    """A project of one of the user's libraries, drafts included."""

    library = PageRefAPISerializer(read_only=True, allow_null=True)
    plan = PlanRefAPISerializer(read_only=True, allow_null=True)
    focus_area = FocusAreaRefAPISerializer(read_only=True, allow_null=True)
    indicators = IndicatorAPISerializer(many=True, read_only=True)
    activities = ActivityAPISerializer(many=True, read_only=True)
    phase_log = PhaseLogAPISerializer(many=True, read_only=True)
    core_functions = TopicAPISerializer(many=True, read_only=True)
    provenance = ProvenanceAPISerializer(source="*", read_only=True)
    smart_check = SmartCheckAPISerializer(read_only=True)
    budget = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        read_only=True,
    )

    class Meta:
        model = ProjectPage
        fields = [
            "id",
            "title",
            "slug",
            "live",
            "has_unpublished_changes",
            "library",
            "plan",
            "focus_area",
            "summary",
            "goal",
            "target_group",
            "indicators",
            "budget",
            "hours",
            "partners",
            "core_functions",
            "start_date",
            "end_date",
            "phase",
            "phase_log",
            "evaluation",
            "activities",
            "kind",
            "cycle_months",
            "next_review_date",
            "provenance",
            "smart_check",
        ]
        read_only_fields = fields


class ProjectFilterSerializer(serializers.Serializer):
    """The query parameters of ``GET /api/projects/``."""

    plan = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Annual plan id."
    )
    library = serializers.CharField(
        required=False, max_length=255, help_text="Library id or slug."
    )
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2200, help_text="Plan year."
    )
    phase = serializers.ChoiceField(
        required=False, choices=ProjectPage.Phase.choices, help_text="PDCA phase."
    )


class PlanFilterSerializer(serializers.Serializer):
    """The query parameters of ``GET /api/plans/``."""

    library = serializers.CharField(
        required=False, max_length=255, help_text="Library id or slug."
    )
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2200, help_text="Plan year."
    )


class ReportFormatSerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=[("docx", "Word (.docx)"), ("pdf", "PDF")],
        default="docx",
        error_messages={"invalid_choice": _("Choose docx or pdf.")},
    )
