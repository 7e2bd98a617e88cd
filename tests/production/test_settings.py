"""Production settings: read from the environment, refuse placeholders, deploy-clean."""

from __future__ import annotations

import json

import pytest

from tests.production.conftest import REPO, production_env, run_manage, run_python

LOAD_SETTINGS = "import django; django.setup(); print('loaded')"


def env_example_values() -> dict[str, str]:
    values = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def test_complete_environment_loads():
    result = run_python(LOAD_SETTINGS, production_env())
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is missing or a placeholder"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing or a placeholder"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY is missing or a placeholder"),
        (
            {"SECRET_KEY": "django-insecure-" + "k" * 50},
            "SECRET_KEY is missing or a placeholder",
        ),
        ({"SECRET_KEY": "short-but-real-9f8e7d"}, "SECRET_KEY must be at least 50"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is missing or a placeholder"),
        ({"DATABASE_URL": None}, "DATABASE_URL is missing or a placeholder"),
        (
            {"DATABASE_URL": "postgres://biblio:change-me@db:5432/biblio"},
            "DATABASE_URL is missing or a placeholder",
        ),
        (
            {"DATABASE_URL": "postgres://biblio:secret@db:5432/biblio"},
            "password in DATABASE_URL is a placeholder",
        ),
        ({"MATCHER_URL": None}, "MATCHER_URL is missing or a placeholder"),
        ({"MATCHER_API_TOKEN": None}, "MATCHER_API_TOKEN is missing or a placeholder"),
        (
            {"MATCHER_API_TOKEN": "changeme"},
            "MATCHER_API_TOKEN is missing or a placeholder",
        ),
        (
            {"SECURE_SSL_REDIRECT": "misschien"},
            "SECURE_SSL_REDIRECT must be true or false",
        ),
    ],
)
def test_missing_or_placeholder_settings_refuse_to_start(overrides, message):
    result = run_python(LOAD_SETTINGS, production_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_placeholders_of_env_example_are_refused():
    example = env_example_values()
    assert example["SECRET_KEY"] == "change-me"
    assert example["MATCHER_API_TOKEN"] == "change-me"
    assert example["POSTGRES_PASSWORD"] == "change-me"
    env = production_env(
        SECRET_KEY=example["SECRET_KEY"],
        ALLOWED_HOSTS=example["ALLOWED_HOSTS"],
        MATCHER_API_TOKEN=example["MATCHER_API_TOKEN"],
        DATABASE_URL=f"postgres://biblio:{example['POSTGRES_PASSWORD']}@db:5432/biblio_monitor",
    )
    result = run_python(LOAD_SETTINGS, env)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or a placeholder" in result.stderr
    # With a real key, the next placeholder is refused too.
    env["SECRET_KEY"] = production_env()["SECRET_KEY"]
    result = run_python(LOAD_SETTINGS, env)
    assert result.returncode != 0
    assert "placeholder" in result.stderr


def test_check_deploy_is_clean():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_security_static_and_logging_settings():
    code = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "hosts": s.ALLOWED_HOSTS,
    "csrf": s.CSRF_TRUSTED_ORIGINS,
    "admin_url": s.WAGTAILADMIN_BASE_URL,
    "static": s.STORAGES["staticfiles"]["BACKEND"],
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in s.MIDDLEWARE,
    "first_middleware": s.MIDDLEWARE[0],
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "proxy": list(s.SECURE_PROXY_SSL_HEADER),
    "hsts": s.SECURE_HSTS_SECONDS,
    "cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "log_stream": s.LOGGING["handlers"]["stdout"]["stream"],
    "matcher": s.BM_MATCHING["MATCHER_URL"],
    "db": s.DATABASES["default"]["NAME"],
}))
"""
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is False
    assert values["hosts"] == ["biblio.example.org", "www.biblio.example.org"]
    assert values["csrf"] == [
        "https://biblio.example.org",
        "https://www.biblio.example.org",
    ]
    assert values["admin_url"] == "https://biblio.example.org"
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["whitenoise"] is True
    assert values["first_middleware"] == "cms.health.HealthCheckMiddleware"
    assert values["ssl_redirect"] is True
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["hsts"] >= 31536000
    assert values["cookies"] == [True, True]
    assert values["log_stream"] == "ext://sys.stdout"
    assert values["matcher"] == "http://127.0.0.1:8765"
    assert values["db"] == "biblio"
