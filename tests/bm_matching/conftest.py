"""Fixtures of the bm_matching tests: real matcher processes, settings pointing at them.

``matcher`` is the real service with the real model, started once per session (start-up
loads the model: tens of seconds on a busy machine). ``fake_matcher`` is the real
service with the hashing FakeEmbedder, for plumbing tests that stop, kill and restart
it (ranking is beside the point there). Tests that change what the matcher holds call
``clean_matcher`` first: the matcher outlives each test's database transaction.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from bm_matching.clients import set_client_override
from matcher_service.testing import run_matcher
from tests.bm_matching.helpers import SearchWorld, drain, matcher_settings, wipe_matcher


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "postgresql: needs PostgreSQL (row locks with SKIP LOCKED); fails elsewhere",
    )


@pytest.fixture(scope="module", autouse=True)
def _migrated_data_back_after_flush(django_db_setup, django_db_blocker):
    """Put the migrations' data (root page, home page, taxonomy) back after a module
    whose transactional tests flushed the database.

    pytest-django restores it only at the start of the next ``serialized_rollback``
    test, and a browser test cannot do that restore: while Playwright runs an event
    loop in the test thread, Django hands out new connection objects without the
    serialized data (asgiref's thread-critical Local switches to context-var storage).
    A browser test running after these modules would find an empty database.
    """
    yield
    from django.db import connections
    from wagtail.models import Page

    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents and not Page.objects.using(alias).filter(depth=1).exists():
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def matcher(tmp_path_factory):
    with run_matcher(tmp_path_factory.mktemp("matcher"), token="bm-test-token") as proc:
        yield proc


@pytest.fixture(scope="session")
def fake_matcher(tmp_path_factory):
    with run_matcher(
        tmp_path_factory.mktemp("fake-matcher"), model="fake", token="bm-fake-token"
    ) as proc:
        yield proc


@pytest.fixture
def use_matcher(matcher, settings):
    """Point bm_matching at the real matcher."""
    settings.BM_MATCHING = matcher_settings(matcher)
    return matcher


@pytest.fixture
def clean_matcher(use_matcher):
    """The real matcher, emptied before the test."""
    wipe_matcher(use_matcher)
    return use_matcher


@pytest.fixture
def fake_client():
    """Route bm_matching to an in-memory FakeMatcherClient for this test."""
    from bm_matching.clients import FakeMatcherClient

    client = FakeMatcherClient()
    set_client_override(client)
    yield client
    set_client_override(None)


@pytest.fixture(scope="module")
def _search_world_for_module(matcher, django_db_setup, django_db_blocker):
    """``SearchWorld`` built once per module and indexed in the real matcher.

    Built inside an outer transaction that is rolled back when the module ends (like
    ``TestCase.setUpTestData``); each test runs in its own savepoint on top. Tests
    using it must not change what the matcher holds.
    """
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(BM_MATCHING=matcher_settings(matcher)),
    ):
        wipe_matcher(matcher)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = SearchWorld()
            result = drain()
            assert not result.outage and not result.failed_pages, result
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    wipe_matcher(matcher)


@pytest.fixture
def search_world(_search_world_for_module, use_matcher, db) -> SearchWorld:
    return _search_world_for_module
