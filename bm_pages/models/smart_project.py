"""SMART projects run through Plan-Do-Check-Act: the heart of an annual plan."""

from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.models import Orderable, Page
from wagtail.search import index

from bm_pages.api.fields import (
    ActivityAPISerializer,
    AssuranceCheckAPISerializer,
    FocusAreaRefAPISerializer,
    IndicatorAPISerializer,
    PageRefAPISerializer,
    PhaseLogAPISerializer,
    PlanRefAPISerializer,
    ProvenanceAPISerializer,
    SmartCheckAPISerializer,
    TopicAPISerializer,
    WorkFieldAPISerializer,
    decimal_api_field,
)
from bm_pages.formatting import indicator_figures
from bm_pages.panels import (
    PROJECT_ASSURANCE_PANELS,
    PROJECT_EDITOR_PANELS,
    PanelSlot,
    ProvenancePanel,
    SlottedObjectList,
)
from bm_pages.smart import rules as smart_rules

from .annual_plan import AnnualPlanPage, FocusArea
from .documents import LibraryDocument
from .serving import ServingMixin
from .taxonomy import PolicyTopic


class EvidenceChooser(AdminDocumentChooser):
    """The document chooser of a PDCA log entry: knows only the given documents.

    Wagtail's chooser shows the title of whatever document id it is given (also one
    posted by hand); this one shows nothing for a document outside ``documents``.
    """

    def __init__(self, documents: QuerySet[LibraryDocument], **kwargs) -> None:
        super().__init__(**kwargs)
        self.documents = documents

    def get_instance(self, value):
        if value is None or value == "":
            return None
        pk = value.pk if isinstance(value, LibraryDocument) else value
        try:
            return self.documents.filter(pk=pk).first()
        except (TypeError, ValueError):
            return None


def _with_evidence_choices(form_class, documents: QuerySet[LibraryDocument]):
    """``form_class`` (a PDCA log entry form) choosing evidence among ``documents``."""

    class EvidenceForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            field = self.fields.get("evidence")
            if field is not None:
                field.queryset = documents
                field.widget = EvidenceChooser(documents)

    return EvidenceForm


