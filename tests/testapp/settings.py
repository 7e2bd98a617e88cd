"""A bare Wagtail site with bm_pages installed: no ``cms`` host, no bm_matching.

Proves bm_pages installs as a plugin: ``scripts/test.sh`` runs bm_pages' tests with
these settings (on SQLite). Only what a Wagtail site has anyway, plus what bm_pages'
README asks a host to set: the document model and its form. No ``REST_FRAMEWORK``:
the API views carry their own policy.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

SECRET_KEY = "testapp-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "tests.testapp.urls"

INSTALLED_APPS = [
    "bm_pages",
    "wagtail.api.v2",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
]

# bm_pages' middleware in the order its README gives: the anonymous public cache
# before the session, the per-page lock and workflow guard after auth, then the
# auditors' landing.
MIDDLEWARE = [
    "django.middleware.http.ConditionalGetMiddleware",
    "bm_pages.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bm_pages.page_changes.OneChangePerPageMiddleware",
    "bm_pages.workflow_decisions.TaskAlreadyDecidedMiddleware",
    "bm_pages.admin.login.AuditorLandingMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default="sqlite:///:memory:")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_CLIENT_IP_CALLABLE = "bm_pages.login_lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "bm_pages.login_lockout.lockout_response"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LANGUAGE_CODE = "nl"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bm-testapp-media-"))
LOGIN_URL = "wagtailadmin_login"

WAGTAIL_SITE_NAME = "Biblio Monitor"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_DOCUMENT_MODEL = "bm_pages.LibraryDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "bm_pages.document_forms.LibraryDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "bm_pages/frontend_login.html"
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_USER_LOGIN_FORM = "bm_pages.admin.login.LoginForm"
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# As the host's test settings: tests switch the public cache on where they test it
# (many change rows with update(), which purges nothing).
BM_PAGES = {
    "PUBLIC_CACHE_SECONDS": 0,
    "PLAN_CARDS_CACHE_SECONDS": 0,
    "PUBLIC_PARTS_CACHE_SECONDS": 0,
}
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False


if os.environ.get("TESTAPP_DEBUG_SQL"):
    LOGGING = {"version": 1, "loggers": {"django.db.backends": {"level": "DEBUG"}}}
