"""OpenAPI description of the public Wagtail API v2 (``/api/v2/schema/``).

The endpoints answer with Wagtail's envelope (``meta.total_count`` plus ``items``) and
the fields a client asks for with ``?fields=``, so each operation documents the
envelope, its filters, and one real-looking example per endpoint. Served apart from
the authenticated DRF API's schema; ``/api/docs/`` shows both.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers

PUBLIC_V2_PREFIX = "/api/v2/"


class PublicV2Schema(AutoSchema):
    """Wagtail's viewsets route GET to ``listing_view``/``detail_view``/``find_view``;
    listing them here lets ``extend_schema_view`` annotate them."""

    method_mapping = {
        **AutoSchema.method_mapping,
        "wagtail_listing": "listing_view",
        "wagtail_detail": "detail_view",
        "wagtail_find": "find_view",
    }


def public_v2_endpoints_only(endpoints: list[tuple], **kwargs: Any) -> list[tuple]:
    """Preprocessing hook of the public schema: the ``/api/v2/`` endpoints only."""
    return [e for e in endpoints if e[0].startswith(PUBLIC_V2_PREFIX)]


def _param(name: str, description: str, kind=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description)


COMMON = [
    _param("limit", "Items per page (default 20, at most 100).", OpenApiTypes.INT),
    _param("offset", "Items to skip.", OpenApiTypes.INT),
    _param(
        "fields",
        "Extra fields, comma separated (`*` for all, `-field` to drop one, "
        "`_,title` for only the title).",
    ),
    _param("order", "Field to order by; `-` in front for descending (`-title`)."),
    _param("search", "Full-text search (Dutch stemming on PostgreSQL)."),
    _param("search_operator", "`and` (every word) or `or` (any word)."),
    _param("child_of", "Only the direct children of this page id.", OpenApiTypes.INT),
    _param("descendant_of", "Only pages below this page id.", OpenApiTypes.INT),
]
PAGES_ONLY = [
    _param(
        "type",
        "Wagtail page type(s), comma separated, e.g. `bm_pages.ProjectPage`. With "
        "one type, `fields` may name that type's fields.",
    ),
    _param("locale", "Language code of the pages, e.g. `nl`."),
    _param("ancestor_of", "Only the pages above this page id.", OpenApiTypes.INT),
    _param("translation_of", "Only translations of this page id.", OpenApiTypes.INT),
]
LIBRARY = _param("library", "Library page id or slug.")
YEAR = _param("year", "Year of the annual plan.", OpenApiTypes.INT)
FILTERS = {
    "libraries": [_param("network", "Slug of the regional network.")],
    "plans": [LIBRARY, YEAR],
    "projects": [
        LIBRARY,
        YEAR,
        _param("plan", "Annual plan page id.", OpenApiTypes.INT),
        _param("phase", "PDCA phase: plan, do, check, act or done."),
        _param("kind", "regular or assurance."),
        _param("core_function", "Wsob core function, by slug or name."),
        _param("focus_area", "Focus area id.", OpenApiTypes.INT),
    ],
    "pages": PAGES_ONLY,
}

META = {
    "type": "bm_pages.ProjectPage",
    "detail_url": "https://example.org/api/v2/projects/42/",
}
EXAMPLES = {
    "libraries": {
        "id": 3,
        "meta": {**META, "type": "bm_pages.LibraryPage"},
        "title": "Bibliotheek Maas en Waal",
        "municipalities": "Druten, Wijchen",
        "network": {"slug": "rivierenland", "name": "Netwerk Rivierenland"},
        "website": "https://www.example.org",
    },
    "plans": {
        "id": 7,
        "meta": {**META, "type": "bm_pages.AnnualPlanPage"},
        "title": "Jaarplan 2026",
        "year": 2026,
        "library": {"id": 3, "title": "Bibliotheek Maas en Waal"},
    },
    "projects": {
        "id": 42,
        "meta": META,
        "title": "Voorlezen aan huis met de VoorleesExpress",
        "summary": "Vrijwilligers lezen twintig weken voor bij gezinnen thuis.",
        "phase": "do",
        "kind": "regular",
        "library": {"id": 3, "title": "Bibliotheek Maas en Waal"},
        "plan": {"id": 7, "title": "Jaarplan 2026", "year": 2026},
        "focus_area": {"id": 2, "title": "Geletterdheid"},
    },
    "pages": {"id": 42, "meta": META, "title": "Voorlezen aan huis"},
}
DESCRIPTIONS = {
    "libraries": "Public libraries: contact, branches, municipalities, network, logo.",
    "plans": "Published annual plans of public libraries, with their focus areas.",
    "projects": "Published projects: SMART card, PDCA phase, activities, provenance.",
    "pages": "Every live public page, with Wagtail's own parameters (`type`, ...).",
}


def document(viewset, name: str):
    """Attach the OpenAPI description of endpoint ``name`` to ``viewset``."""
    listing = inline_serializer(
        name=f"{name.capitalize()}Listing",
        fields={
            "meta": inline_serializer(
                name=f"{name.capitalize()}ListingMeta",
                fields={"total_count": serializers.IntegerField()},
            ),
            "items": serializers.ListField(child=serializers.DictField()),
        },
    )
    example = EXAMPLES[name]
    not_found = OpenApiResponse(description="No live public page with that id.")
    bad_request = OpenApiResponse(
        description='An unknown parameter or a bad value: `{"detail", "code"}`.'
    )
    return extend_schema_view(
        listing_view=extend_schema(
            operation_id=f"v2_{name}_list",
            summary=f"List {name}",
            description=DESCRIPTIONS[name],
            tags=["Public API v2"],
            parameters=[*COMMON, *FILTERS[name]],
            responses={200: listing, 400: bad_request},
            examples=[
                OpenApiExample(
                    f"{name} listing",
                    value={"meta": {"total_count": 1}, "items": [example]},
                    response_only=True,
                )
            ],
        ),
        detail_view=extend_schema(
            operation_id=f"v2_{name}_detail",
            summary=f"One of the {name}",
            description=DESCRIPTIONS[name] + " `fields` works here too.",
            tags=["Public API v2"],
            parameters=[COMMON[2]],
            responses={200: OpenApiTypes.OBJECT, 404: not_found},
            examples=[OpenApiExample(f"one of {name}", value=example)],
        ),
        find_view=extend_schema(
            operation_id=f"v2_{name}_find",
            summary=f"Find one of the {name} by id or html_path",
            tags=["Public API v2"],
            parameters=[
                _param("id", "Page id.", OpenApiTypes.INT),
                _param("html_path", "Path of the page on the site."),
            ],
            responses={
                302: OpenApiResponse(description="To the detail URL."),
                404: not_found,
            },
        ),
    )(viewset)
