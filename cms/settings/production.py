"""Production settings: everything comes from the environment.

Start-up is refused when a secret is missing or still a placeholder (such as the
``change-me`` values of ``.env.example``).

Required: ``SECRET_KEY`` (at least 50 characters), ``ALLOWED_HOSTS`` (comma-separated,
no ``*``), ``DATABASE_URL`` (PostgreSQL), ``MATCHER_URL``, ``MATCHER_API_TOKEN`` (at
least 32 characters), ``REDIS_URL`` (the cache: API throttle counters shared by all
workers, e.g. ``redis://redis:6379/0``).
Optional: ``CSRF_TRUSTED_ORIGINS`` (default ``https://<host>`` per allowed host),
``WAGTAILADMIN_BASE_URL`` (default ``https://<first host>``), ``SECURE_SSL_REDIRECT``,
``SECURE_HSTS_SECONDS``, ``SECURE_HSTS_INCLUDE_SUBDOMAINS``, ``SECURE_HSTS_PRELOAD``,
``DB_CONN_MAX_AGE``, ``STATIC_ROOT``, ``MEDIA_ROOT``, ``LOG_LEVEL``, ``EMAIL_HOST``,
``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``,
``DEFAULT_FROM_EMAIL``, ``API_THROTTLE_ANON``, ``API_THROTTLE_USER``,
``API_THROTTLE_REPORT``, ``NUM_PROXIES`` (proxies appending to X-Forwarded-For in
front of the site, default 1), ``CACHE_KEY_PREFIX``.

Weak settings (a short matcher token, a wildcard host, a database other than
PostgreSQL, HSTS or the HTTPS redirect switched off) are refused unless
``BM_ALLOW_INSECURE=1`` says to start anyway; then every start logs a warning naming
them.

The site runs behind a TLS-terminating proxy that sets ``X-Forwarded-Proto``.
"""

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *

# Values that mean "not filled in": exact matches, or containing one of the markers.
_PLACEHOLDERS = {
    "",
    "changeme",
    "change-me",
    "changethis",
    "secret",
    "placeholder",
    "xxx",
}
_PLACEHOLDER_MARKERS = (
    "change-me",
    "changeme",
    "changethis",
    "placeholder",
    "django-insecure",
)
MIN_SECRET_KEY_LENGTH = 50


def is_placeholder(value: str) -> bool:
    lowered = value.strip().lower()
    return lowered in _PLACEHOLDERS or any(m in lowered for m in _PLACEHOLDER_MARKERS)


def required_env(name: str) -> str:
    """Return a required environment variable, refusing empty or placeholder values."""
    value = os.environ.get(name, "").strip()
    if is_placeholder(value):
        raise ImproperlyConfigured(
            f"Environment variable {name} is missing or a placeholder; set a real value."
        )
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be a whole number."
        ) from exc


DEBUG = False

SECRET_KEY = required_env("SECRET_KEY")
if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} random characters; "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

ALLOWED_HOSTS = [
    h.strip() for h in required_env("ALLOWED_HOSTS").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
] or [f"https://{h.lstrip('.')}" for h in ALLOWED_HOSTS if h != "*" and "*" not in h]
WAGTAILADMIN_BASE_URL = (
    os.environ.get("WAGTAILADMIN_BASE_URL", "").strip()
    or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)

_database_url = required_env("DATABASE_URL")
_database_password = urlsplit(_database_url).password or ""
if _database_password and is_placeholder(_database_password):
    raise ImproperlyConfigured(
        "The password in DATABASE_URL is a placeholder; set a real one."
    )
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
tune_sqlite(DATABASES["default"])

BM_MATCHING = {
    **BM_MATCHING,
    "MATCHER_URL": required_env("MATCHER_URL"),
    "MATCHER_API_TOKEN": required_env("MATCHER_API_TOKEN"),
}

# Throttle counters in Redis, shared by every gunicorn worker (see cache_settings).
CACHES = cache_settings(required_env("REDIS_URL"))
# Behind the TLS proxy: the client is the last X-Forwarded-For entry it appended
# (compose: one hop). Anything a client wrote before it is ignored.
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": env_int("NUM_PROXIES", 1)}

# Health probes are answered before host validation and the HTTPS redirect.
MIDDLEWARE = ["cms.health.HealthCheckMiddleware", *MIDDLEWARE]

# HTTPS, behind a proxy that terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Weak settings: refused, unless BM_ALLOW_INSECURE=1 (then logged on every start).
MIN_MATCHER_TOKEN_LENGTH = 32


def weak_settings() -> list[str]:
    """What makes this configuration unsafe to run on the internet."""
    weak = []
    if len(BM_MATCHING["MATCHER_API_TOKEN"]) < MIN_MATCHER_TOKEN_LENGTH:
        weak.append(
            f"MATCHER_API_TOKEN is shorter than {MIN_MATCHER_TOKEN_LENGTH} characters"
        )
    if any("*" in host for host in ALLOWED_HOSTS):
        weak.append("ALLOWED_HOSTS contains a wildcard (*)")
    engine = DATABASES["default"].get("ENGINE", "")
    if not engine.endswith((".postgresql", ".postgis")):
        weak.append(f"DATABASE_URL is not PostgreSQL ({engine})")
    if SECURE_HSTS_SECONDS <= 0:
        weak.append("HSTS is off (SECURE_HSTS_SECONDS=0)")
    if not SECURE_SSL_REDIRECT:
        weak.append("the HTTPS redirect is off (SECURE_SSL_REDIRECT=false)")
    return weak


ALLOW_INSECURE = env_bool("BM_ALLOW_INSECURE", False)
if _weak := weak_settings():
    if not ALLOW_INSECURE:
        raise ImproperlyConfigured(
            "Refusing weak production settings: "
            + "; ".join(_weak)
            + ". Fix them, or set BM_ALLOW_INSECURE=1 to start anyway."
        )
    # Logging is not configured yet: Python's last-resort handler prints to stderr.
    logging.getLogger("cms.settings").warning(
        "BM_ALLOW_INSECURE=1: starting with weak production settings: %s.",
        "; ".join(_weak),
    )

# Static files: hashed, compressed, served by WhiteNoise from the collected folder.
if os.environ.get("STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["STATIC_ROOT"])
STORAGES = {
    **STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Mail (workflow notifications, password resets).
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# Logs go to stdout, one line each, for the container runtime to collect.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {
            "handlers": ["stdout"],
            "level": "WARNING",
            "propagate": False,
        },
        "django.security": {
            "handlers": ["stdout"],
            "level": "WARNING",
            "propagate": False,
        },
        "django.db.backends": {
            "handlers": ["stdout"],
            "level": "WARNING",
            "propagate": False,
        },
        "wagtail": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "bm_pages": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "bm_matching": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "cms": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}
