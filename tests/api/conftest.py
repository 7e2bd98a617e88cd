"""Fixtures for the API tests: clients, tokens, role holders, a second library."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bm_pages.actions.setup_library import SetUpLibraryAction
from bm_pages.models import LibraryPage
from bm_pages.roles import grant_role
from tests.factories import (
    AnnualPlanPageFactory,
    FocusAreaFactory,
    LibraryPageFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def set_up(library: LibraryPage) -> LibraryPage:
    """Give a factory-made library its role groups (``SetUpLibraryAction``)."""
    SetUpLibraryAction(library.title, slug=library.slug).execute(
        skip_permission_checks=True
    )
    return LibraryPage.objects.get(pk=library.pk)


def user_with_role(library: LibraryPage, role: str, username: str):
    user = UserFactory(username=username)
    grant_role(library, user, role)
    return user


@pytest.fixture
def other_library(home_page) -> LibraryPage:
    library = LibraryPageFactory(parent=home_page, title="Bibliotheek Elders")
    plan = AnnualPlanPageFactory(parent=library, year=2026)
    FocusAreaFactory(page=plan, title="Leesbevordering elders")
    return set_up(library)


@pytest.fixture
def editor(page_tree):
    """An editor of the page tree's library, with an API token."""
    set_up(page_tree.library)
    user = user_with_role(page_tree.library, "editor", "redacteur-teststad")
    return user


@pytest.fixture
def editor_token(editor) -> Token:
    return Token.objects.create(user=editor)


def token_client(token: Token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
