"""The review workflow end to end through the admin: submit, reject, fix, approve.

Also: who is notified (Django's locmem mail backend), and that the public site shows
the approved version only once it is approved.
"""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from bm_pages.models import ProjectPage
from tests.bm_pages.roles_helpers import edit_form_data

pytestmark = pytest.mark.django_db

COMMENT = "Maak de doelgroep concreet: welke ouders, in welke wijk?"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def fresh(page) -> ProjectPage:
    return ProjectPage.objects.get(pk=page.pk)


def emails_to(mailoutbox, user) -> list:
    return [message for message in mailoutbox if user.email in message.to]


def test_submit_reject_fix_resubmit_approve_publishes(roles_world, mailoutbox):
    world = roles_world
    editor, approver = world.users["editor_a"], world.users["approver_a"]
    approver_b = world.users["approver_b"]
    editor_client, approver_client = logged_in(editor), logged_in(approver)
    page = world.draft_a
    public_url = page.get_url()

    # 1. The editor writes and submits for moderation.
    data = edit_form_data(editor_client, page, title="Leesclub Aland")
    data["action-submit"] = ["action-submit"]
    response = editor_client.post(edit_url(page), data)
    assert response.status_code == 302
    state = fresh(page).current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == world.library_a.get_workflow()
    assert state.current_task_state.task.specific.groups.get().name == (
        "Bibliotheek Aland – goedkeurders"
    )
    assert not fresh(page).live
    # A's approvers are told, B's are not, and the editor does not mail themselves.
    assert len(emails_to(mailoutbox, approver)) == 1
    assert "Leesclub Aland" in emails_to(mailoutbox, approver)[0].body
    assert emails_to(mailoutbox, approver_b) == []
    assert emails_to(mailoutbox, editor) == []
    # While it is under review the editor cannot change it.
    locked = edit_form_data(editor_client, page, title="Stiekem aangepast")
    revisions = fresh(page).revisions.count()
    editor_client.post(edit_url(page), locked)
    assert fresh(page).revisions.count() == revisions

    # 2. The approver requests changes with a comment.
    mailoutbox.clear()
    task_state = state.current_task_state
    response = approver_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "reject", task_state.pk],
        ),
        {"comment": COMMENT},
    )
    assert response.status_code in (200, 302)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == COMMENT
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not fresh(page).live
    to_editor = emails_to(mailoutbox, editor)
    assert len(to_editor) == 1 and COMMENT in to_editor[0].body
    # In the admin, the editor finds the request for changes and the comment.
    dashboard = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Leesclub Aland" in dashboard
    history = editor_client.get(
        reverse("wagtailadmin_pages:workflow_history", args=[page.pk])
    )
    assert history.status_code == 200
    detail = editor_client.get(
        reverse("wagtailadmin_pages:workflow_history_detail", args=[page.pk, state.pk])
    )
    assert COMMENT in detail.content.decode()

    # 3. The editor fixes the project and resubmits.
    mailoutbox.clear()
    data = edit_form_data(
        editor_client, page, target_group="Ouders met peuters in de wijk Noord"
    )
    data["action-submit"] = ["action-submit"]
    response = editor_client.post(edit_url(page), data)
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    new_task_state = state.current_task_state
    assert new_task_state.pk != task_state.pk
    assert new_task_state.revision.as_object().target_group == (
        "Ouders met peuters in de wijk Noord"
    )
    assert len(emails_to(mailoutbox, approver)) == 1
    assert not fresh(page).live
    assert Client().get(public_url).status_code == 404

    # 4. The approver approves: that publishes the fixed version.
    mailoutbox.clear()
    response = approver_client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", new_task_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    published = fresh(page)
    assert published.live and not published.has_unpublished_changes
    assert published.title == "Leesclub Aland"
    assert published.target_group == "Ouders met peuters in de wijk Noord"
    assert len(emails_to(mailoutbox, editor)) == 1

    # 5. The public site shows it, on its own page and in the annual plan.
    public = Client()
    response = public.get(published.get_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Leesclub Aland" in body and "Ouders met peuters in de wijk Noord" in body
    plan_page = public.get(world.plan_a.get_url()).content.decode()
    assert "Leesclub Aland" in plan_page


def test_library_workflow_covers_its_plans_and_projects_only(roles_world):
    world = roles_world
    workflow_a = world.library_a.get_workflow()
    workflow_b = world.library_b.get_workflow()
    assert workflow_a is not None and workflow_b is not None
    assert workflow_a != workflow_b
    for page in (world.plan_a, world.draft_a, world.live_project_a):
        assert Page.objects.get(pk=page.pk).get_workflow() == workflow_a
    assert Page.objects.get(pk=world.draft_b.pk).get_workflow() == workflow_b
    task = workflow_a.tasks.get().specific
    assert [group.name for group in task.groups.all()] == [
        "Bibliotheek Aland – goedkeurders"
    ]


def test_editor_cannot_publish_but_can_submit_a_new_project(roles_world, mailoutbox):
    """An editor's "publish" falls back to a draft; "submit" starts A's workflow."""
    world = roles_world
    editor_client = logged_in(world.users["editor_a"])
    page = world.draft_a
    data = edit_form_data(editor_client, page)
    data["action-publish"] = ["action-publish"]
    editor_client.post(edit_url(page), data)
    assert not fresh(page).live
    assert fresh(page).current_workflow_state is None

    edit_page = editor_client.get(edit_url(page)).content.decode()
    assert 'name="action-submit"' in edit_page
    assert 'name="action-publish"' not in edit_page
