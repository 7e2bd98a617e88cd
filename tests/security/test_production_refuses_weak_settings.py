"""Production refuses weak settings unless ``BM_ALLOW_INSECURE=1`` (hardening item 12).

``check --deploy`` used to pass with ``MATCHER_API_TOKEN=a``, ``ALLOWED_HOSTS=*`` and
an SQLite database, and only warned with HSTS and the HTTPS redirect off. Each case
starts a real process with ``cms.settings.production`` (the pattern of
``tests/production/test_settings.py``): refused, then started with the override and
a warning naming what is weak.
"""

from __future__ import annotations

import json

import pytest

from tests.production.conftest import production_env, run_manage, run_python

LOAD = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, s.DATABASES['default']['ENGINE']]))"
)
WARNING = "BM_ALLOW_INSECURE=1: starting with weak production settings"

WEAK = [
    pytest.param(
        {"MATCHER_API_TOKEN": "a"},
        "MATCHER_API_TOKEN is shorter than 32 characters",
        id="token-a",
    ),
    pytest.param(
        {"MATCHER_API_TOKEN": "Kq8-" + "x7Lm" * 6 + "zZ9"},  # 31 characters
        "MATCHER_API_TOKEN is shorter than 32 characters",
        id="token-31",
    ),
    pytest.param(
        {"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS contains a wildcard", id="hosts-*"
    ),
    pytest.param(
        {"ALLOWED_HOSTS": "biblio.example.org,*"},
        "ALLOWED_HOSTS contains a wildcard",
        id="hosts-list-with-*",
    ),
    pytest.param(
        {"DATABASE_URL": "sqlite:////tmp/biblio.sqlite3"},
        "DATABASE_URL is not PostgreSQL",
        id="sqlite",
    ),
    pytest.param({"SECURE_HSTS_SECONDS": "0"}, "HSTS is off", id="hsts-off"),
    pytest.param(
        {"SECURE_SSL_REDIRECT": "false"}, "the HTTPS redirect is off", id="no-redirect"
    ),
]


@pytest.mark.parametrize(("overrides", "message"), WEAK)
def test_weak_setting_is_refused_unless_explicitly_allowed(overrides, message):
    refused = run_python(LOAD, production_env(**overrides))
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "Refusing weak production settings" in refused.stderr
    assert message in refused.stderr
    assert "BM_ALLOW_INSECURE=1" in refused.stderr  # says how to override

    allowed = run_python(LOAD, production_env(BM_ALLOW_INSECURE="1", **overrides))
    assert allowed.returncode == 0, allowed.stderr
    debug, _hosts, _engine = json.loads(allowed.stdout.strip().splitlines()[-1])
    assert debug is False
    warning = [line for line in allowed.stderr.splitlines() if WARNING in line]
    assert warning and message in warning[0], allowed.stderr


def test_all_weaknesses_are_named_at_once():
    env = production_env(
        MATCHER_API_TOKEN="a",
        ALLOWED_HOSTS="*",
        SECURE_HSTS_SECONDS="0",
        # Refused before Django would look for a MySQL driver (none is installed).
        DATABASE_URL="mysql://biblio:S3cure-Passw0rd@127.0.0.1:3306/biblio",
    )
    refused = run_python(LOAD, env)
    assert refused.returncode != 0
    for message in (
        "MATCHER_API_TOKEN",
        "wildcard",
        "HSTS is off",
        "DATABASE_URL is not PostgreSQL (django.db.backends.mysql)",
    ):
        assert message in refused.stderr


def test_check_deploy_no_longer_passes_a_one_letter_token():
    result = run_manage("check", "--deploy", env=production_env(MATCHER_API_TOKEN="a"))
    assert result.returncode != 0
    assert "MATCHER_API_TOKEN is shorter than 32 characters" in result.stderr


def test_strong_settings_start_without_a_warning():
    env = production_env(MATCHER_API_TOKEN="k" * 20 + "Zx9-Lm4_Rt7_")  # 32
    loaded = run_python(LOAD, env)
    assert loaded.returncode == 0, loaded.stderr
    assert WARNING not in loaded.stderr
    assert json.loads(loaded.stdout.strip().splitlines()[-1])[2] == (
        "django.db.backends.postgresql"
    )


def test_an_explicit_no_is_not_an_override():
    refused = run_python(LOAD, production_env(BM_ALLOW_INSECURE="0", ALLOWED_HOSTS="*"))
    assert refused.returncode != 0
    assert "ALLOWED_HOSTS contains a wildcard" in refused.stderr


def test_the_shared_cache_is_required_override_or_not():
    for env in (
        production_env(REDIS_URL=None),
        production_env(REDIS_URL=None, BM_ALLOW_INSECURE="1"),
    ):
        refused = run_python(LOAD, env)
        assert refused.returncode != 0
        assert "REDIS_URL is missing or a placeholder" in refused.stderr
