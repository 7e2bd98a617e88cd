"""Annual plans (jaarplannen): one per library per year, grouped into focus areas."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from bm_pages import plan_listing
from bm_pages.api.fields import FocusAreaAPISerializer, PageRefAPISerializer

from .serving import ServingMixin, without_restricted

MIN_YEAR = 2000
MAX_YEAR = 2100


def duplicate_year_message(year: int) -> str:
    return gettext(
        "This library already has an annual plan for %(year)s. Open that plan or "
        "choose another year."
    ) % {"year": year}


class AnnualPlanPageForm(WagtailAdminPageForm):
    """Editor form: refuses a second plan for the same year below the same library.

    The model checks this too, but while a page is being created it is not in the tree
    yet; the form knows its future parent.
    """

    def clean(self):
        cleaned_data = super().clean()
        year = cleaned_data.get("year")
        parent = self.parent_page
        if year and parent is not None:
            clash = (
                AnnualPlanPage.objects.child_of(parent)
                .filter(year=year)
                .exclude(pk=self.instance.pk)
            )
            if clash.exists():
                self.add_error("year", duplicate_year_message(year))
        return cleaned_data


class AnnualPlanCopyForm(CopyForm):
    """Wagtail's copy form, refusing a destination that already has a plan for the year."""

    def clean(self):
        cleaned_data = super().clean()
        destination = cleaned_data.get("new_parent_page") or self.page.get_parent()
        year = self.page.specific.year
        if AnnualPlanPage.objects.child_of(destination).filter(year=year).exists():
            self.add_error(
                "new_parent_page",
                gettext(
                    "That library already has an annual plan for %(year)s. Use "
                    '"Copy to next year" to start next year\'s plan.'
                )
                % {"year": year},
            )
        return cleaned_data


class AnnualPlanPage(ServingMixin, Page):
    """A library's annual plan (jaarplan) for one year.

    Its children are the plan's projects (``ProjectPage``); its focus areas
    (speerpunten, ``FocusArea``) group them. A library has at most one plan per year.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            MinValueValidator(MIN_YEAR, _("Enter a year from 2000 onwards.")),
            MaxValueValidator(MAX_YEAR, _("Enter a year before 2100.")),
        ],
        help_text=_("The calendar year the plan covers. One plan per year."),
    )
    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol", "h2", "h3"],
        help_text=_("The plan's ambition and context, as councils will read it."),
    )
    # The library this plan belongs to: the parent page, kept in a column so the
    # database can guarantee one plan per library per year. Set on every save.
    library = models.ForeignKey(
        "bm_pages.LibraryPage",
        verbose_name=_("library"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="annual_plans",
    )

    base_form_class = AnnualPlanPageForm
    copy_form_class = AnnualPlanCopyForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("year"),
        FieldPanel("introduction"),
        InlinePanel(
            "focus_areas",
            heading=_("Focus areas"),
            label=_("focus area"),
            help_text=_(
                "The focus areas (speerpunten) that group this plan's projects."
            ),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.FilterField("year"),
        index.FilterField("library"),
    ]
    # Public read API (bm_pages/api/v2.py).
    api_fields = [
        APIField("year"),
        APIField("introduction"),
        APIField("library", serializer=PageRefAPISerializer(read_only=True)),
        APIField(
            "focus_areas",
            serializer=FocusAreaAPISerializer(many=True, read_only=True),
        ),
    ]

    parent_page_types = ["bm_pages.LibraryPage"]
    subpage_types = ["bm_pages.ProjectPage"]
    routing_child_model = "bm_pages.ProjectPage"

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [
            models.UniqueConstraint(
                fields=["library", "year"],
                name="bm_pages_one_plan_per_library_year",
                violation_error_message=_(
                    "This library already has an annual plan for this year."
                ),
            )
        ]

    def _parent_library_id(self) -> int | None:
        if not self.path or self.depth is None or self.depth <= 1:
            return None
        parent = self.get_parent()
        return parent.pk if parent is not None else None

    def clean(self):
        super().clean()
        library_id = self._parent_library_id()
        if library_id is not None and self.year:
            clash = (
                AnnualPlanPage.objects.filter(library_id=library_id, year=self.year)
                .exclude(pk=self.pk)
                .exists()
            )
            if clash:
                raise ValidationError({"year": duplicate_year_message(self.year)})

    def save(self, *args, **kwargs):
        library_id = self._parent_library_id()
        if library_id is not None:
            self.library_id = library_id
        return super().save(*args, **kwargs)

    def live_projects(self):
        """The plan's live, public projects, focus area by focus area, then tree order."""
        from .smart_project import ProjectPage

        return without_restricted(ProjectPage.objects.child_of(self).live()).order_by(
            F("focus_area__sort_order").asc(nulls_last=True), "path"
        )

    def get_context(self, request, *args, **kwargs):
        from .library import breadcrumb_pages
        from .smart_project import ProjectPage

        context = super().get_context(request, *args, **kwargs)
        crumbs = breadcrumb_pages(self)
        context["breadcrumb_pages"] = crumbs
        context["library"] = crumbs[-1] if crumbs else None
        projects = self.live_projects()
        counts = dict(
            projects.order_by().values_list("phase").annotate(count=Count("pk"))
        )
        context["project_count"] = sum(counts.values())
        context["phase_counts"] = plan_listing.phase_rows(
            counts, ProjectPage.Phase.choices
        )
        # One page of cards: the HTML and the indicator query stay bounded. Nothing
        # below queries until the template renders the cards, and not at all when
        # it finds them in the cards cache.
        paginator = plan_listing.CountedPaginator(
            projects.only(*plan_listing.CARD_FIELDS),
            plan_listing.PROJECTS_PER_PAGE,
            count=context["project_count"],
        )
        project_page = paginator.get_page(request.GET.get("page"))
        context["project_page"] = project_page
        # A preview shows the draft's focus areas: never from (or into) the cache.
        if not getattr(request, "is_preview", False):
            context["cards_cache"] = plan_listing.cards_cache(
                self.pk, project_page.number
            )
        context["project_sections"] = SimpleLazyObject(
            lambda: self._card_sections(request, list(project_page.object_list))
        )
        return context

    def _card_sections(self, request, page_projects) -> list:
        from .smart_project import ProjectIndicator, ProjectPage

        indicators = (
            ProjectIndicator.objects.filter(
                page_id__in=[project.pk for project in page_projects]
            )
            .order_by("page_id", "sort_order")
            .only(*plan_listing.INDICATOR_FIELDS)
        )
        cards = plan_listing.project_cards(
            page_projects,
            indicators,
            plan_url=self.get_url(request),
            phase_labels=dict(ProjectPage.Phase.choices),
        )
        focus_areas = list(self.focus_areas.all())
        return plan_listing.sections_by_focus_area(
            page_projects,
            cards,
            focus_areas,
            other_title=gettext("Other projects")
            if focus_areas
            else gettext("Projects"),
        )


class FocusArea(Orderable):
    """A focus area (speerpunt) of an annual plan; projects of the plan point to one."""

    page = ParentalKey(
        AnnualPlanPage, on_delete=models.CASCADE, related_name="focus_areas"
    )
    title = models.CharField(
        _("title"), max_length=255, help_text=_("Short name of the focus area.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the library wants to achieve in this area this year."),
    )

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self) -> str:
        return self.title
