"""Moderation people can follow (issue 14, item 6), through Wagtail's real workflow
views: every step says what happened, the reviewer finds "Approve" and "Request
changes" without opening a menu, the editor sees who asked for what."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from bm_pages.models import ProjectPage
from tests.bm_pages.roles_helpers import RolesWorld, edit_form_data

pytestmark = pytest.mark.django_db

COMMENT = "Maak de doelgroep concreet: welke ouders?"


def logged_in(world: RolesWorld, role: str) -> Client:
    client = Client()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    return client


def told(response) -> list[str]:
    """The messages shown, without the buttons Wagtail renders into them."""
    return [
        str(message).split("<", 1)[0].strip()
        for message in response.context["messages"]
    ]


def task_state_of(page) -> TaskState:
    return ProjectPage.objects.get(pk=page.pk).current_workflow_task_state


def workflow_action_url(page, action: str) -> str:
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=[page.pk, action, task_state_of(page).pk],
    )


def test_submitting_says_ter_goedkeuring_ingediend(roles_world):
    editor = logged_in(roles_world, "editor_a")
    page = roles_world.draft_a
    data = edit_form_data(editor, page)
    data["action-submit"] = ["action-submit"]
    response = editor.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    assert "Ter goedkeuring ingediend: “Zeldzaam Aland concept”." in told(response)
    state = ProjectPage.objects.get(pk=page.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


@pytest.mark.parametrize("role", ["approver_a", "superuser"])
def test_approving_from_the_dashboard_says_approved_and_published(roles_world, role):
    page = roles_world.submitted_a
    client = logged_in(roles_world, role)
    response = client.post(
        workflow_action_url(page, "approve"),
        {"comment": "", "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert told(response) == ["Goedgekeurd en gepubliceerd: “Voorleesexpress Aland”."]
    assert ProjectPage.objects.get(pk=page.pk).live


def test_requesting_changes_says_sent_back_and_the_editor_sees_why(roles_world):
    page = roles_world.submitted_a
    approver_user = roles_world.user("approver_a")
    approver_user.first_name, approver_user.last_name = "Gert", "Goedkeurder"
    approver_user.save()
    approver = logged_in(roles_world, "approver_a")
    response = approver.post(
        workflow_action_url(page, "reject"), {"comment": COMMENT}, follow=True
    )
    assert "Teruggestuurd met opmerking: “Voorleesexpress Aland”." in told(response)
    state = ProjectPage.objects.get(pk=page.pk).current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    # The editor opening the project reads who asked for changes, and why, on top.
    editor = logged_in(roles_world, "editor_a")
    html = editor.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    top = html.split('class="messages"', 1)[1].split("</ul>", 1)[0]
    assert "Gert Goedkeurder vroeg op" in top and COMMENT in top


@pytest.mark.parametrize(
    ("action", "extra", "message", "live"),
    [
        ("approve", {}, "Goedgekeurd en gepubliceerd: “Voorleesexpress Aland”.", True),
        (
            "reject",
            {"comment": COMMENT},
            "Teruggestuurd met opmerking: “Voorleesexpress Aland”.",
            False,
        ),
    ],
)
def test_deciding_in_the_editor_says_what_happened(
    roles_world, action, extra, message, live
):
    page = roles_world.submitted_a
    approver = logged_in(roles_world, "approver_a")
    data = edit_form_data(approver, page)
    data["action-workflow-action"] = ["true"]
    data["workflow-action-name"] = [action]
    data["workflow-action-extra-data"] = [json.dumps(extra)]
    response = approver.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    messages = told(response)
    assert message in messages, messages
    assert not any("bijgewerkt" in m for m in messages), messages
    assert ProjectPage.objects.get(pk=page.pk).live == live


@pytest.mark.parametrize("role", ["editor_a", "auditor_a", "approver_b", "anonymous"])
def test_only_the_reviewers_decide(roles_world, role):
    page = roles_world.submitted_a
    task_state = task_state_of(page)
    client = logged_in(roles_world, role)
    for action in ("approve", "reject"):
        response = client.post(workflow_action_url(page, action), {"comment": COMMENT})
        assert response.status_code in (302, 403)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not ProjectPage.objects.get(pk=page.pk).live


def footer_main(html: str) -> str:
    """The footer's main button area, before the toggle of "More actions"."""
    footer = html.split('<footer class="footer', 1)[1]
    main = footer.split('<div class="w-dropdown-button">', 1)[1]
    return main.split("w-dropdown__toggle", 1)[0]


def test_the_reviewer_finds_approve_and_request_changes_without_a_menu(roles_world):
    approver = logged_in(roles_world, "approver_a")
    page = roles_world.submitted_a
    html = approver.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    main = footer_main(html)
    buttons = re.findall(r'<button([^>]*data-workflow-action-name="[^"]+"[^>]*)>', main)
    assert [re.search(r'action-name="(\w+)"', b).group(1) for b in buttons] == [
        "approve",
        "reject",
    ]
    assert "Goedkeuren en publiceren" in main and "Wijzigingen vragen" in main
    # "Request changes" asks for the comment in Wagtail's own modal.
    assert f"/admin/pages/workflow/collect_action_data/{page.pk}/reject/" in buttons[1]
    # Nowhere else: the "More actions" menu does not repeat it.
    assert html.count('data-workflow-action-name="reject"') == 1


def test_the_editor_gets_no_decision_buttons(roles_world):
    editor = logged_in(roles_world, "editor_a")
    html = editor.get(f"/admin/pages/{roles_world.submitted_a.pk}/edit/").content
    assert b'data-workflow-action-name="reject"' not in html
    assert b'data-workflow-action-name="approve"' not in html
