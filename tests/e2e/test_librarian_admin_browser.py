"""A librarian's admin in a real browser: what an editor, an approver, an auditor and a
superuser meet when they sign in and work (issue 14).

Screenshots of every step land in ``test-artifacts/screenshots/``.
"""

import re

import pytest

from bm_pages.actions.partnerships import RequestPartnershipAction
from bm_pages.models import AuditPortalPage, ProjectPage
from tests.bm_pages.roles_helpers import PASSWORD, make_staff, set_up_library
from tests.factories import (
    AnnualPlanPageFactory,
    FocusAreaFactory,
    ProjectPageFactory,
    UserFactory,
)

# serialized_rollback: other browser tests flush the database; this brings back the
# home page, site and taxonomy that the migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def library_world(db):
    library = set_up_library("Bibliotheek Heuvelland")
    staff = make_staff(library, "heuvelland")
    plan = AnnualPlanPageFactory(parent=library, year=2026, title="Jaarplan 2026")
    FocusAreaFactory(page=plan, title="Lezen en literatuur", sort_order=0)
    plan.save_revision(user=staff["editor"]).publish(user=staff["approver"])
    return library, plan, staff


def test_typing_a_new_projects_title_and_leaving_creates_no_page(
    page, screenshot, admin_login, live_server, library_world
):
    library, plan, staff = library_world
    admin_login(page, staff["editor"].username, PASSWORD)

    page.goto(f"{live_server.url}/admin/pages/add/bm_pages/projectpage/{plan.pk}/")
    page.wait_for_load_state("networkidle")
    # Type the way people explore the similar-projects panel: a title, changed twice.
    page.locator("#id_title").press_sequentially("Voorleesontbijt", delay=30)
    page.wait_for_timeout(1500)
    page.locator("#id_title").press_sequentially(" voor peuters", delay=30)
    page.wait_for_timeout(2500)
    screenshot(page, "editor-typed-title")
    # Still the "add" form: nothing was saved behind the person's back.
    assert "/admin/pages/add/" in page.url
    assert "Opgeslagen" not in page.locator("header").inner_text()

    # Leave: the unsaved-changes warning asks; the person confirms leaving.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r".*/admin/$"))

    assert not ProjectPage.objects.filter(title__startswith="Voorleesontbijt").exists()
    assert ProjectPage.objects.child_of(plan).count() == 0


@pytest.fixture
def busy_library(library_world):
    """The library with a project awaiting review, one sent back with a comment, and
    a partnership request from another library."""
    library, plan, staff = library_world
    staff["approver"].first_name, staff["approver"].last_name = "Gert", "Goedkeurder"
    staff["approver"].save()
    submitted = ProjectPageFactory(parent=plan, title="Boekstart in de wijk")
    sent_back = ProjectPageFactory(parent=plan, title="Taalcafé op zaterdag")
    workflow = plan.get_workflow()
    for project in (submitted, sent_back):
        project.save_revision(user=staff["editor"])
    workflow.start(submitted, staff["editor"])
    state = workflow.start(sent_back, staff["editor"])
    state.current_task_state.task.specific.on_action(
        state.current_task_state,
        staff["approver"],
        "reject",
        comment="Maak het doel meetbaar: hoeveel deelnemers?",
    )
    other = set_up_library("Bibliotheek Dalstad")
    RequestPartnershipAction(
        other, library, make_staff(other, "dalstad")["approver"]
    ).execute()
    return library, plan, staff, submitted, sent_back


def sidebar_text(page) -> str:
    """The sidebar's menu labels, once its script has drawn them."""
    page.wait_for_function(
        "document.querySelector('#wagtail-sidebar')?.textContent.includes('Pagina')"
    )
    return page.locator("#wagtail-sidebar").text_content()


