from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as static_serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from bm_pages import document_serving
from cms import health
from cms.api import drf_router, wagtail_api_router

# The public Wagtail API v2 in a schema of its own (bm_pages/api/v2_docs.py).
PUBLIC_V2_SCHEMA_SETTINGS = {
    "TITLE": "Biblio Monitor public API v2",
    "DESCRIPTION": (
        "Read-only, no authentication: the live, public libraries, annual plans "
        "and projects, in Wagtail's API v2 conventions."
    ),
    "PREPROCESSING_HOOKS": ["bm_pages.api.v2_docs.public_v2_endpoints_only"],
}

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view, with Cache-Control by visibility.
    re_path(
        r"^documents/(\d+)/(.*)$", document_serving.serve, name="wagtaildocs_serve"
    ),
    path("documents/", include(wagtaildocs_urls)),
    # Health checks for load balancers and compose (cms/health.py).
    path("healthz/", health.liveness, name="healthz"),
    path("readyz/", health.readiness, name="readyz"),
    # The public Wagtail API v2 and the authenticated DRF API (cms/api.py).
    path(
        "api/v2/schema/",
        SpectacularAPIView.as_view(custom_settings=PUBLIC_V2_SCHEMA_SETTINGS),
        name="api-v2-schema",
    ),
    path("api/v2/", wagtail_api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with both schemas: the public v2 API and the authenticated API.
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-v2-schema"),
        name="api-docs",
    ),
    path("api/matching/", include("bm_matching.api.urls")),
    path("api/", include((drf_router.urls, "bm-api"))),
]

# Images (library logos and their renditions) are public, so Django serves them in
# every environment; WhiteNoise serves static files only. Never the whole MEDIA_ROOT:
# documents must go through Wagtail's permission-checked view at /documents/.
_media = settings.MEDIA_URL.lstrip("/")
# Each folder is its own document root, so "images/../documents/..." escapes it and 404s.
urlpatterns += [
    re_path(
        rf"^{_media}{folder}/(?P<path>.+)$",
        static_serve,
        {"document_root": Path(settings.MEDIA_ROOT) / folder},
    )
    for folder in ("images", "original_images")
]

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
