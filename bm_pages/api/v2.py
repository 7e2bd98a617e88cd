"""Public read API (Wagtail API v2): libraries, annual plans and projects.

Other sites (a library's own website, a municipality's portal) read published plans
and projects here. Only live, public pages are ever listed or retrievable: drafts,
pages below a draft plan or library, and pages with any view restriction (password,
login, groups) are left out whoever asks, so the API needs no authentication.

Filters (query parameters), on top of ``limit``, ``offset``, ``fields``, ``order``
and ``search``:

- libraries: ``network`` (slug of the regional network);
- plans: ``library`` (id or slug), ``year``;
- projects: ``library`` (id or slug), ``year``, ``plan`` (id), ``phase``
  (plan/do/check/act/done), ``core_function`` (slug or name), ``kind``
  (regular/assurance), ``focus_area`` (id).

Errors have the same shape as the rest of the API: ``{"detail": ..., "code": ...}``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch
from rest_framework import status
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    LocaleFilter,
    SearchFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError, page_models_from_string
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, Site

from bm_pages.api import v2_docs
from bm_pages.api.exceptions import api_exception_handler
from bm_pages.api.kept_listing import KeptListingMixin
from bm_pages.api.throttling import AnonRateThrottle, UserRateThrottle
from bm_pages.models import AnnualPlanPage, LibraryPage, PolicyTopic, ProjectPage
from bm_pages.models.serving import without_restricted
from bm_pages.public_cache import mark_public, register_hit_check

MAX_INT_PARAM = 2**31 - 1
THROTTLE_CHECK = "api-v2-anonymous-throttle"


def anonymous_throttle_allows(request: HttpRequest) -> bool:
    """A stored API answer counts against the anonymous rate like a rendered one.

    Only anonymous requests reach a stored answer, before the authentication
    middleware has run. When the rate is spent nothing is counted and the request
    goes on to the view, whose throttle answers 429 as usual.
    """
    request.user = AnonymousUser()
    return AnonRateThrottle().allow_request(request, None)


register_hit_check(THROTTLE_CHECK, anonymous_throttle_allows)


def public_pages(request) -> QuerySet[Page]:
    """Live pages of the request's site without any view restriction on them or above.

    Unlike Wagtail's default, a login or group restriction is not lifted for a
    signed-in user: this is the public API. Built once per request (a listing asks
    for it for the count, the page and the filters).
    """
    try:
        return request._bm_public_pages
    except AttributeError:
        pass
    site = Site.find_for_request(request)
    if site is None:
        queryset = Page.objects.none()
    else:
        queryset = without_restricted(
            Page.objects.live().descendant_of(site.root_page, inclusive=True)
        )
    request._bm_public_pages = queryset
    return queryset


class RequestPageHtmlUrlField(PageHtmlUrlField):
    """``html_url`` from the site root paths cached on the request: Wagtail's own
    field asks the cache (a Redis round trip) once per listed page."""

    def to_representation(self, page):
        try:
            return page.get_full_url(self.context.get("request"))
        except NoReverseMatch:
            return None


class PublicPageSerializer(PageSerializer):
    html_url = RequestPageHtmlUrlField(read_only=True)


class PublicPagination(WagtailPagination):
    """Wagtail's ``offset``/``limit`` paging; an offset past the end answers an empty
    page without asking the database for it (it would skip every row to find none)."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        offset = int(request.GET.get("offset", 0))  # checked by Wagtail above
        return [] if offset >= self.total_count else page


def parse_int(name: str, value: str) -> int:
    """A non-negative integer query parameter, or a 400 naming the parameter."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number > MAX_INT_PARAM:
        raise BadRequestError(f"{name} must be a positive integer")
    return number


class PublicFilter(BaseFilterBackend):
    """Applies the viewset's ``filter_handlers`` for the query parameters present."""

    def filter_queryset(self, request, queryset, view):
        for name, handler in view.filter_handlers.items():
            if name in request.GET:
                value = request.GET[name]
                if "\x00" in value:
                    raise BadRequestError(f"{name} may not contain null characters")
                queryset = handler(queryset, value.strip())
        return queryset


class PublicOrderingFilter(BaseFilterBackend):
    """``?order=field`` or ``-field``, limited to the viewset's ``ordering_fields``."""

    def filter_queryset(self, request, queryset, view):
        order = request.GET.get("order")
        if not order:
            return queryset
        fields = []
        for part in order.split(","):
            name = part.strip()
            if name.lstrip("-") not in view.ordering_fields:
                allowed = ", ".join(view.ordering_fields)
                raise BadRequestError(
                    f"cannot order by '{name}'; choose from: {allowed}"
                )
            fields.append(name)
        return queryset.order_by(*fields, "pk")


