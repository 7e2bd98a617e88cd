"""Test settings: fast hashing, in-memory cache and mail, plain static storage.

DATABASE_URL selects the database (the test script runs the suite on PostgreSQL and
again on SQLite); without it the suite runs on SQLite.
"""

import tempfile

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bm-test-media-"))
# WhiteNoise warns about a missing STATIC_ROOT on every request; tests serve no files.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bm-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The anonymous page cache stores nothing by default in tests (many change rows with
# update(), which purges nothing); tests/bm_pages/test_public_cache.py switches it on.
BM_PAGES = {
    **BM_PAGES,
    "PUBLIC_CACHE_SECONDS": 0,
    "PLAN_CARDS_CACHE_SECONDS": 0,
    "PUBLIC_PARTS_CACHE_SECONDS": 0,
}
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "dutch",
    }
}
