"""The Dutch guide's screenshots, taken from the real admin in a real browser.

Walks the main flows with builders' data (the dashboard, the buttons of an annual
plan, copying it to next year, a review) and saves one small PNG per flow. By default
they go to ``test-artifacts/guide/``; ``scripts/guide_screenshots.sh`` sets
``BM_GUIDE_SCREENSHOTS`` to ``bm_pages/static/bm_pages/guide/`` to renew the ones the
guide shows. Then the guide itself is opened: every screenshot it names loads.
"""

from __future__ import annotations

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from bm_pages.models import ProjectPage
from tests.bm_pages.roles_helpers import PASSWORD
from tests.builders import add_plan, make_staff, set_up_library
from tests.factories import (
    FocusAreaFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("BM_GUIDE_SCREENSHOTS") or ROOT / "test-artifacts" / "guide")
#: The guide's PNGs stay small: the admin's pages are mostly flat colour.
MAX_BYTES = 150_000
GUIDE_SHOTS = ("dashboard", "jaarplan-knoppen", "kopieren", "beoordelen")


@pytest.fixture
def library_story(db):
    library = set_up_library("Bibliotheek Rivierstad")
    staff = make_staff(library, "rivierstad")
    for user, (first, last) in (
        (staff["editor"], ("Rosa", "Redacteur")),
        (staff["approver"], ("Gijs", "Goedkeurder")),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    plan = add_plan(library, 2026)
    plan.introduction = "<p>Onze ambitie voor 2026: iedereen in Rivierstad leest.</p>"
    plan.save_revision(user=staff["editor"]).publish(user=staff["approver"])
    area = FocusAreaFactory(page=plan, title="Taal en geletterdheid", sort_order=0)
    for n, (title, phase, spent) in enumerate(
        [
            ("Taalcafé Rivierstad", ProjectPage.Phase.DO, Decimal("2100")),
            ("BoekStart in de wijk", ProjectPage.Phase.CHECK, None),
            ("Digitaal café voor senioren", ProjectPage.Phase.PLAN, Decimal("600")),
        ]
    ):
        project = ProjectPageFactory(
            parent=plan,
            title=title,
            phase=phase,
            focus_area=area,
            budget=Decimal(4000 + 500 * n),
            hours=120 + 20 * n,
            budget_spent=spent,
            start_date=datetime.date(2026, 1, 15),
            end_date=datetime.date(2026, 12, 15),
        )
        ProjectIndicatorFactory(
            page=project, name="deelnemers", target=Decimal("40"), result=Decimal(30)
        )
        project.save_revision(user=staff["editor"]).publish(user=staff["approver"])
    submitted = ProjectPageFactory(
        parent=plan, title="Voorleesexpress Rivierstad", live=False, focus_area=area
    )
    submitted.save_revision(user=staff["editor"])
    plan.get_workflow().start(submitted, staff["editor"])
    return plan, staff, ProjectPage.objects.get(pk=submitted.pk)


def shoot(page, name: str) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled")
    assert path.stat().st_size < MAX_BYTES, (name, path.stat().st_size)
    return path


def sign_in(browser, admin_login, user):
    context = browser.new_context(
        viewport={"width": 1366, "height": 680}, locale="nl-NL"
    )
    page = context.new_page()
    admin_login(page, user.username, PASSWORD)
    return context, page


def test_guide_screenshots_of_the_main_flows(
    browser, admin_login, live_server, library_story
):
    plan, staff, submitted = library_story
    context, page = sign_in(browser, admin_login, staff["editor"])
    try:
        page.wait_for_selector('[data-bm-panel="my-library"]')
        page.locator('[data-bm-panel="my-library"]').scroll_into_view_if_needed()
        shoot(page, "dashboard")

        page.goto(f"{live_server.url}/admin/pages/{plan.pk}/edit/")
        header = page.locator("header.w-slim-header")
        for label in ("Nieuw project", "Kopiëren naar volgend jaar"):
            assert header.get_by_role("link", name=label).is_visible(), label
        header.get_by_role("button", name="Jaarverslag").click()
        page.get_by_role("link", name="Jaarverslag (PDF)").wait_for(state="visible")
        page.wait_for_timeout(300)  # let the menu finish opening
        shoot(page, "jaarplan-knoppen")
        page.keyboard.press("Escape")

        header.get_by_role("link", name="Kopiëren naar volgend jaar").click()
        page.wait_for_selector('[data-bm="year-mentions"]')
        page.wait_for_load_state("networkidle")  # the rich text editor
        shoot(page, "kopieren")
    finally:
        context.close()

    context, page = sign_in(browser, admin_login, staff["approver"])
    try:
        page.goto(f"{live_server.url}/admin/pages/{submitted.pk}/edit/")
        footer = page.locator("footer")
        approve = footer.locator(
            'button[data-workflow-action-name="approve"]'
            ":not([data-workflow-action-modal-url])"
        )
        changes = footer.locator('button[data-workflow-action-name="reject"]')
        # Both in view without opening "Meer acties".
        assert approve.is_visible() and changes.is_visible()
        shoot(page, "beoordelen")

        # The guide shows them, in Dutch.
        page.goto(f"{live_server.url}/admin/handleiding/")
        for name in GUIDE_SHOTS:
            image = page.locator(f'img[src$="bm_pages/guide/{name}.png"]')
            assert image.count() == 1, name
            loaded = image.evaluate("img => img.complete && img.naturalWidth > 0")
            assert loaded, name
        assert re.search(r"Nieuw project", page.content())
    finally:
        context.close()
