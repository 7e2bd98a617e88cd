"""Settings shared by every environment of the Biblio Monitor host site."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "cms"

INSTALLED_APPS = [
    "bm_pages",
    "bm_matching",
    "cms.demo",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.embeds",
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
    "drf_spectacular_sidecar",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Login lockout after repeated failures (settings AXES_* below).
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 304 to a matching If-None-Match (public pages and API v2 answers carry an ETag).
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous public pages and API v2 answers from the cache, gzipped, purged on
    # every change (bm_pages/public_cache.py); Cache-Control on the rest. Above the
    # session, CSRF and auth middleware, which a cache hit never runs.
    "bm_pages.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin requests that change one page run one after another (a row lock).
    "bm_pages.page_changes.OneChangePerPageMiddleware",
    # A workflow decision that lost a race: a message, not an error page.
    "bm_pages.workflow_decisions.TaskAlreadyDecidedMiddleware",
    # Auditors signing in at /admin/login/ land in their audit portal.
    "bm_pages.admin.login.AuditorLandingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# DATABASE_URL selects the database; SQLite in the checkout is the zero-setup default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}


def tune_sqlite(database: dict) -> dict:
    """Let several processes write one SQLite file: writers queue instead of failing.

    IMMEDIATE takes the write lock when a transaction begins, so a transaction that
    read first cannot fail with "database is locked" when it then writes; ``timeout``
    is how long a writer waits for that lock (``SQLITE_TIMEOUT`` seconds). (WAL
    journal mode was measured too: no fewer errors and no faster storms here, so the
    default journal stays.) Other engines are left as they are.
    """
    if database.get("ENGINE") == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(
            transaction_mode="IMMEDIATE",
            timeout=float(os.environ.get("SQLITE_TIMEOUT", "20")),
        )
    return database


tune_sqlite(DATABASES["default"])

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface speaks Dutch; source strings are English and go through gettext.
# No LocaleMiddleware: public pages are Dutch whatever the browser asks for, and the
# Wagtail admin follows each user's own language preference (Dutch by default).
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}


def cache_settings(redis_url: str) -> dict:
    """``CACHES`` for ``redis_url`` (Redis, shared by every process), or process memory.

    API throttle counters live in this cache: in process memory each gunicorn worker
    counts on its own (3 workers allow 3 times the rate, a recycled worker forgets),
    so production and compose use Redis. ``CACHE_KEY_PREFIX`` keeps several sites
    (or test runs) apart in one Redis.
    """
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bm"),
            # Fail fast when Redis is gone, instead of hanging a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


# Dev: process memory unless REDIS_URL is set; production requires REDIS_URL. The
# anonymous page cache lives here too and is purged by a token in this cache: with
# process memory that holds for one process (runserver, the demo), not for several
# gunicorn workers, which need Redis.
CACHES = cache_settings(os.environ.get("REDIS_URL", "").strip())

LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"
# Password reset answers without waiting for the account lookup and the mail, so
# its timing does not tell which addresses have an account.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "cms.password_reset.PasswordResetForm"  # noqa: S105 (a dotted path, not a secret)

# Login lockout (django-axes, bm_pages/login_lockout.py): after LOGIN_FAILURE_LIMIT
# failed sign-ins for one username from one client address, that pair is refused
# for LOGIN_COOLOFF_MINUTES (the right password too); a success resets the count.
# Counted in the database, so every gunicorn worker sees the same count. Applies to
# the admin login, the audit portal's (/_util/login/) and Django's admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
)
# Per username and address together: guessing one account's password is stopped,
# and nobody can lock a colleague out from elsewhere by typing her username.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The address DRF's throttles use (NUM_PROXIES decides on X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "bm_pages.login_lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "bm_pages.login_lockout.lockout_response"
# Failures only: no table of every successful login (who, when, where from).
AXES_DISABLE_ACCESS_LOG = True

WAGTAIL_SITE_NAME = "Biblio Monitor"
# The admin's login form in Dutch (Wagtail leaves the password label English).
WAGTAILADMIN_USER_LOGIN_FORM = "bm_pages.admin.login.LoginForm"
# No gravatar: it cannot be reached from many library networks (broken avatars) and
# would send staff e-mail hashes to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend; on PostgreSQL with the Dutch text search configuration
# (stemming, Dutch stop words). After changing it run ``manage.py update_index``.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "dutch",
    }
}
WAGTAILDOCS_DOCUMENT_MODEL = "bm_pages.LibraryDocument"
# The front-end sign-in page (view-restricted pages such as the audit portal send
# people there), in the site's look: bm_pages ships it.
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "bm_pages/frontend_login.html"
# Documents are served through Django so Wagtail's permission checks and
# view restrictions apply to every download.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "xlsx",
    "xls",
    "odt",
    "ods",
    "pptx",
    "txt",
    "csv",
]
# The document form: the responsible person is one of the library's staff.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "bm_pages.document_forms.LibraryDocumentForm"
# Upload limits, checked by Wagtail's document and image forms (every admin upload,
# the multiple uploader and the choosers' upload tabs); the errors are Wagtail's own,
# in Dutch. A proxy in front should refuse larger bodies before they arrive.
MB = 1024 * 1024
WAGTAILDOCS_MAX_UPLOAD_SIZE = int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "20")) * MB
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "15")) * MB
# Images are library logos and photos: 25 megapixels holds a 24 MP camera photo
# (6000 x 4000) and any logo. The pixel count is read from the file's header before
# it is decoded: a 15 KB PNG of 121 MP (under Wagtail's default of 128 MP) took a
# worker from 254 MB to 1180 MB when shown; 25 MP bounds that to about a fifth.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = (
    int(os.environ.get("IMAGE_MAX_MEGAPIXELS", "25")) * 1_000_000
)
WAGTAIL_I18N_ENABLED = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# Approvers of the library review its pages; superusers need not get every submission.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "biblio-monitor@localhost")

REST_FRAMEWORK = {
    # Token first: an unauthenticated API client gets 401 with
    # "WWW-Authenticate: Token" rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Errors: {"detail": ..., "code": ..., "errors": {...}?} (bm_pages/api/exceptions.py).
    "EXCEPTION_HANDLER": "bm_pages.api.exceptions.api_exception_handler",
    # Proxies in front of the site that append to X-Forwarded-For: the client is
    # the address that many hops from the end. 0 (dev, no proxy): the socket's
    # address, so a made-up X-Forwarded-For cannot dodge the anonymous throttle.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
    # These throttles read the rates below on every request (overridable in tests);
    # their counters live in the "default" cache (CACHES).
    "DEFAULT_THROTTLE_CLASSES": [
        "bm_pages.api.throttling.AnonRateThrottle",
        "bm_pages.api.throttling.UserRateThrottle",
        "bm_pages.api.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
        # Producing an annual report (docx/pdf) is the expensive call.
        "report": os.environ.get("API_THROTTLE_REPORT", "60/hour"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Biblio Monitor API",
    "DESCRIPTION": "Authenticated API for annual plans, partner matching and partnerships.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Only the DRF API under /api/: not the public Wagtail API v2 (/api/v2/, see
    # bm_pages/api/v2.py) and not the Wagtail admin's internal API.
    "PREPROCESSING_HOOKS": ["bm_pages.api.schema.drf_api_endpoints_only"],
    # Swagger UI served from the site itself: no CDN, so /api/docs/ works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # /api/docs/ offers both schemas: the public API v2 (first) and the DRF API.
    "SWAGGER_UI_SETTINGS": {
        "urls": [
            {"name": "Public API v2", "url": "/api/v2/schema/"},
            {"name": "Authenticated API", "url": "/api/schema/"},
        ],
        "urls.primaryName": "Public API v2",
    },
}

# App settings, namespaced so the apps can be added to another Wagtail site.
BM_PAGES = {
    # An auditor's access ends at most this many days ahead (team admin, grant_role).
    "AUDITOR_ACCESS_MAX_DAYS": int(os.environ.get("AUDITOR_ACCESS_MAX_DAYS", "365")),
    # The anonymous page cache (bm_pages/public_cache.py): seconds an answer is kept
    # (0: nothing stored; a change purges at once either way) and how long a proxy or
    # CDN in front may keep one (s-maxage; nothing purges it).
    "PUBLIC_CACHE_SECONDS": int(os.environ.get("PUBLIC_CACHE_SECONDS", "600")),
    "PUBLIC_CACHE_S_MAXAGE": int(os.environ.get("PUBLIC_CACHE_S_MAXAGE", "1")),
    "PLAN_CARDS_CACHE_SECONDS": int(os.environ.get("PLAN_CARDS_CACHE_SECONDS", "600")),
    "PUBLIC_PARTS_CACHE_SECONDS": int(
        os.environ.get("PUBLIC_PARTS_CACHE_SECONDS", "600")
    ),
}
BM_MATCHING = {
    "MATCHER_URL": os.environ.get("MATCHER_URL", "http://127.0.0.1:8765"),
    "MATCHER_API_TOKEN": os.environ.get("MATCHER_API_TOKEN", "dev-matcher-token"),
    # Seconds: writes (a bulk upsert embeds a batch on CPU), an editor's search.
    "TIMEOUT": float(os.environ.get("MATCHER_TIMEOUT", "30")),
    "SEARCH_TIMEOUT": float(os.environ.get("MATCHER_SEARCH_TIMEOUT", "3")),
    # The outbox worker (manage.py matcher_sync): rows per round, backoff cap (s).
    "BATCH_SIZE": int(os.environ.get("MATCHER_BATCH_SIZE", "100")),
    "MAX_BACKOFF": float(os.environ.get("MATCHER_MAX_BACKOFF", "300")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "bm_pages": {"level": "INFO"},
        "bm_matching": {"level": "INFO"},
    },
}
