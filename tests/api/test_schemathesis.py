"""Property-based API tests (Schemathesis) against the published OpenAPI schemas.

- The CMS's DRF API, from its own ``/api/schema/``, called in-process over WSGI with
  an editor's token (the partner search API reaches a real matcher over HTTP).
- The matcher service's own OpenAPI, over HTTP against a running service.

Every operation gets a bounded number of generated requests; each answer must not be a
server error and must match the schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from matcher_service.app import create_app
from matcher_service.config import MatcherSettings
from matcher_service.embedder import FakeEmbedder
from matcher_service.testing import MatcherProcess, run_matcher

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance]
MAX_EXAMPLES = 12
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@pytest.fixture(scope="module")
def fake_matcher(tmp_path_factory) -> Iterator[MatcherProcess]:
    """The real matcher service with the hashing embedder (plumbing, not ranking)."""
    with run_matcher(tmp_path_factory.mktemp("matcher"), model="fake") as matcher:
        yield matcher


# The CMS's DRF API --------------------------------------------------------------------

# Loaded from the app's own /api/schema/ over WSGI (no database needed for that).
drf_schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the start or end of a request must not close the
    connection that holds the test's transaction (the WSGI transport sends both)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def drf_settings(fake_matcher, settings, keep_test_connection):
    """No throttling in the way, and the partner search talking to a real matcher."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": "100000/minute",
            "user": "100000/minute",
            "report": "100000/minute",
        },
    }
    settings.BM_MATCHING = {
        **settings.BM_MATCHING,
        "MATCHER_URL": fake_matcher.url,
        "MATCHER_API_TOKEN": fake_matcher.token,
    }
    return settings


@drf_schema.parametrize()
@HYPOTHESIS
def test_drf_api_answers_match_its_schema(case, drf_settings, editor_token, page_tree):
    headers = {"Authorization": f"Token {editor_token.key}"}
    case.call_and_validate(headers=headers, checks=CHECKS)
    # Random ids mostly miss; one call per example with a real id checks the 200s.
    if "id" in (case.path_parameters or {}):
        known = (
            page_tree.plan.pk if "/plans/" in case.path else page_tree.live_project.pk
        )
        case.path_parameters = {**case.path_parameters, "id": known}
        case.call_and_validate(headers=headers, checks=CHECKS)


def test_drf_schema_covers_the_plan_project_and_report_operations():
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}"
        for result in drf_schema.get_all_operations()
    }
    assert {
        "GET /api/plans/",
        "GET /api/plans/{id}/",
        "GET /api/plans/{id}/report/",
        "GET /api/projects/",
        "GET /api/projects/{id}/",
    } <= operations


# The matcher service's own API --------------------------------------------------------

# The matcher's OpenAPI as its FastAPI app publishes it (checked against the served
# copy below); the requests go over HTTP to a running service.
matcher_schema = schemathesis.openapi.from_dict(
    create_app(MatcherSettings(api_token="unused"), embedder=FakeEmbedder()).openapi()
)


@pytest.fixture
def seeded_matcher(fake_matcher) -> MatcherProcess:
    """Give searches something to find."""
    httpx.put(
        f"{fake_matcher.url}/v1/projects/seed-1",
        json={
            "library_id": "lib-1",
            "library_name": "Bibliotheek Teststad",
            "title": "BoekStart in Teststad",
            "summary": "Ouders van baby's krijgen een BoekStartkoffertje.",
            "year": 2026,
        },
        headers=fake_matcher.headers,
        timeout=10,
    ).raise_for_status()
    return fake_matcher


def test_matcher_serves_the_schema_under_test(fake_matcher):
    served = httpx.get(f"{fake_matcher.url}/openapi.json", timeout=10).json()
    assert served == matcher_schema.raw_schema


@matcher_schema.parametrize()
@HYPOTHESIS
def test_matcher_answers_match_its_schema(case, seeded_matcher):
    case.call_and_validate(
        base_url=seeded_matcher.url, headers=seeded_matcher.headers, checks=CHECKS
    )
