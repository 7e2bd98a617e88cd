"""Test data built once per test module, as Django's ``setUpTestData`` does.

A module's tests share one world (libraries, staff, plans, documents) built in a
transaction that is rolled back after the module; each test runs in its own
savepoint on top of it, so what a test changes is gone for the next.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """Run the block's database work in a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def built_per_module(build: Callable[[], Any]) -> Any:
    """A module-scoped fixture giving ``build()``, built once per test module and
    rolled back after it. pytest names it after the attribute it is assigned to."""

    @pytest.fixture(scope="module")
    def built(django_db_setup, django_db_blocker):
        with rolled_back(django_db_blocker):
            with django_db_blocker.unblock():
                world = build()
            yield world

    return built


def world_per_module(build: Callable[[], Any]) -> tuple[Any, Any]:
    """``world_module, world = world_per_module(build)`` in a test module: the world
    built once (:func:`built_per_module`), and ``world`` giving it to each test in
    its own savepoint. Assign them under these two names, which pytest finds them by.
    """

    @pytest.fixture
    def world(world_module, db):
        return world_module

    return built_per_module(build), world
