"""Fixtures of the library roles tests: two set-up libraries with staff and pages.

``roles_world`` is built once per test module inside an outer transaction that is
rolled back when the module ends, like Django's ``TestCase.setUpTestData``; each test
still runs in its own savepoint, so what one test changes the next does not see.
"""

import pytest
from django.db import transaction

from tests.bm_pages.roles_helpers import RolesWorld, build_roles_world


@pytest.fixture(scope="module")
def _roles_world_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_roles_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def roles_world(_roles_world_for_module, db) -> RolesWorld:
    return _roles_world_for_module
