"""The readiness overview in a real browser: from the dashboard to the overview and
on to the document environment, with the same "x / y gereed" everywhere (issue 14,
item 8)."""

import pytest

from tests.bm_pages.certification_helpers import make_document
from tests.bm_pages.roles_helpers import PASSWORD, make_staff, set_up_library

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_editor_goes_from_the_dashboard_to_the_readiness_overview(
    page, screenshot, admin_login, live_server
):
    library = set_up_library("Bibliotheek Polderzicht")
    staff = make_staff(library, "polderzicht")
    make_document(library, "Beleidsplan 2026", work_field="1", norms=("1",))
    make_document(library, "Daisy-uitleen", work_field="AL")

    admin_login(page, staff["editor"].username, PASSWORD)
    panel = page.locator('[data-bm-panel="readiness"]')
    assert "2 / 8 gereed" in panel.inner_text()
    screenshot(page, "dashboard-readiness-panel")
    panel.get_by_role("link", name="Overzicht gereedheid openen").click()
    page.wait_for_load_state("networkidle")
    overview = page.locator('[data-bm="readiness-overview"]')
    assert "2 / 8 gereed" in overview.inner_text()
    assert overview.locator('tr[data-norm="AL"][data-status="ready"]').count() == 1
    assert overview.locator('tr[data-status="missing"]').count() == 6
    screenshot(page, "readiness-overview")
    overview.get_by_role("link", name="Documentomgeving").click()
    page.wait_for_load_state("networkidle")
    gaps = page.locator('[data-bm="norms-without-evidence"]')
    assert "2 / 8 gereed" in gaps.inner_text()
    assert gaps.locator("li[data-norm]").count() == 6
    screenshot(page, "environment-readiness")
