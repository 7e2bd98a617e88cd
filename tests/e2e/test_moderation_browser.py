"""A librarian's review flow in a real browser against the real admin.

A's editor logs in, creates a SMART project in the 2026 plan and submits it; A's
approver approves it from the dashboard's review list; the public plan page shows it.
Screenshots of every step land in ``test-artifacts/screenshots/``.
"""

import re

import pytest
from wagtail.models import WorkflowState

from bm_pages.models import PolicyTopic, ProjectPage
from bm_pages.roles import LibraryRole, grant_role
from tests.bm_pages.roles_helpers import PASSWORD, set_up_library
from tests.factories import AnnualPlanPageFactory, FocusAreaFactory, UserFactory

# serialized_rollback: other browser tests flush the database; this brings back the
# home page, site and taxonomy that the migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Taalcafé Rivierstad"


def add_indicator(page) -> None:
    """Click "Add indicator"; on a busy machine the first click can come too early."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    button = page.locator("#id_indicators-ADD")
    for _attempt in range(3):
        button.scroll_into_view_if_needed()
        button.click()
        try:
            page.wait_for_selector(
                "#id_indicators-0-name", state="visible", timeout=5000
            )
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("The indicator form did not open.")


@pytest.fixture
def library_with_staff(db):
    library = set_up_library("Bibliotheek Rivierstad")
    editor = UserFactory(
        username="redacteur-rivierstad",
        first_name="Rosa",
        last_name="Redacteur",
        email="rosa@rivierstad.example",
    )
    approver = UserFactory(
        username="goedkeurder-rivierstad",
        first_name="Gijs",
        last_name="Goedkeurder",
        email="gijs@rivierstad.example",
    )
    grant_role(library, editor, LibraryRole.EDITOR)
    grant_role(library, approver, LibraryRole.APPROVER)
    plan = AnnualPlanPageFactory(parent=library, year=2026, title="Jaarplan 2026")
    FocusAreaFactory(page=plan, title="Taal en geletterdheid", sort_order=0)
    plan.save_revision(user=editor).publish(user=approver)
    return library, plan, editor, approver


def test_editor_submits_approver_approves_public_page_shows_it(
    browser, page, screenshot, admin_login, live_server, library_with_staff
):
    library, plan, editor, approver = library_with_staff

    # The editor logs in and sees their library on the dashboard.
    admin_login(page, editor.username, PASSWORD)
    page.wait_for_selector('[data-bm-panel="my-library"]')
    assert "Mijn bibliotheek: Bibliotheek Rivierstad" in page.content()
    screenshot(page, "editor-dashboard")

    # From the plan in the explorer, add a project (the plan only takes projects).
    page.goto(f"{live_server.url}/admin/pages/{plan.pk}/")
    screenshot(page, "editor-plan-explorer")
    page.goto(f"{live_server.url}/admin/pages/{plan.pk}/add_subpage/")
    page.wait_for_url(re.compile(r".*/admin/pages/add/bm_pages/projectpage/\d+/$"))
    # The inline panels only respond once the admin's scripts have run.
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", TITLE)
    page.fill(
        "#id_summary",
        "Elke week een taalcafé waar anderstaligen Nederlands oefenen met vrijwilligers.",
    )
    page.select_option("#id_focus_area", label="Taal en geletterdheid")
    screenshot(page, "editor-project-form")

    page.click("#tab-label-smart")
    page.fill("#id_goal", "Veertig deelnemers spreken na een jaar vaker Nederlands.")
    page.fill("#id_target_group", "Anderstalige volwassenen in Rivierstad")
    page.fill("#id_budget", "4500")
    page.fill("#id_hours", "160")
    page.fill("#id_partners", "Taalhuis, welzijnswerk")
    core_function = PolicyTopic.objects.filter(
        kind=PolicyTopic.Kind.CORE_FUNCTION
    ).first()
    page.check(f'input[name="core_functions"][value="{core_function.pk}"]')
    add_indicator(page)
    page.fill("#id_indicators-0-name", "deelnemers")
    page.fill("#id_indicators-0-target", "40")
    page.fill("#id_start_date", "2026-02-01")
    page.keyboard.press("Escape")
    page.fill("#id_end_date", "2026-12-15")
    page.keyboard.press("Escape")
    screenshot(page, "editor-project-smart-tab")

    # Submit for moderation: the editor has no publish button.
    assert page.locator('button[name="action-publish"]').count() == 0
    submit = page.locator('button[name="action-submit"]')
    if not submit.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    submit.click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{plan.pk}/$"))
    screenshot(page, "editor-submitted")

    project = ProjectPage.objects.get(title=TITLE)
    assert not project.live
    assert project.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    submitted = project.get_latest_revision_as_object()
    assert submitted.budget == 4500 and submitted.start_date.isoformat() == "2026-02-01"
    assert [i.name for i in submitted.indicators.all()] == ["deelnemers"]

    # The approver finds it under "awaiting my review" and approves it.
    approver_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    approver_page = approver_context.new_page()
    try:
        admin_login(approver_page, approver.username, PASSWORD)
        review_list = approver_page.locator('[data-bm="awaiting-review"]')
        assert TITLE in review_list.inner_text()
        screenshot(approver_page, "approver-dashboard")
        review_list.get_by_role("link", name=TITLE).click()
        approver_page.wait_for_url(re.compile(rf".*/admin/pages/{project.pk}/edit/$"))
        screenshot(approver_page, "approver-project-edit")
        approve = approver_page.locator(
            'button[data-workflow-action-name="approve"]'
            ":not([data-workflow-action-modal-url])"
        )
        if not approve.is_visible():
            approver_page.locator(
                "footer [data-w-dropdown-target='toggle']"
            ).first.click()
        approve.wait_for(state="visible")
        approver_page.wait_for_timeout(300)  # let the menu finish opening
        screenshot(approver_page, "approver-action-menu")
        approve.click()
        approver_page.wait_for_url(re.compile(r".*/admin/pages/\d+/(edit/)?$"))
        approver_page.wait_for_load_state()
        screenshot(approver_page, "approver-approved")
        # The approver manages the library's team from the dashboard panel.
        approver_page.goto(f"{live_server.url}/admin/")
        approver_page.locator('[data-bm-panel="my-library"]').get_by_role(
            "link", name="Team"
        ).click()
        approver_page.wait_for_selector('[data-bm-member="redacteur-rivierstad"]')
        screenshot(approver_page, "approver-team")
    finally:
        approver_context.close()

    project.refresh_from_db()
    assert project.live and project.current_workflow_state is None
    assert project.workflow_states.get().status == WorkflowState.STATUS_APPROVED

    # The public plan page lists the project; its own page shows the SMART details.
    page.goto(f"{live_server.url}{plan.get_url()}")
    assert TITLE in page.content()
    screenshot(page, "public-plan-page")
    page.goto(f"{live_server.url}{project.get_url()}")
    assert "Anderstalige volwassenen in Rivierstad" in page.content()
    screenshot(page, "public-project-page")
