"""An auditor's visit to the audit portal in a real browser.

The auditor of Bibliotheek Aland opens the portal's address, signs in on the site's
sign-in page, walks through the sections, downloads a document and finds nothing to
edit anywhere. Screenshots of every step land in ``test-artifacts/screenshots/``.
"""

import re

import pytest

from tests.bm_pages.certification_helpers import PASSWORD, build_world

# serialized_rollback: the flush after a transactional test would otherwise take the
# migrations' seed data (taxonomy, home page) from the browser tests after this one.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def assert_read_only(page) -> None:
    """No admin links, no user bar, no edit buttons; the only POST form signs out."""
    assert page.locator("a[href*='/admin/']").count() == 0
    assert page.locator("wagtail-userbar, .w-userbar").count() == 0
    posting = page.locator("form[method=post]")
    assert posting.count() == 1
    assert posting.first.get_attribute("data-bm") == "logout"
    for label in ("Bewerken", "Wijzigen", "Verwijderen", "Publiceren", "Edit"):
        assert page.get_by_role("button", name=label).count() == 0
        assert page.get_by_role("link", name=label, exact=True).count() == 0
    assert (
        page.locator("input:not([type=hidden]):not([type=checkbox]), textarea").count()
        == 0
    )


def test_auditor_browses_the_portal_and_downloads_a_document(
    browser, page, screenshot, live_server, tmp_path
):
    world = build_world()
    portal_url = f"{live_server.url}{world.portal_a.url}"
    document = world.docs["a_own"]

    # The portal's address sends the auditor to the sign-in page first.
    page.goto(portal_url)
    page.wait_for_url(re.compile(r".*/_util/login/\?next=.*"))
    screenshot(page, "sign-in")
    page.fill("input[name=username]", "auditor-aland")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-bm=login] button[type=submit]")
    page.wait_for_url(portal_url)
    assert page.locator("h1").inner_text() == "Auditportaal"
    assert "Auditportaal van Bibliotheek Aland" in page.content()
    assert page.locator('[data-bm="overdue-assurance"]').is_visible()
    assert_read_only(page)
    screenshot(page, "overview")

    # Documents, by work field and policy topic.
    page.get_by_role("link", name="Documenten", exact=True).click()
    page.wait_for_url(f"{portal_url}documenten/")
    assert page.locator('[data-bm="work-field"]').count() == 8
    assert_read_only(page)
    screenshot(page, "documents")

    # Download a confidential ("own library") document through Wagtail's serving.
    link = page.locator(f'a[data-bm="download"][href="{document.url}"]').first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == document.filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with document.file.open("rb") as handle:
        assert saved.read_bytes() == handle.read()

    # Filter by work field (a GET form).
    page.select_option("#f-work-field", label="6. Resultaten en verantwoording")
    page.get_by_role("button", name="Documenten tonen").click()
    page.wait_for_url(re.compile(r".*work_field=\d+.*"))
    assert page.locator('[data-bm="work-field"]').count() == 1
    screenshot(page, "documents-filtered")

    # Annual plans, a project's SMART card and PDCA log.
    page.get_by_role("link", name="Jaarplannen", exact=True).click()
    assert page.locator("text=Voorleesexpress Aland (herzien)").is_visible()
    assert_read_only(page)
    screenshot(page, "plans")
    page.get_by_role("link", name="Taalhuis Aland").click()
    page.wait_for_selector('[data-bm="smart-card"]')
    assert "Eerste groep gestart." in page.locator('[data-bm="pdca-log"]').inner_text()
    assert_read_only(page)
    screenshot(page, "project")

    # Assurance projects with their cycle history, and the readiness overview.
    page.get_by_role("link", name="Borging", exact=True).click()
    assert "Alle klachten binnen termijn afgehandeld." in page.content()
    assert_read_only(page)
    screenshot(page, "assurance")
    page.get_by_role("link", name="Gereedheid", exact=True).click()
    assert page.locator('[data-bm="readiness"] tr[data-norm]').count() == 7
    assert_read_only(page)
    screenshot(page, "readiness")

    # The admin is closed to auditors: it sends them back to their portal.
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(f"{live_server.url}{world.portal_a.url}")
    assert "Pagina's" not in page.locator("body").inner_text()
    screenshot(page, "admin-refused")

    # Another library's portal is not theirs.
    page.goto(f"{live_server.url}{world.portal_b.url}")
    page.wait_for_url(re.compile(r".*/_util/login/\?next=.*"))
    assert "Bemdal" not in page.locator("main").inner_text()

    # Signing out.
    page.goto(portal_url)
    page.get_by_role("button", name="Uitloggen").click()
    page.goto(portal_url)
    page.wait_for_url(re.compile(r".*/_util/login/\?next=.*"))
