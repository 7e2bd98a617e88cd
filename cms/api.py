"""The site's two API routers, kept apart, filled by the apps' own routes.

- ``wagtail_api_router``: the public, read-only Wagtail API v2 (``/api/v2/``) with
  the plugin's library, plan and project endpoints.
- ``drf_router``: the authenticated Django REST framework API (``/api/``), with its
  OpenAPI schema at ``/api/schema/`` and docs at ``/api/docs/``.
"""

from rest_framework.routers import DefaultRouter
from wagtail.api.v2.router import WagtailAPIRouter

from bm_matching.api import routes as matching_routes
from bm_pages.api import routes as pages_routes

wagtail_api_router = WagtailAPIRouter("wagtailapi")
pages_routes.register_v2_endpoints(wagtail_api_router)

drf_router = DefaultRouter()
matching_routes.register_routes(drf_router)  # first: see bm_matching/api/routes.py
pages_routes.register_routes(drf_router)
