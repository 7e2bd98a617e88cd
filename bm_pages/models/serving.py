"""How our page types are found and checked when a public page is served.

Wagtail routes a URL one slug at a time, with two queries per page (the generic row,
then its specific one), and asks a page's view restrictions once in its own
``before_serve_page`` hook and again in ours (``public_cache.mark_served_page``). On
a page miss those queries are most of what a small page costs, so our page types
route to the child type they usually hold with one query and keep their view
restrictions for the request that routed to them.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from wagtail.models import PageViewRestriction

from bm_pages import public_cache

# The site's home page sits right below the tree's root.
HOME_DEPTH = 2


class ServingMixin:
    """For page types: one query per URL segment, view restrictions asked once.

    ``routing_child_model`` ("app_label.ModelName") is the type the page's children
    usually are; a child of another type (or none) falls back to Wagtail's routing.
    """

    routing_child_model: str = ""

    def route(self, request, path_components):
        if path_components and self.routing_child_model:
            model = apps.get_model(self.routing_child_model)
            child = model.objects.child_of(self).filter(slug=path_components[0]).first()
            if child is not None:
                child._cached_parent_obj = self
                # Already specific: ``specific`` returns it without a query.
                return child.specific.route(request, path_components[1:])
        return super().route(request, path_components)  # type: ignore[misc]

    def get_view_restrictions(self) -> Any:
        """Wagtail's restrictions of this page and its ancestors, kept on this instance.

        An instance lives for one request (routing fetches it afresh); the queryset
        is evaluated by whoever iterates it first, and ``exists()`` on an evaluated
        queryset asks nothing. A routed page knows its ancestors (and whether they
        are aliases) without asking for them.
        """
        try:
            return self._bm_view_restrictions
        except AttributeError:
            pass
        ancestors = routed_ancestors(self)
        if ancestors is None:
            restrictions = super().get_view_restrictions()  # type: ignore[misc]
        else:
            # As Wagtail: an alias is restricted by its source page's restrictions.
            ids = {page.alias_of_id or page.pk for page in [*ancestors, self]}
            restrictions = PageViewRestriction.objects.filter(
                Q(page_id__in=ids) | Q(page__depth=1)  # and the tree's root
            )
        self._bm_view_restrictions = restrictions
        return restrictions


def routed_ancestors(page) -> list | None:
    """The page's ancestors from the site's home page down, as routing found them.

    ``None`` when routing did not bring us here (a preview, a page fetched on its
    own): ask the tree then.
    """
    ancestors = []
    current = page
    while current.depth > HOME_DEPTH:
        current = getattr(current, "_cached_parent_obj", None)
        if current is None:
            return None
        ancestors.append(current)
    return ancestors[::-1]


def without_restricted(pages: QuerySet) -> QuerySet:
    """``pages`` without those at or below a view restriction: Wagtail's ``public()``.

    ``public()`` asks for every restriction on each call; their paths are kept until
    the next purge here (saving or deleting a restriction purges), so a public
    listing or search asks for them once per change instead of once per request.
    """
    paths = public_cache.kept("restricted-page-paths", restricted_page_paths)
    if not paths:
        return pages
    return pages.exclude(
        functools.reduce(operator.or_, (Q(path__startswith=path) for path in paths))
    )


def restricted_page_paths() -> list[str]:
    return sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True)))
