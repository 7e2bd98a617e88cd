"""The top of the page tree: the site's home page and one page per library organisation."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
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
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page
from wagtail.search import index

from bm_pages import public_search
from bm_pages.api.fields import BranchAPISerializer, NetworkAPISerializer
from bm_pages.panels import SetUpFieldPanel

from .serving import HOME_DEPTH, ServingMixin, routed_ancestors, without_restricted

SETUP_LOG_ACTION = "bm_pages.library_setup"

SEARCH_RESULTS_PER_PAGE = 20


def breadcrumb_pages(page: Page) -> list[Page]:
    """The page's ancestors below the tree root, for the public breadcrumb trail."""
    ancestors = routed_ancestors(page)
    if ancestors is None:
        return list(page.get_ancestors().filter(depth__gte=HOME_DEPTH))
    return ancestors


class HomePage(RoutablePageMixin, ServingMixin, Page):
    """The root page of the site: what Biblio Monitor is, the libraries, and search.

    There is one home page; every ``LibraryPage`` sits directly below it.
    """

    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol", "h2", "h3"],
        help_text=_("What Biblio Monitor is, shown above the list of libraries."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["bm_pages.LibraryPage"]
    routing_child_model = "bm_pages.LibraryPage"
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def live_libraries(self):
        return (
            without_restricted(LibraryPage.objects.child_of(self).live())
            .select_related("network", "logo")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        libraries = list(self.live_libraries())
        context["libraries"] = libraries
        networks: dict = {}
        for library in libraries:
            networks.setdefault(library.network, []).append(library)
        # Libraries grouped by network, networks by name, those without one last.
        context["libraries_by_network"] = sorted(
            networks.items(), key=lambda item: (item[0] is None, str(item[0] or ""))
        )
        return context

    @path("zoeken/", name="search")
    def search_route(self, request):
        """Search over the live, public libraries, plans and projects (public_search)."""
        query = request.GET.get("q", "").strip()[: public_search.MAX_QUERY_LENGTH]
        filters = public_search.parse_filters(self, request.GET)
        results_page = rows = None
        failed_sources: list[str] = []
        if query:
            found = public_search.search_public_pages(self, query, filters)
            failed_sources = found.failed_sources
            paginator = Paginator(found.page_ids, SEARCH_RESULTS_PER_PAGE)
            try:
                results_page = paginator.page(request.GET.get("page", 1))
            except PageNotAnInteger:
                results_page = paginator.page(1)
            except EmptyPage:
                results_page = paginator.page(paginator.num_pages)
            rows = public_search.result_rows(list(results_page.object_list))
        return self.render(
            request,
            context_overrides={
                "search_query": query,
                "search_results": results_page,
                "result_rows": rows,
                "search_filters": filters,
                "filter_choices": public_search.filter_choices(self),
                "search_sources_failed": bool(failed_sources),
                "breadcrumb_pages": [self],
            },
            template="bm_pages/search_results.html",
        )


class Urbanity(models.IntegerChoices):
    """CBS "stedelijkheid": addresses per km² around the library's area."""

    VERY_STRONG = 1, _("1 – very strongly urban")
    STRONG = 2, _("2 – strongly urban")
    MODERATE = 3, _("3 – moderately urban")
    LITTLE = 4, _("4 – hardly urban")
    NOT_URBAN = 5, _("5 – not urban")


class LibraryPageForm(WagtailAdminPageForm):
    """Editor form: set-up fields a permitted user changes take effect at once.

    Set-up fields are not page content (:meth:`LibraryPage.with_content_json`), so a
    change cannot wait in a draft for publishing: it goes to the page row here.
    """

    def save(self, commit=True):
        page = super().save(commit=commit)
        if page.pk:
            changes = {
                name: self.cleaned_data[name]
                for name in LibraryPage.SETUP_FIELDS
                if name in self.fields and name in self.changed_data
            }
            if changes:
                page.change_setup(user=self.for_user, **changes)
        return page


class LibraryPage(ServingMixin, Page):
    """One library organisation: its branches, region, contact details and logo.

    Its children are the library's annual plans (``AnnualPlanPage``), one per year.
    The library's documents live in its own Wagtail collection (``collection``), so
    collection permissions scope its editors.

    ``network`` and ``collection`` are set-up fields (``SETUP_FIELDS``): they decide
    whom the library shares with and where its documents are filed, so its own
    staff cannot change them. Only users with ``SETUP_PERMISSION`` (superusers) do,
    in the admin or with ``manage.py setup_library``; a library joins a network
    otherwise only by a request the network's side accepts
    (``bm_pages.actions.network_membership``).
    """

    #: Fields set up for the library rather than edited by it (see the docstring).
    SETUP_FIELDS = ("network", "collection")

    class ProjectVisibility(models.TextChoices):
        ALL = "all", _("all libraries")
        NETWORK = "network", _("network members and partners")
        PARTNERS = "partners", _("partners only")

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A few sentences about the library for the public page."),
    )
    municipalities = models.TextField(
        _("municipalities served"),
        blank=True,
        help_text=_("The municipalities the library works for, separated by commas."),
    )
    # The library's profile (bm_pages/profile.py): with the branches and the
    # municipalities, what "libraries like mine" compares.
    inhabitants = models.PositiveIntegerField(
        _("inhabitants served"),
        null=True,
        blank=True,
        help_text=_("How many people live in the municipalities the library serves."),
    )
    urbanity = models.PositiveSmallIntegerField(
        _("urbanity (CBS)"),
        null=True,
        blank=True,
        choices=Urbanity.choices,
        help_text=_(
            "The CBS urbanity class of the library's area, from 1 (very strongly "
            "urban) to 5 (not urban)."
        ),
    )
    network = models.ForeignKey(
        "bm_pages.RegionalNetwork",
        verbose_name=_("regional network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="libraries",
        help_text=_("The regional network the library belongs to, if any."),
    )
    project_visibility = models.CharField(
        _("who can find our projects"),
        max_length=10,
        choices=ProjectVisibility.choices,
        default=ProjectVisibility.ALL,
        help_text=_(
            "Which other libraries can find the live projects of this library when "
            "they look for similar projects."
        ),
    )
    email = models.EmailField(
        _("email address"), blank=True, help_text=_("General email address.")
    )
    phone = models.CharField(
        _("phone number"),
        max_length=40,
        blank=True,
        help_text=_("General phone number."),
    )
    website = models.URLField(
        _("website"), blank=True, help_text=_("The library's own website.")
    )
    address = models.TextField(
        _("postal address"),
        blank=True,
        help_text=_("Address of the main office, as it should appear on letters."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No reverse accessor: an image does not need to know which library uses it.
        related_name="+",
        help_text=_("The library's logo, shown on its public page."),
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("document collection"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The collection that holds this library's documents."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("municipalities"),
                FieldRowPanel([FieldPanel("inhabitants"), FieldPanel("urbanity")]),
                SetUpFieldPanel("network"),
            ],
            heading=_("Area and network"),
        ),
        InlinePanel("branches", heading=_("Branches"), label=_("branch")),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("website"),
                FieldPanel("address"),
            ],
            heading=_("Contact"),
        ),
    ]
    sharing_panels = [
        FieldPanel("project_visibility"),
        SetUpFieldPanel("collection"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Library")),
            ObjectList(sharing_panels, heading=_("Sharing")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("municipalities"),
        index.FilterField("network"),
        index.FilterField("project_visibility"),
    ]
    # Public read API (bm_pages/api/v2.py): what the public library page shows.
    api_fields = [
        APIField("introduction"),
        APIField("municipalities"),
        APIField("inhabitants"),
        APIField("urbanity"),
        APIField("network", serializer=NetworkAPISerializer(read_only=True)),
        APIField("email"),
        APIField("phone"),
        APIField("website"),
        APIField("address"),
        APIField("branches", serializer=BranchAPISerializer(many=True, read_only=True)),
        APIField("logo", serializer=ImageRenditionField("max-400x200", read_only=True)),
    ]

    base_form_class = LibraryPageForm
    parent_page_types = ["bm_pages.HomePage"]
    subpage_types = ["bm_pages.AnnualPlanPage", "bm_pages.AuditPortalPage"]
    routing_child_model = "bm_pages.AnnualPlanPage"

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")
        permissions = [
            (
                "change_library_setup",
                _("Can change a library's regional network and document collection"),
            )
        ]

    def with_content_json(self, content):
        # Set-up fields come from the page row, never from a revision: publishing a
        # draft, an old revision or a revert cannot move the library into a network.
        obj = super().with_content_json(content)
        for name in self.SETUP_FIELDS:
            attname = self._meta.get_field(name).attname
            setattr(obj, attname, getattr(self, attname))
        return obj

    def change_setup(self, *, user=None, **values) -> None:
        """Set set-up fields (``network``, ``collection``) on the page row, logged.

        The caller checks who may: a superuser's admin form, ``setup_library``, or
        an accepted network membership request.

        :param user: who made the change, for the page's history.
        :param values: the new values by field name.
        """
        old = {
            name: getattr(self, self._meta.get_field(name).attname) for name in values
        }
        for name, value in values.items():
            setattr(self, name, value)
        # save(), not update(): apps that follow library changes through model
        # signals (the matching index keeps each project's network) see it.
        row = LibraryPage.objects.get(pk=self.pk)
        for name, value in values.items():
            setattr(row, name, value)
        row.save(update_fields=list(values), clean=False)
        log(
            instance=row,
            action=SETUP_LOG_ACTION,
            user=user,
            data={
                name: {
                    "old": old[name],
                    "new": getattr(row, self._meta.get_field(name).attname),
                }
                for name in values
            },
        )

    @property
    def municipality_list(self) -> list[str]:
        return [m.strip() for m in self.municipalities.split(",") if m.strip()]

    def live_plans(self):
        from .annual_plan import AnnualPlanPage

        return without_restricted(
            AnnualPlanPage.objects.child_of(self).live()
        ).order_by("-year")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumb_pages"] = breadcrumb_pages(self)
        context["plans"] = list(self.live_plans())
        context["branch_list"] = list(self.branches.all())
        return context


class Branch(Orderable):
    """A branch (vestiging) of a library, listed on its page in the editor's order."""

    page = ParentalKey(LibraryPage, on_delete=models.CASCADE, related_name="branches")
    name = models.CharField(
        _("name"), max_length=255, help_text=_("Name of the branch, e.g. the town.")
    )
    address = models.CharField(
        _("address"),
        max_length=255,
        blank=True,
        help_text=_("Street, number, postcode and place."),
    )
    note = models.CharField(
        _("note"),
        max_length=255,
        blank=True,
        help_text=_("For example: a service point in the community centre."),
    )

    panels = [FieldPanel("name"), FieldPanel("address"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self) -> str:
        return self.name
