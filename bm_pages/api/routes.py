"""The API routes bm_pages ships; the host mounts them (``cms/api.py``).

- ``register_v2_endpoints``: the public Wagtail API v2 endpoints (libraries, plans,
  projects) on the host's ``WagtailAPIRouter``.
- ``register_routes``: the authenticated REST API (plans, projects, partnerships,
  partners) on the host's DRF router.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bm_pages.api import v2
from bm_pages.api.partnerships import PartnershipViewSet, PartnerViewSet
from bm_pages.api.views import AnnualPlanViewSet, ProjectViewSet

if TYPE_CHECKING:
    from rest_framework.routers import BaseRouter
    from wagtail.api.v2.router import WagtailAPIRouter


def register_v2_endpoints(router: WagtailAPIRouter) -> None:
    v2.register_endpoints(router)


def register_routes(router: BaseRouter) -> None:
    router.register("plans", AnnualPlanViewSet, basename="plan")
    router.register("projects", ProjectViewSet, basename="project")
    router.register("partnerships", PartnershipViewSet, basename="partnership")
    router.register("partners", PartnerViewSet, basename="partner")
