"""URLs of the bare test host: Wagtail's own, plus the routes bm_pages ships."""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import urls as wagtaildocs_urls

from bm_pages import document_serving
from bm_pages.api import routes

wagtail_api_router = WagtailAPIRouter("wagtailapi")
routes.register_v2_endpoints(wagtail_api_router)
drf_router = DefaultRouter()
routes.register_routes(drf_router)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    re_path(
        r"^documents/(\d+)/(.*)$", document_serving.serve, name="wagtaildocs_serve"
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", wagtail_api_router.urls),
    path("api/", include((drf_router.urls, "bm-api"))),
    path("", include(wagtail_urls)),
]
