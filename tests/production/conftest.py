"""Helpers for the production tests: real subprocesses with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Variables a test must control; the surrounding shell's values are dropped.
CONTROLLED = (
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "MATCHER_URL",
    "MATCHER_API_TOKEN",
    "CSRF_TRUSTED_ORIGINS",
    "WAGTAILADMIN_BASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "STATIC_ROOT",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "NUM_PROXIES",
    "BM_ALLOW_INSECURE",
)
# The Redis that runs on this machine; each environment gets its own key prefix.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def production_env(**overrides: str | None) -> dict[str, str]:
    """A complete, valid production environment; ``None`` removes a variable."""
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "biblio.example.org,www.biblio.example.org",
            # Loading settings and running checks does not connect to it.
            "DATABASE_URL": "postgres://biblio:S3cure-Passw0rd@127.0.0.1:5432/biblio",
            "MATCHER_URL": "http://127.0.0.1:8765",
            "MATCHER_API_TOKEN": secrets.token_urlsafe(32),
            "REDIS_URL": TEST_REDIS_URL,
            "CACHE_KEY_PREFIX": f"bm-test-{secrets.token_hex(6)}",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(
    code: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_manage(
    *args: str, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def repo() -> Path:
    return REPO
