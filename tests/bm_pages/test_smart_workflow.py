"""The "SMART-controle" workflow step: off by default; approvers turn it on with a
minimum; it passes SMART projects on to the approvers and sends the others back with
what is missing; the approvers see the score of what was submitted."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import TaskState, WorkflowState

from bm_pages.actions.smart_check import (
    SetSmartCheckAction,
    SetSmartCheckPermissionError,
    smart_check_setting,
)
from bm_pages.models import (
    FocusArea,
    PolicyTopic,
    ProjectIndicator,
    ProjectPage,
    SmartCheckTask,
)
from tests.bm_pages.roles_helpers import (
    build_roles_world,
    edit_form_data,
    login_client,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_roles_world()


def setting_url(library) -> str:
    return reverse("bm_pages_smart:setting", args=[library.pk])


def make_smart(project: ProjectPage, user) -> ProjectPage:
    """Give the draft every SMART element, as a new revision by ``user``."""
    page = project.get_latest_revision_as_object()
    area = FocusArea.objects.create(page=project.get_parent().specific, title="Taal")
    page.goal = (
        "Meer volwassenen in Aland vinden binnen een jaar een passend taaltraject."
    )
    page.target_group = "Laaggeletterde volwassenen"
    page.focus_area = area
    page.start_date = datetime.date(2026, 2, 1)
    page.end_date = datetime.date(2026, 11, 30)
    page.indicators = [
        ProjectIndicator(name="intakes", unit="intakes", baseline=0, target=60)
    ]
    page.core_functions = list(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)[:1]
    )
    page.budget = Decimal("1000")
    page.save_revision(user=user)
    return ProjectPage.objects.get(pk=project.pk)


def submit(client, project):
    data = edit_form_data(client, project)
    data["action-submit"] = ["1"]
    response = client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return WorkflowState.objects.filter(object_id=str(project.pk)).latest("created_at")


def require(world, min_score=4):
    SetSmartCheckAction(
        world.library_a,
        user=world.user("approver_a"),
        required=True,
        min_score=min_score,
    ).execute()


def test_off_by_default_the_approvers_get_every_project(client, world):
    assert smart_check_setting(world.library_a).required is False
    assert not SmartCheckTask.objects.exists()
    login_client(client, world.user("editor_a"))
    state = submit(client, world.draft_a)  # 2 of 5
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific_class.__name__ == "GroupApprovalTask"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("auditor_a", 302),
        ("editor_a", 403),
        ("approver_b", 403),
        ("approver_a", 302),
        ("superuser", 302),
    ],
)
def test_who_may_require_the_check(client, world, role, status):
    login_client(client, world.user(role))
    response = client.post(
        setting_url(world.library_a), {"required": "on", "min_score": "4"}
    )
    assert response.status_code == status
    setting = smart_check_setting(world.library_a)
    assert setting.required is (
        status == 302 and role != "anonymous" and role != "auditor_a"
    )
    if setting.required:
        assert setting.min_score == 4
        page = client.get(setting_url(world.library_a)).content.decode()
        checkbox = re.search(r'<input[^>]*name="required"[^>]*>', page).group(0)
        assert "checked" in checkbox


def test_the_action_refuses_editors_and_bad_minimums(world):
    with pytest.raises(SetSmartCheckPermissionError):
        SetSmartCheckAction(
            world.library_a, user=world.user("editor_a"), required=True
        ).execute()
    with pytest.raises(Exception, match="1 tot 5|1 to 5"):
        SetSmartCheckAction(
            world.library_a, user=world.user("approver_a"), required=True, min_score=6
        ).execute()
    assert not SmartCheckTask.objects.exists()


def test_a_project_below_the_minimum_goes_back_with_what_is_missing(client, world):
    require(world, min_score=4)
    workflow_tasks = list(world.library_a.get_workflow().tasks.specific())
    assert [type(t).__name__ for t in workflow_tasks] == [
        "SmartCheckTask",
        "GroupApprovalTask",
    ]
    login_client(client, world.user("editor_a"))
    state = submit(client, world.draft_a)

    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = state.current_task_state
    assert rejected.status == TaskState.STATUS_REJECTED
    assert rejected.task.specific_class is SmartCheckTask
    lines = rejected.comment.splitlines()
    assert lines[0] == "SMART: 2 van 5, minimaal 4 nodig. Ontbreekt:"
    assert "S: Beschrijf het doel in minstens 8 woorden: meer dan een slogan." in lines
    assert (
        "M: Voeg een indicator toe met een eenheid, een nulmeting en een streefwaarde."
        in lines
    )
    assert "R: Kies het speerpunt van het jaarplan." in lines
    # The approvers were never asked (they still have the world's other project).
    client.logout()
    login_client(client, world.user("approver_a"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    review = dashboard.split('data-bm="awaiting-review"')[1].split("</ul>")[0]
    assert "Voorleesexpress Aland" in review
    assert "Zeldzaam Aland concept" not in review


def test_a_smart_project_goes_on_to_the_approvers(client, world):
    require(world, min_score=5)
    project = make_smart(world.draft_a, world.user("editor_a"))
    login_client(client, world.user("editor_a"))
    state = submit(client, project)

    assert state.status == WorkflowState.STATUS_IN_PROGRESS, (
        state.current_task_state.comment
    )
    passed = state.task_states.get(task__in=SmartCheckTask.objects.all())
    assert passed.status == TaskState.STATUS_APPROVED
    assert passed.comment == "SMART: 5 van 5."
    assert state.current_task_state.task.specific_class.__name__ == "GroupApprovalTask"

    # The approver's review: the dashboard and the editor show the submitted score.
    client.logout()
    login_client(client, world.user("approver_a"))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    review = dashboard.split('data-bm="awaiting-review"')[1].split("</ul>")[0]
    assert project.title in review and "SMART: 5 van 5" in review
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[project.pk]))
    assert 'data-score="5"' in editor.content.decode()


def test_resubmitting_after_a_fix_passes(client, world):
    require(world, min_score=4)
    login_client(client, world.user("editor_a"))
    state = submit(client, world.draft_a)
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    project = make_smart(world.draft_a, world.user("editor_a"))
    data = edit_form_data(client, project)
    data["action-submit"] = ["1"]  # "resubmit" continues the same workflow
    client.post(reverse("wagtailadmin_pages:edit", args=[project.pk]), data)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific_class.__name__ == "GroupApprovalTask"


def test_turning_it_off_takes_the_step_out(client, world):
    require(world)
    SetSmartCheckAction(
        world.library_a, user=world.user("approver_a"), required=False
    ).execute()
    assert smart_check_setting(world.library_a).required is False
    assert [
        type(t).__name__ for t in world.library_a.get_workflow().tasks.specific()
    ] == ["GroupApprovalTask"]
    login_client(client, world.user("editor_a"))
    state = submit(client, world.draft_a)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    # On again: the same task comes back, first.
    require(world, min_score=3)
    assert SmartCheckTask.objects.count() == 1
    assert smart_check_setting(world.library_a).min_score == 3


def test_the_comment_follows_the_submitters_language(world):
    require(world, min_score=5)
    with translation.override("en"):
        state = world.draft_a.get_workflow().start(
            world.draft_a, world.user("editor_a")
        )
    assert state.current_task_state.comment.startswith(
        "SMART: 2 of 5, at least 5 needed. Missing:"
    )
