"""API v2 listings that keep what other listings share, until the next purge.

A listing's items recur across offsets, limits and filters, and its count across
pages: both are kept in the public cache (``PUBLIC_PARTS_CACHE_SECONDS``, purged with
every public answer, see ``bm_pages.public_cache``). A listing then asks the
database for the ids of its page of items only, and fetches, prefetches and
serializes just the items no listing has shown since the last change.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from bm_pages import public_cache

# Query parameters that choose the items but not how each item looks.
PAGING_PARAMETERS = frozenset({"limit", "offset", "fields", "format", "_"})


class KeptCount:
    """The queryset to page, with its count kept under ``name``."""

    def __init__(self, queryset: Any, name: str) -> None:
        self.queryset = queryset
        self.name = name

    def count(self) -> int:
        return public_cache.kept(self.name, self.queryset.count)

    def __getitem__(self, key):
        return self.queryset[key]


class KeptListingMixin:
    """For a Wagtail ``BaseAPIViewSet``: item representations and counts kept.

    The viewset gives ``item_related(queryset)`` (the joins and prefetches the
    items' fields read).
    """

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        model = queryset.model
        queryset = self.filter_queryset(queryset)
        if isinstance(queryset, QuerySet):
            # Ids only: the items are kept, or fetched whole below.
            queryset = queryset.select_related(None).only("pk")
        page = self.paginate_queryset(
            KeptCount(queryset, self._kept_name(request, "count", listing=True))
        )
        ids = [item.pk for item in page]
        kept = public_cache.kept_many(
            {pk: self._kept_name(request, f"item:{pk}") for pk in ids},
            lambda missing: self.represent(model, missing),
        )
        return self.get_paginated_response([kept[pk] for pk in ids])

    def represent(self, model, ids: list[int]) -> dict[int, Any]:
        """The representations of the items ``ids``, with one query per relation."""
        items = self.item_related(model._default_manager.filter(pk__in=ids))
        by_id = {item.pk: item for item in items}
        ordered = [by_id[pk] for pk in ids if pk in by_id]
        data = self.get_serializer(ordered, many=True).data
        return {
            item.pk: representation
            for item, representation in zip(ordered, data, strict=True)
        }

    def _kept_name(self, request, part: str, listing: bool = False) -> str:
        """A part's name: the endpoint, the host its URLs point to, and the query
        parameters that shape it (for a count, every filter; for an item, the fields
        and type asked for)."""
        if listing:
            shaping = sorted(
                (name, value)
                for name, value in request.GET.items()
                if name not in PAGING_PARAMETERS
            )
        else:
            shaping = [(name, request.GET.get(name, "")) for name in ("fields", "type")]
        asked = repr((request.scheme, request.get_host(), type(self).__name__, shaping))
        digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
        return f"api-v2:{digest}:{part}"