class PublicSearchFilter(SearchFilter):
    """Wagtail's ``?search=``, on the already filtered pages.

    The filters above use lookups the search backend cannot apply itself, so the
    search runs on ``pk__in`` of the filtered queryset.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if "\x00" in request.GET["search"]:
            raise BadRequestError("search may not contain null characters")
        operator = request.GET.get("search_operator")
        if operator not in (None, "and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        ids = queryset.order_by().values("pk")
        searchable = view.with_related(
            queryset.model.objects.filter(pk__in=ids).order_by(*queryset.query.order_by)
        )
        return super().filter_queryset(request, searchable, view)


class PublicPagesAPIViewSet(KeptListingMixin, PagesAPIViewSet):
    """Base of the public endpoints: anonymous, live public pages, safe filters only."""

    base_serializer_class = PublicPageSerializer
    pagination_class = PublicPagination

    # The public API answers the same to everyone; no session, so no CSRF either.
    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = [AllowAny]
    throttle_classes: ClassVar[list] = [AnonRateThrottle, UserRateThrottle]

    def get_exception_handler(self):
        # Our error body ({"detail", "code"}) without the host's REST_FRAMEWORK.
        return api_exception_handler

    # Documented in its own OpenAPI schema (/api/v2/schema/, bm_pages.api.v2_docs).
    schema = v2_docs.PublicV2Schema()

    filter_backends: ClassVar[list] = [
        PublicFilter,
        ChildOfFilter,
        DescendantOfFilter,
        PublicOrderingFilter,
        PublicSearchFilter,  # last: a search result cannot be filtered further
    ]
    known_query_parameters = frozenset(
        [
            "limit",
            "offset",
            "fields",
            "order",
            "search",
            "search_operator",
            "child_of",
            "descendant_of",
            "format",
            "_",
        ]
    )
    # ``alias_of`` could name a page that is not public; leave it out.
    meta_fields: ClassVar[list[str]] = [
        f for f in PagesAPIViewSet.meta_fields if f != "alias_of"
    ]
    ordering_fields: ClassVar[list[str]] = [
        "id",
        "title",
        "first_published_at",
    ]
    filter_handlers: ClassVar[dict[str, Any]] = {}
    # What each item's fields read, loaded with the page (a join) or in one query per
    # relation for the whole page of items, so a listing costs the same number of
    # queries at any ``limit``. ``related_fields``: API field name -> prefetch
    # lookup, loaded only when ``fields`` asks for it (or on a detail view).
    select_related: ClassVar[tuple[str, ...]] = ("locale",)
    related_fields: ClassVar[dict[str, str]] = {}

    def with_related(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` with what the requested fields read, except for a listing: it
        asks for ids and fetches only the items it has not kept (``represent``)."""
        if self.action == "listing_view":
            return queryset
        return self.item_related(queryset)

    def prefetch_lookups(self) -> list:
        """The relations the requested fields read, one query each per listing."""
        wanted = self.request.GET.get("fields", "")
        everything = self.action != "listing_view" or "*" in wanted
        names = {name.strip("-_ ").split("(")[0] for name in wanted.split(",")}
        return [
            lookup
            for field, lookup in self.related_fields.items()
            if everything or field in names
        ]

    def item_related(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` with the joins and prefetches the requested fields read."""
        return queryset.select_related(*self.select_related).prefetch_related(
            *self.prefetch_lookups()
        )

    def get_renderer_context(self):
        # Compact JSON (Wagtail indents by 4, which makes json use its pure-Python
        # encoder and the answer a third larger); ``Accept: application/json;
        # indent=4`` still asks for it indented.
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    def initial(self, request, *args, **kwargs):
        # The same answer for everyone: the anonymous public cache may keep it, and
        # serves a stored copy only within the anonymous throttle.
        mark_public(request._request, True, hit_check=THROTTLE_CHECK)
        super().initial(request, *args, **kwargs)

    def check_query_parameters(self, queryset):
        """Only the documented parameters: field names are no filters here."""
        unknown = set(self.request.GET.keys()) - self.get_known_query_parameters()
        if unknown:
            names = ", ".join(sorted(unknown))
            raise BadRequestError(
                f"query parameter is not an operation or a recognised filter: {names}"
            )

    @classmethod
    def get_known_query_parameters(cls) -> set[str]:
        return set(cls.known_query_parameters) | set(cls.filter_handlers)

    def get_base_queryset(self):
        return public_pages(self.request)

    def get_queryset(self):
        # Wagtail asks for it twice per listing (the items, and their model for the
        # serializer); building the nested subqueries is not free.
        try:
            return self._bm_queryset
        except AttributeError:
            self._bm_queryset = self.build_queryset()
            return self._bm_queryset

    def build_queryset(self) -> QuerySet:
        base = self.get_base_queryset()
        if self.model is Page:
            return self.with_related(base).order_by("path")
        return self.with_related(
            self.restrict(self.model.objects.filter(pk__in=base.values("pk")))
        ).order_by("path")

    def restrict(self, queryset: QuerySet) -> QuerySet:
        """Further limits on the specific queryset (e.g. the parent must be live)."""
        return queryset

    def find_object(self, queryset, request):
        """``find/?id=`` or ``find/?html_path=``; a malformed id is a 400, not a 500."""
        if "id" in request.GET and "html_path" not in request.GET:
            return queryset.filter(id=parse_int("id", request.GET["id"])).first()
        if "\x00" in request.GET.get("html_path", ""):
            raise BadRequestError("html_path may not contain null characters")
        return super().find_object(queryset, request)

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return Response(
                {"detail": "Not found.", "code": "not_found"},
                status=status.HTTP_404_NOT_FOUND,
            )
        if isinstance(exc, BadRequestError):
            return Response(
                {"detail": str(exc), "code": "bad_request"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return super().handle_exception(exc)


def filter_by_library(queryset: QuerySet, value: str, lookup: str) -> QuerySet:
    """``library`` as a page id or a slug."""
    if not value:
        raise BadRequestError("library must be an id or a slug")
    if value.isdigit():
        return queryset.filter(**{lookup: parse_int("library", value)})
    return queryset.filter(**{f"{lookup}__slug": value})


def filter_by_year(queryset: QuerySet, value: str, lookup: str) -> QuerySet:
    return queryset.filter(**{lookup: parse_int("year", value)})


class LibrariesAPIViewSet(PublicPagesAPIViewSet):
    """Public libraries: contact, branches, municipalities, network, logo."""

    name = "libraries"
    model = LibraryPage
    listing_default_fields: ClassVar[list[str]] = [
        *PagesAPIViewSet.listing_default_fields,
        "municipalities",
        "network",
        "website",
    ]
    filter_handlers: ClassVar[dict[str, Any]] = {
        "network": lambda qs, value: qs.filter(network__slug=value),
    }
    select_related = ("locale", "network", "logo")
    related_fields: ClassVar[dict[str, str]] = {"branches": "branches"}


class AnnualPlansAPIViewSet(PublicPagesAPIViewSet):
    """Published annual plans of public libraries, with their focus areas."""

    name = "plans"
    model = AnnualPlanPage
    listing_default_fields: ClassVar[list[str]] = [
        *PagesAPIViewSet.listing_default_fields,
        "year",
        "library",
    ]
    ordering_fields: ClassVar[list[str]] = [
        *PublicPagesAPIViewSet.ordering_fields,
        "year",
    ]
    filter_handlers: ClassVar[dict[str, Any]] = {
        "library": lambda qs, value: filter_by_library(qs, value, "library"),
        "year": lambda qs, value: filter_by_year(qs, value, "year"),
    }
    select_related = ("locale", "library")
    related_fields: ClassVar[dict[str, str]] = {"focus_areas": "focus_areas"}

    def restrict(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(library__live=True)


def filter_by_phase(queryset: QuerySet, value: str) -> QuerySet:
    if value not in ProjectPage.Phase.values:
        raise BadRequestError(
            "phase must be one of: " + ", ".join(ProjectPage.Phase.values)
        )
    return queryset.filter(phase=value)


def filter_by_kind(queryset: QuerySet, value: str) -> QuerySet:
    if value not in ProjectPage.Kind.values:
        raise BadRequestError(
            "kind must be one of: " + ", ".join(ProjectPage.Kind.values)
        )
    return queryset.filter(kind=value)


def filter_by_core_function(queryset: QuerySet, value: str) -> QuerySet:
    """``core_function`` by slug or (case-insensitive) name; unknown ones are a 400."""
    functions = PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)
    topic = functions.filter(Q(slug=value) | Q(name__iexact=value)).first()
    if topic is None:
        known = ", ".join(functions.values_list("slug", flat=True))
        raise BadRequestError(
            f"core_function '{value}' is not a Wsob core function; use one of: {known}"
        )
    return queryset.filter(core_functions=topic)


class ProjectsAPIViewSet(PublicPagesAPIViewSet):
    """Published projects with their SMART card, PDCA phase, activities and provenance."""

    name = "projects"
    model = ProjectPage
    listing_default_fields: ClassVar[list[str]] = [
        *PagesAPIViewSet.listing_default_fields,
        "summary",
        "phase",
        "kind",
        "library",
        "plan",
        "focus_area",
        "smart_check",
    ]
    ordering_fields: ClassVar[list[str]] = [
        *PublicPagesAPIViewSet.ordering_fields,
        "phase",
        "start_date",
        "end_date",
    ]
    filter_handlers: ClassVar[dict[str, Any]] = {
        "library": lambda qs, value: filter_by_library(qs, value, "plan__library"),
        "year": lambda qs, value: filter_by_year(qs, value, "plan__year"),
        "plan": lambda qs, value: qs.filter(plan_id=parse_int("plan", value)),
        "phase": filter_by_phase,
        "kind": filter_by_kind,
        "core_function": filter_by_core_function,
        "focus_area": lambda qs, value: qs.filter(
            focus_area_id=parse_int("focus_area", value)
        ),
    }
    # The plan and its library come by prefetch, not by join: joining three
    # wagtailcore_page rows made PostgreSQL spend about 20 ms planning the listing
    # query (it runs in under a millisecond), more than all else the listing costs.
    select_related = ("locale", "focus_area")
    related_fields: ClassVar[dict[str, str]] = {
        name: name
        for name in (
            "indicators",
            "core_functions",
            "policy_topics",
            "work_fields",
            "phase_log",
            "activities",
            "assurance_checks",
        )
    }

    def prefetch_lookups(self) -> list:
        # Every listed project shows its plan and library; its SMART check reads
        # the indicators and topics, searched or not.
        return [
            *super().prefetch_lookups(),
            # Only what the references show (id, title, year/slug), not the plans'
            # and libraries' dozens of columns.
            Prefetch("plan", AnnualPlanPage.objects.only("title", "year", "library")),
            Prefetch("plan__library", LibraryPage.objects.only("title", "slug")),
            "indicators",
            "core_functions",
            "policy_topics",
        ]

    def restrict(self, queryset: QuerySet) -> QuerySet:
        # A subquery, not joins on the plan's and library's pages (see above).
        live_plans = AnnualPlanPage.objects.live().filter(library__live=True)
        return queryset.filter(plan__in=live_plans.values("pk"))


class PublicPagesAPIViewSetForAllTypes(PublicPagesAPIViewSet):
    """Every live public page (home, libraries, plans, projects) by id, title, type.

    Takes Wagtail's own parameters as Wagtail documents them: ``type`` (one or more
    ``app.Model``, comma separated; with one, ``fields`` may name that model's API
    fields), ``locale``, ``ancestor_of`` and ``translation_of`` beside ``child_of``,
    ``descendant_of``, ``search``, ``order`` and ``fields``.
    """

    name = "pages"
    model = Page
    ordering_fields: ClassVar[list[str]] = [*PublicPagesAPIViewSet.ordering_fields]
    filter_backends: ClassVar[list] = [
        PublicFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        TranslationOfFilter,
        LocaleFilter,
        PublicOrderingFilter,
        PublicSearchFilter,
    ]
    known_query_parameters = PublicPagesAPIViewSet.known_query_parameters | {
        "type",
        "locale",
        "ancestor_of",
        "translation_of",
    }

    def build_queryset(self) -> QuerySet:
        base = self.get_base_queryset()
        type_names = self.request.GET.get("type", "").strip()
        try:
            models = page_models_from_string(type_names) if type_names else ()
        except (LookupError, ValueError) as error:
            raise BadRequestError(
                "type doesn't exist; use app_label.ModelName, e.g. bm_pages.ProjectPage"
            ) from error
        models = [model for model in models if model is not Page]
        if len(models) == 1:
            # One type: its own queryset, so ``fields`` can name its API fields.
            queryset = models[0].objects.filter(pk__in=base.values("pk"))
        elif models:
            queryset = base.type(*models)
        else:
            queryset = base
        return queryset.order_by("path")


def register_endpoints(router) -> None:
    """Register the public endpoints on a ``WagtailAPIRouter``.

    The specific endpoints come first: a page's ``detail_url`` points to the first
    endpoint whose model it is an instance of. Images and documents are not exposed:
    documents may be visible to the library or its partners only, and library logos
    are served as renditions on the library endpoint.
    """
    for name, viewset in (
        ("libraries", LibrariesAPIViewSet),
        ("plans", AnnualPlansAPIViewSet),
        ("projects", ProjectsAPIViewSet),
        ("pages", PublicPagesAPIViewSetForAllTypes),
    ):
        router.register_endpoint(name, v2_docs.document(viewset, name))
