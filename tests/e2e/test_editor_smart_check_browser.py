"""The SMART check in a real browser: an editor writes a project in a library that
requires the check, watches the SMART panel go from 2 to 5 as she types, is sent
back by the "SMART-controle" at 2 with what is missing, and gets through at 5.
Screenshots of every step land in ``test-artifacts/screenshots/``.
"""

import re

import pytest
from wagtail.models import TaskState, WorkflowState

from bm_pages.actions.smart_check import SetSmartCheckAction
from bm_pages.models import PolicyTopic, ProjectPage
from bm_pages.roles import LibraryRole, grant_role
from tests.bm_pages.roles_helpers import PASSWORD, set_up_library
from tests.e2e.test_moderation_browser import add_indicator
from tests.factories import AnnualPlanPageFactory, FocusAreaFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Voorleesexpress Dijkdorp"
SCORE = '[data-bm="smart-panel"] [data-bm="smart-score"][data-score="{}"]'


@pytest.fixture
def strict_library(db):
    library = set_up_library("Bibliotheek Dijkdorp")
    editor = UserFactory(username="redacteur-dijkdorp", first_name="Sara")
    approver = UserFactory(username="goedkeurder-dijkdorp", first_name="Piet")
    grant_role(library, editor, LibraryRole.EDITOR)
    grant_role(library, approver, LibraryRole.APPROVER)
    plan = AnnualPlanPageFactory(parent=library, year=2026, title="Jaarplan 2026")
    FocusAreaFactory(page=plan, title="Leesbevordering", sort_order=0)
    plan.save_revision(user=editor).publish(user=approver)
    SetSmartCheckAction(library, user=approver, required=True, min_score=5).execute()
    return plan, editor


def wait_for_score(page, score: int) -> None:
    page.wait_for_selector(SCORE.format(score), state="attached")
    assert (
        f"SMART: {score} van 5" in page.locator('[data-bm="smart-panel"]').inner_text()
    )


def submit(page, plan) -> None:
    button = page.locator('button[name="action-submit"]')
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.click()
    page.wait_for_url(re.compile(rf".*/admin/pages/({plan.pk}|\d+/edit)/$"))


def test_editor_watches_the_panel_and_submits_through_the_check(
    page, screenshot, admin_login, live_server, strict_library
):
    plan, editor = strict_library
    admin_login(page, editor.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/pages/add/bm_pages/projectpage/{plan.pk}/")
    page.wait_for_load_state("networkidle")
    wait_for_score(page, 0)

    # S and T: goal, target group, dates in the plan's year.
    page.fill("#id_title", TITLE)
    page.fill(
        "#id_summary", "Vrijwilligers lezen wekelijks voor aan peuters bij hen thuis."
    )
    page.click("#tab-label-smart")
    # The panel stays in view on every tab.
    assert page.locator('[data-bm="smart-panel"]').is_visible()
    page.fill(
        "#id_goal",
        "Dertig gezinnen met peuters lezen na een half jaar elke week samen voor.",
    )
    page.fill("#id_target_group", "Gezinnen met peuters en een taalachterstand")
    page.fill("#id_start_date", "2026-03-01")
    page.keyboard.press("Escape")
    page.fill("#id_end_date", "2026-10-31")
    page.keyboard.press("Escape")
    wait_for_score(page, 2)
    missing = page.locator('[data-bm="smart-missing"]').inner_text()
    assert "Kies het speerpunt van het jaarplan." in missing
    screenshot(page, "panel-at-2")

    # Submitted at 2, the SMART-controle sends it straight back with what is missing.
    submit(page, plan)
    project = ProjectPage.objects.get(title=TITLE)
    state = project.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.status == TaskState.STATUS_REJECTED
    assert "M: Voeg een indicator toe" in state.current_task_state.comment
    page.goto(f"{live_server.url}/admin/pages/{project.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert "Voeg een indicator toe" in page.content()  # the comment, shown to her
    screenshot(page, "sent-back")

    # The panel's link leads to the field: the focus area on the first tab.
    page.locator('[data-bm-fix-field="focus_area"]').click()
    page.wait_for_function("document.activeElement.id === 'id_focus_area'")
    page.select_option("#id_focus_area", label="Leesbevordering")
    wait_for_score(page, 2)  # R also needs a core function or topic

    page.click("#tab-label-smart")
    page.fill("#id_hours", "120")
    core_function = PolicyTopic.objects.filter(
        kind=PolicyTopic.Kind.CORE_FUNCTION
    ).first()
    page.check(f'input[name="core_functions"][value="{core_function.pk}"]')
    wait_for_score(page, 4)
    add_indicator(page)
    page.fill("#id_indicators-0-name", "voorleesgezinnen")
    page.fill("#id_indicators-0-unit", "gezinnen")
    page.fill("#id_indicators-0-baseline", "0")
    page.fill("#id_indicators-0-target", "30")
    wait_for_score(page, 5)
    assert (
        "Dit project is SMART." in page.locator('[data-bm="smart-panel"]').inner_text()
    )
    screenshot(page, "panel-at-5")

    # Resubmitted at 5: the check passes it on to the approvers.
    submit(page, plan)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific_class.__name__ == "GroupApprovalTask"
    checked = state.task_states.filter(status=TaskState.STATUS_APPROVED).get()
    assert checked.comment == "SMART: 5 van 5."
    screenshot(page, "passed-on")
