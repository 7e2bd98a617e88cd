"""The API routes bm_matching ships; the host mounts them (``cms/api.py``).

``register_routes`` adds ``POST /api/projects/{id}/import/`` to the host's DRF router.
Call it before bm_pages' ``register_routes``: the router keys its API root by prefix,
so registering "projects" first keeps the root listing bm_pages' project endpoint.
The search API has its own URLs (``bm_matching.api.urls``, at ``api/matching/``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_matching.api.import_views import ProjectImportViewSet

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter


def register_routes(router: BaseRouter) -> None:
    router.register("projects", ProjectImportViewSet, basename="project-import")