def test_editor_meets_biblio_monitor_in_dutch(
    page, screenshot, admin_login, live_server, busy_library
):
    library, plan, staff, submitted, sent_back = busy_library

    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("h1").inner_text() == "Inloggen bij Biblio Monitor"
    assert page.locator("label[for=id_password]").inner_text().startswith("Wachtwoord")
    assert "Wagtail" not in page.locator("main").inner_text()
    screenshot(page, "login-page")

    admin_login(page, staff["editor"].username, PASSWORD)
    assert (
        page.locator("h1").first.inner_text()
        == "Biblio Monitor — Bibliotheek Heuvelland"
    )
    assert page.title().endswith("Biblio Monitor")
    cockpit = page.locator('[data-bm-panel="my-library"]')
    assert cockpit.locator('tr[data-plan="2026"]').get_attribute("data-total") == "2"
    waiting = cockpit.locator('[data-bm="sent-back"]').inner_text()
    assert "Taalcafé op zaterdag" in waiting
    assert "Gert Goedkeurder vroeg om wijzigingen" in waiting
    assert "Maak het doel meetbaar" in waiting
    assert "localhost" not in page.content()
    assert "gravatar" not in page.content()
    sidebar = sidebar_text(page)
    assert "Rapporten" not in sidebar
    screenshot(page, "editor-dashboard")

    # The project sent back says who asked for changes and why, at the top.
    cockpit.get_by_role("link", name="Taalcafé op zaterdag").click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{sent_back.pk}/edit/$"))
    banner = page.locator(".messages").inner_text()
    assert "Gert Goedkeurder vroeg op" in banner
    assert "Maak het doel meetbaar: hoeveel deelnemers?" in banner
    assert (
        page.locator("footer .w-dropdown-button > button").first.inner_text().strip()
        == "Opnieuw ter goedkeuring indienen"
    )
    screenshot(page, "editor-changes-requested")

    # Help: the Dutch guide, served by the product.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Handleiding Biblio Monitor").click()
    page.wait_for_url(re.compile(r".*/admin/handleiding/$"))
    guide = page.locator('[data-bm="guide"]').inner_text()
    assert "Als redacteur" in guide and "Ter goedkeuring indienen" in guide
    screenshot(page, "editor-guide")


def test_approver_finds_reviews_requests_and_approve(
    page, screenshot, admin_login, live_server, busy_library
):
    library, plan, staff, submitted, sent_back = busy_library
    admin_login(page, staff["approver"].username, PASSWORD)
    cockpit = page.locator('[data-bm-panel="my-library"]')
    review = cockpit.locator('[data-bm="awaiting-review"]').inner_text()
    assert "Boekstart in de wijk" in review
    assert "1 partnerschapsverzoek wacht op uw beslissing." in cockpit.inner_text()
    assert "Netwerk (1)" in sidebar_text(page)
    screenshot(page, "approver-dashboard")

    cockpit.get_by_role("link", name="Boekstart in de wijk").click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{submitted.pk}/edit/$"))
    main_button = page.locator("footer .w-dropdown-button > button").first
    assert main_button.inner_text().strip().startswith("Goedkeuren")
    assert main_button.is_visible()
    screenshot(page, "approver-approve-button")
    main_button.click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "approver-approved")
    submitted.refresh_from_db()
    assert submitted.live

    # The team page: "Verwijderen" asks first, on a confirmation page; "Nee,
    # behouden" keeps the auditor, "Ja, verwijderen" removes them.
    page.goto(f"{live_server.url}/admin/bm-roles/library/{library.pk}/team/")
    auditor = staff["auditor"].username
    row = page.locator(f'[data-bm-member="{auditor}"]')
    row.get_by_role("link", name="Verwijderen").click()
    page.wait_for_load_state("networkidle")
    assert "verwijderen als auditor" in page.locator("main").inner_text()
    page.get_by_role("link", name="Nee, behouden").click()
    page.wait_for_load_state("networkidle")
    assert library.memberships.filter(user=staff["auditor"]).exists()
    screenshot(page, "approver-team")
    row.get_by_role("link", name="Verwijderen").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Ja, verwijderen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(f'[data-bm-member="{auditor}"]').count() == 0


def test_auditor_signing_in_lands_in_the_audit_portal(
    page, screenshot, live_server, library_world
):
    library, plan, staff = library_world
    portal = AuditPortalPage.objects.child_of(library).get()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", staff["auditor"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{portal.get_url()}")
    text = page.locator("body").inner_text()
    assert "Bibliotheek Heuvelland" in text
    assert "geen toegang" not in text.lower()
    screenshot(page, "auditor-portal")


def test_superuser_keeps_reports_and_gets_the_product_heading(
    page, screenshot, admin_login, live_server, library_world
):
    UserFactory(username="beheerder", is_superuser=True, is_staff=True)
    admin_login(page, "beheerder", PASSWORD)
    assert page.locator("h1").first.inner_text() == "Biblio Monitor"
    sidebar = sidebar_text(page)
    assert "Rapporten" in sidebar
    assert "Bibliotheek instellen" in sidebar
    screenshot(page, "superuser-dashboard")
    page.goto(f"{live_server.url}/admin/handleiding/")
    assert "Als beheerder" in page.locator('[data-bm="guide"]').inner_text()
    screenshot(page, "superuser-guide")
