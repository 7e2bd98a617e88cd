"""Production settings: everything comes from the environment.

Start-up is refused when a secret is missing or still a placeholder.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *

_PLACEHOLDERS = {"", "changeme", "change-me", "changethis", "secret", "placeholder"}


def required_env(name: str) -> str:
    """Return a required environment variable, refusing empty or placeholder values."""
    value = os.environ.get(name, "").strip()
    if value.lower() in _PLACEHOLDERS or value.startswith("django-insecure"):
        raise ImproperlyConfigured(
            f"Environment variable {name} is missing or a placeholder; set a real value."
        )
    return value


DEBUG = False
SECRET_KEY = required_env("SECRET_KEY")
ALLOWED_HOSTS = [
    h.strip() for h in required_env("ALLOWED_HOSTS").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]
DATABASES = {
    "default": dj_database_url.parse(
        required_env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
    )
}
BM_MATCHING = {
    **BM_MATCHING,
    "MATCHER_URL": required_env("MATCHER_URL"),
    "MATCHER_API_TOKEN": required_env("MATCHER_API_TOKEN"),
}