class ProjectPageForm(WagtailAdminPageForm):
    """Editor form: focus areas of the project's own plan, evidence of its own library."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.parent_page
        if plan is None and self.instance.pk:
            plan = self.instance.get_parent()
        field = self.fields.get("focus_area")
        if field is not None:
            field.queryset = (
                FocusArea.objects.filter(page_id=plan.pk)
                if plan is not None
                else FocusArea.objects.none()
            )
        formset = self.formsets.get("phase_log")
        if formset is not None:
            library_id = (
                AnnualPlanPage.objects.filter(pk=plan.pk)
                .values_list("library_id", flat=True)
                .first()
                if plan is not None
                else None
            )
            documents = evidence_documents(library_id)
            # Evidence a saved draft already points at outside the library (from
            # before this rule) is dropped, not shown: its title stays unknown.
            for entry in self.instance.phase_log.all():
                if (
                    entry.evidence_id
                    and not documents.filter(pk=entry.evidence_id).exists()
                ):
                    entry.evidence = None
            # Before the formset builds its forms, so every row (and the empty one
            # the editor copies for "add") offers and accepts only these documents.
            formset.form = _with_evidence_choices(formset.form, documents)


def evidence_documents(library_id: int | None) -> QuerySet[LibraryDocument]:
    """The documents a project of library ``library_id`` may give as PDCA evidence.

    Only the library's own documents: evidence is shown to whoever may see the
    project (partners, the import's document copy), so another library's document
    would travel with it.
    """
    if library_id is None:
        return LibraryDocument.objects.none()
    return LibraryDocument.objects.filter(library_id=library_id)


class ProjectPage(ServingMixin, Page):
    """A SMART project of an annual plan, run through Plan-Do-Check-Act.

    SMART: specific (goal, target group), measurable (``ProjectIndicator`` rows),
    achievable (budget, hours, partners), relevant (Wsob core functions, policy topics,
    work fields, the plan's focus area), time-bound (start and end date).
    PDCA: the current ``phase`` plus a dated log (``PhaseLogEntry``) with evidence.
    An assurance project (borgingsproject) recurs every ``cycle_months``; its completed
    cycles are ``AssuranceCheck`` rows. Projects imported from another library keep
    where they came from in the ``source_*`` fields, which survive deletion of the source.
    """

    class Phase(models.TextChoices):
        PLAN = "plan", _("Plan")
        DO = "do", _("Do")
        CHECK = "check", _("Check")
        ACT = "act", _("Act")
        DONE = "done", _("Done")

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular project")
        ASSURANCE = "assurance", _("assurance project")

    summary = models.TextField(
        _("summary"),
        max_length=2000,
        help_text=_(
            "Two or three plain sentences: what the project does and for whom. Other "
            "libraries find the project by this text."
        ),
    )

    # Specific
    goal = models.TextField(
        _("goal"),
        blank=True,
        help_text=_("What will be different when the project has succeeded?"),
    )
    target_group = models.CharField(
        _("target group"),
        max_length=255,
        blank=True,
        help_text=_(
            "Who the project is for, e.g. parents of babies, jobseekers, seniors."
        ),
    )

    # Achievable
    budget = models.DecimalField(
        _("budget (euro)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), _("The budget cannot be negative."))
        ],
        help_text=_("Money set aside for the project, in euros."),
    )
    hours = models.PositiveIntegerField(
        _("hours"),
        null=True,
        blank=True,
        help_text=_("Staff and volunteer hours the project needs."),
    )
    # What was spent, recorded by the library during or after the project: the
    # dashboard sets it against what was planned.
    budget_spent = models.DecimalField(
        _("budget spent (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), _("The budget spent cannot be negative."))
        ],
        help_text=_(
            "Money spent on the project so far, in euros. Leave empty if not recorded."
        ),
    )
    hours_spent = models.DecimalField(
        _("hours spent"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), _("The hours spent cannot be negative."))
        ],
        help_text=_(
            "Staff and volunteer hours spent so far. Leave empty if not recorded."
        ),
    )
    partners = models.TextField(
        _("partners"),
        blank=True,
        help_text=_("Organisations the library works with on this project."),
    )

    # Relevant
    core_functions = ParentalManyToManyField(
        "bm_pages.PolicyTopic",
        verbose_name=_("Wsob core functions"),
        blank=True,
        limit_choices_to={"kind": PolicyTopic.Kind.CORE_FUNCTION},
        related_name="core_function_projects",
        help_text=_(
            "The core functions of the Public Library Act this project serves."
        ),
    )
    policy_topics = ParentalManyToManyField(
        "bm_pages.PolicyTopic",
        verbose_name=_("policy topics"),
        blank=True,
        related_name="projects",
        help_text=_("Societal tasks and programmes the project belongs to."),
    )
    work_fields = ParentalManyToManyField(
        "bm_pages.WorkField",
        verbose_name=_("work fields"),
        blank=True,
        related_name="projects",
        help_text=_("Work fields of Kwaliteit in Beeld the project contributes to."),
    )
    focus_area = models.ForeignKey(
        "bm_pages.FocusArea",
        verbose_name=_("focus area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        help_text=_("The focus area of the annual plan this project belongs to."),
    )

    # Time-bound
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("When the project starts.")
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("When the project ends. Not before the start date."),
    )
    multi_year = models.BooleanField(
        _("multi-year project"),
        default=False,
        help_text=_(
            "Tick when the project runs beyond the plan's year; otherwise its start "
            "and end fall within that year."
        ),
    )

    # PDCA
    phase = models.CharField(
        _("PDCA phase"),
        max_length=10,
        choices=Phase.choices,
        default=Phase.PLAN,
        help_text=_("Where the project stands in the Plan-Do-Check-Act cycle."),
    )
    evaluation = models.TextField(
        _("evaluation"),
        blank=True,
        help_text=_("What went well, what did not, and what the library learnt."),
    )

    # Assurance (borging)
    kind = models.CharField(
        _("kind of project"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.REGULAR,
        help_text=_(
            "An assurance project (borgingsproject) checks an agreement again and "
            "again, every cycle."
        ),
    )
    cycle_months = models.PositiveSmallIntegerField(
        _("cycle (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("A cycle lasts at least one month."))],
        help_text=_("For assurance projects: how many months between two checks."),
    )
    next_review_date = models.DateField(
        _("next review date"),
        null=True,
        blank=True,
        help_text=_("For assurance projects: when the next check is due."),
    )

    # Provenance of imported projects: plain copies, so they survive the source.
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("source project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The project of another library this one was imported from."),
    )
    source_title = models.CharField(
        _("source title"),
        max_length=255,
        blank=True,
        help_text=_("Title of the source project when it was imported."),
    )
    source_library_name = models.CharField(
        _("source library"),
        max_length=255,
        blank=True,
        help_text=_("Name of the library the project was imported from."),
    )
    source_year = models.PositiveSmallIntegerField(
        _("source year"),
        null=True,
        blank=True,
        help_text=_("Year of the plan the project was imported from."),
    )
    source_url = models.URLField(
        _("source address"),
        max_length=500,
        blank=True,
        help_text=_("Web address of the source project when it was imported."),
    )
    imported_at = models.DateTimeField(
        _("imported at"),
        null=True,
        blank=True,
        help_text=_("When the project was imported."),
    )
    source_snapshot = models.JSONField(
        _("source snapshot"),
        blank=True,
        default=dict,
        help_text=_("The source project's content at import, to detect later changes."),
    )
    copied_from = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The project of an earlier year this one was copied from."),
    )

    # The plan this project belongs to: the parent page, kept in a column so lists
    # and the matcher can filter by plan, year and library in one query. Set on save.
    plan = models.ForeignKey(
        "bm_pages.AnnualPlanPage",
        verbose_name=_("annual plan"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="projects",
    )

    base_form_class = ProjectPageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        # Other apps' panels; bm_matching: similar projects of other libraries.
        PanelSlot(PROJECT_EDITOR_PANELS),
        FieldPanel("focus_area"),
    ]
    smart_panels = [
        MultiFieldPanel(
            [FieldPanel("goal"), FieldPanel("target_group")],
            heading=_("Specific"),
        ),
        InlinePanel(
            "indicators",
            heading=_("Measurable: indicators"),
            label=_("indicator"),
            help_text=_("How you will know the goal was reached: target and result."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("budget"), FieldPanel("budget_spent")]),
                FieldRowPanel([FieldPanel("hours"), FieldPanel("hours_spent")]),
                FieldPanel("partners"),
            ],
            heading=_("Achievable"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("core_functions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("policy_topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("work_fields", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Relevant"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("multi_year"),
            ],
            heading=_("Time-bound"),
        ),
    ]
    activity_panels = [
        InlinePanel("activities", heading=_("Activities"), label=_("activity")),
    ]
    pdca_panels = [
        FieldPanel("phase"),
        InlinePanel("phase_log", heading=_("PDCA log"), label=_("log entry")),
        FieldPanel("evaluation"),
    ]
    assurance_panels = [
        # "Complete cycle", for those who may (bm_pages.admin.assurance).
        PanelSlot(PROJECT_ASSURANCE_PANELS),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("cycle_months"), FieldPanel("next_review_date")]),
        InlinePanel(
            "assurance_checks", heading=_("Completed checks"), label=_("check")
        ),
    ]
    provenance_panels = [ProvenancePanel()]
    edit_handler = TabbedInterface(
        [
            SlottedObjectList(content_panels, heading=_("Project")),
            ObjectList(smart_panels, heading=_("SMART")),
            ObjectList(activity_panels, heading=_("Activities")),
            ObjectList(pdca_panels, heading=_("PDCA")),
            SlottedObjectList(assurance_panels, heading=_("Assurance")),
            ObjectList(provenance_panels, heading=_("Provenance")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.AutocompleteField("summary"),
        index.SearchField("goal"),
        index.SearchField("target_group"),
        index.SearchField("partners"),
        index.SearchField("evaluation"),
        index.FilterField("phase"),
        index.FilterField("kind"),
        index.FilterField("plan"),
        index.RelatedFields("indicators", [index.SearchField("name")]),
        index.RelatedFields("activities", [index.SearchField("what")]),
    ]
    # Public read API (bm_pages/api/v2.py): the public project page's content.
    # Left out: evidence documents (may not be public), who completed a check,
    # the import snapshot and links to source pages that may not be public.
    api_fields = [
        APIField("summary"),
        APIField("library", serializer=PageRefAPISerializer(read_only=True)),
        APIField("plan", serializer=PlanRefAPISerializer(read_only=True)),
        APIField("focus_area", serializer=FocusAreaRefAPISerializer(read_only=True)),
        APIField("goal"),
        APIField("target_group"),
        APIField(
            "indicators", serializer=IndicatorAPISerializer(many=True, read_only=True)
        ),
        APIField("budget", serializer=decimal_api_field()),
        APIField("hours"),
        APIField("partners"),
        APIField(
            "core_functions", serializer=TopicAPISerializer(many=True, read_only=True)
        ),
        APIField(
            "policy_topics", serializer=TopicAPISerializer(many=True, read_only=True)
        ),
        APIField(
            "work_fields", serializer=WorkFieldAPISerializer(many=True, read_only=True)
        ),
        APIField("start_date"),
        APIField("end_date"),
        APIField("multi_year"),
        APIField("smart_check", serializer=SmartCheckAPISerializer(read_only=True)),
        APIField("phase"),
        APIField(
            "phase_log", serializer=PhaseLogAPISerializer(many=True, read_only=True)
        ),
        APIField("evaluation"),
        APIField(
            "activities", serializer=ActivityAPISerializer(many=True, read_only=True)
        ),
        APIField("kind"),
        APIField("cycle_months"),
        APIField("next_review_date"),
        APIField(
            "assurance_checks",
            serializer=AssuranceCheckAPISerializer(many=True, read_only=True),
        ),
        APIField(
            "provenance", serializer=ProvenanceAPISerializer(source="*", read_only=True)
        ),
    ]

    parent_page_types = ["bm_pages.AnnualPlanPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def _parent_plan_id(self) -> int | None:
        if not self.path or self.depth is None or self.depth <= 1:
            return None
        parent = self.get_parent()
        return parent.pk if parent is not None else None

    @property
    def library(self):
        """The library whose plan holds this project (``None`` outside a plan)."""
        return self.plan.library if self.plan_id else None

    @property
    def smart_check(self) -> dict:
        """The SMART check as the APIs give it: ``{"score": 0-5, "missing": [...]}``."""
        return smart_rules.smart_check(self).as_dict()

    @property
    def is_assurance(self) -> bool:
        return self.kind == self.Kind.ASSURANCE

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(
                gettext("The end date cannot be before the start date.")
            )
        if self.kind == self.Kind.ASSURANCE and not self.cycle_months:
            errors.setdefault("cycle_months", []).append(
                gettext("An assurance project needs a cycle in months.")
            )
        plan_id = self._parent_plan_id()
        if self.focus_area_id and plan_id and self.focus_area.page_id != plan_id:
            errors.setdefault("focus_area", []).append(
                gettext("Choose a focus area of this project's own annual plan.")
            )
        if self._foreign_evidence(plan_id or self.plan_id):
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                gettext(
                    "Evidence in the PDCA log must be a document of this project's "
                    "own library."
                )
            )
        if errors:
            raise ValidationError(errors)

    def _foreign_evidence(self, plan_id: int | None) -> bool:
        """Whether a PDCA log entry points at a document of another library."""
        ids = {entry.evidence_id for entry in self.phase_log.all() if entry.evidence_id}
        if not ids:
            return False
        library_id = (
            AnnualPlanPage.objects.filter(pk=plan_id)
            .values_list("library_id", flat=True)
            .first()
            if plan_id
            else None
        )
        return evidence_documents(library_id).filter(pk__in=ids).count() != len(ids)

    def save(self, *args, **kwargs):
        plan_id = self._parent_plan_id()
        if plan_id is not None:
            self.plan_id = plan_id
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .library import breadcrumb_pages

        context = super().get_context(request, *args, **kwargs)
        context["breadcrumb_pages"] = breadcrumb_pages(self)
        context["plan"] = (
            AnnualPlanPage.objects.select_related("library")
            .filter(pk=self.plan_id)
            .first()
        )
        context["core_function_list"] = [str(t) for t in self.core_functions.all()]
        context["policy_topic_list"] = [str(t) for t in self.policy_topics.all()]
        context["work_field_list"] = [str(w) for w in self.work_fields.all()]
        context["indicator_list"] = list(self.indicators.all())
        context["activity_list"] = list(self.activities.all())
        context["phase_log_list"] = list(
            self.phase_log.select_related("evidence").all()
        )
        context["assurance_check_list"] = list(self.assurance_checks.all())
        # The provenance line links to the source only while the public may see it.
        source = (
            Page.objects.live().public().filter(pk=self.source_page_id).first()
            if self.source_page_id
            else None
        )
        context["source_url"] = source.get_url(request) if source else None
        context["phase_steps"] = [
            {
                "value": value,
                "label": label,
                "current": value == self.phase,
                "passed": list(self.Phase.values).index(value)
                < list(self.Phase.values).index(self.phase),
            }
            for value, label in self.Phase.choices
        ]
        return context


class ProjectIndicator(Orderable):
    """A measurable indicator of a project: what is counted, the target and the result."""

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(
        _("indicator"),
        max_length=255,
        help_text=_("What is measured, e.g. number of participants."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=50,
        blank=True,
        help_text=_("Unit of the figures, e.g. participants, %, sessions."),
    )
    baseline = models.DecimalField(
        _("baseline"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The figure at the start, if known."),
    )
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), _("The target cannot be negative."))
        ],
        help_text=_("The figure the project aims for."),
    )
    result = models.DecimalField(
        _("result"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0"), _("The result cannot be negative."))
        ],
        help_text=_("The figure reached so far. Leave empty until measured."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("unit"),
        FieldRowPanel(
            [FieldPanel("baseline"), FieldPanel("target"), FieldPanel("result")]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def percent_of_target(self) -> int | None:
        """The result as a percentage of the target; ``None`` until measured."""
        if self.result is None or not self.target:
            return None
        return round(100 * self.result / self.target)

    @property
    def progress_percent(self) -> int | None:
        """``percent_of_target`` capped at 100, for drawing a progress bar."""
        percent = self.percent_of_target
        return None if percent is None else min(100, percent)

    @property
    def figures_text(self) -> str:
        """Result against target in the active language: "4.321 leden (doel 5.796)"."""
        return indicator_figures(self.result, self.target, self.unit)

    @property
    def target_reached(self) -> bool:
        return self.result is not None and self.result >= self.target


class ProjectActivity(Orderable):
    """An activity of a project: what happens, who does it, when, and how far it is."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="activities")
    what = models.CharField(
        _("what"), max_length=255, help_text=_("The activity, in a few words.")
    )
    who = models.CharField(
        _("who"),
        max_length=255,
        blank=True,
        help_text=_("Who carries it out: a role, team or partner."),
    )
    when = models.DateField(
        _("when"), null=True, blank=True, help_text=_("Date or deadline.")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text=_("How far the activity is."),
    )

    panels = [
        FieldPanel("what"),
        FieldRowPanel([FieldPanel("who"), FieldPanel("when"), FieldPanel("status")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.what


class PhaseLogEntry(Orderable):
    """A dated note in a project's PDCA log, optionally with an evidence document."""

    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="phase_log")
    phase = models.CharField(
        _("phase"),
        max_length=10,
        choices=ProjectPage.Phase.choices,
        default=ProjectPage.Phase.PLAN,
        help_text=_("The PDCA phase this note belongs to."),
    )
    date = models.DateField(
        _("date"), default=timezone.localdate, help_text=_("When this happened.")
    )
    note = models.TextField(
        _("note"), help_text=_("What was done, measured, decided or changed.")
    )
    evidence = models.ForeignKey(
        "bm_pages.LibraryDocument",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A document that shows it, such as minutes or a report."),
    )

    panels = [
        FieldRowPanel([FieldPanel("phase"), FieldPanel("date")]),
        FieldPanel("note"),
        FieldPanel("evidence"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("PDCA log entry")
        verbose_name_plural = _("PDCA log entries")

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.date}"


class AssuranceCheck(Orderable):
    """A completed cycle of an assurance project: the check, its findings and actions."""

    page = ParentalKey(
        ProjectPage, on_delete=models.CASCADE, related_name="assurance_checks"
    )
    date = models.DateField(
        _("date"), default=timezone.localdate, help_text=_("When the check was done.")
    )
    findings = models.TextField(
        _("findings"), help_text=_("What the check found: is the agreement kept?")
    )
    actions = models.TextField(
        _("actions"),
        blank=True,
        help_text=_("What will be improved as a result, if anything."),
    )
    completed_by = models.CharField(
        _("completed by"),
        max_length=255,
        blank=True,
        help_text=_("Name or role of who carried out the check."),
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("completed_by")]),
        FieldPanel("findings"),
        FieldPanel("actions"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("assurance check")
        verbose_name_plural = _("assurance checks")

    def __str__(self) -> str:
        return f"{self.date}"
