"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Screenshots land in ``test-artifacts/screenshots/`` (git-ignored) so a person can look at
each step. Chromium is installed by ``scripts/setup.sh``; a missing browser fails the
test rather than skipping it.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's guard against
# ORM use inside async code would otherwise refuse the test's own database set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("BM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator["object"]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/setup.sh (apt-get install chromium)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request) -> Iterator["object"]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "step-name")`` saves a full-page PNG named after the test."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    counter = {"n": 0}

    def take(page, step: str) -> Path:
        counter["n"] += 1
        path = ARTIFACTS / f"{test_name}-{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def admin_login(live_server):
    """``admin_login(page, username, password)`` signs in to the real Wagtail admin."""

    def login(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/admin/$"))

    return login
