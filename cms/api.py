"""The site's two API routers, kept apart.

- ``wagtail_api_router``: the public, read-only Wagtail API v2 (``/api/v2/``) with
  the plugin's library, plan and project endpoints.
- ``drf_router``: the authenticated Django REST framework API (``/api/``), with its
  OpenAPI schema at ``/api/schema/`` and docs at ``/api/docs/``.
"""

from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter

from bm_matching.api.import_views import ProjectImportViewSet
from bm_matching.api.partnership_views import PartnershipViewSet, PartnerViewSet
from bm_pages.api import v2
from bm_pages.api.views import AnnualPlanViewSet, ProjectViewSet

wagtail_api_router = WagtailAPIRouter("wagtailapi")
v2.register_endpoints(wagtail_api_router)

drf_router = DefaultRouter()
drf_router.register("plans", AnnualPlanViewSet, basename="plan")
# Only POST projects/{id}/import/; registered before ProjectViewSet so the API root
# keeps listing "projects" (the router keys its root by prefix).
drf_router.register("projects", ProjectImportViewSet, basename="project-import")
drf_router.register("projects", ProjectViewSet, basename="project")
drf_router.register("partnerships", PartnershipViewSet, basename="partnership")
drf_router.register("partners", PartnerViewSet, basename="partner")
