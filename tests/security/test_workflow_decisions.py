"""Item 10 of the hardening review: a workflow task is decided once.

A late approval, made on a task state loaded before someone else approved it (what
each of six simultaneous requests holds), is refused and writes nothing: the history
keeps one approval, by the user who published. ``test_concurrency.py`` fires six
real approvals at once under gunicorn and checks the polite message.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry, TaskState

from bm_pages.models import ProjectPage
from bm_pages.workflow_decisions import TaskAlreadyDecided
from tests.bm_pages.roles_helpers import build_roles_world

pytestmark = pytest.mark.django_db


def history(page) -> list[tuple[str, int]]:
    return list(
        PageLogEntry.objects.filter(
            page=page, action__in=["wagtail.workflow.approve", "wagtail.publish"]
        )
        .order_by("pk")
        .values_list("action", "user_id")
    )


def test_a_late_approval_is_refused_and_leaves_the_history_alone():
    world = build_roles_world()
    page = world.submitted_a
    approver, superuser = world.users["approver_a"], world.users["superuser"]
    # What a second request loaded before the first one approved.
    late = ProjectPage.objects.get(pk=page.pk).current_workflow_task_state
    assert late.status == TaskState.STATUS_IN_PROGRESS

    client = Client()
    client.force_login(approver)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", late.pk]
        ),
        {"comment": ""},
    )
    assert response.status_code == 302
    assert ProjectPage.objects.get(pk=page.pk).live
    decided = history(page)
    assert decided == [
        ("wagtail.workflow.approve", approver.pk),
        ("wagtail.publish", approver.pk),
    ]

    with pytest.raises(TaskAlreadyDecided, match="al afgerond door"):
        late.task.specific.on_action(late, superuser, "approve", comment="Ook goed")

    assert history(page) == decided
    late.refresh_from_db()
    assert late.status == TaskState.STATUS_APPROVED
    assert late.finished_by == approver and late.comment == ""


def test_a_late_rejection_cannot_overturn_an_approval():
    world = build_roles_world()
    page = world.submitted_a
    late = ProjectPage.objects.get(pk=page.pk).current_workflow_task_state
    on_time = TaskState.objects.get(pk=late.pk)
    on_time.task.specific.on_action(on_time, world.users["approver_a"], "approve")

    with pytest.raises(TaskAlreadyDecided):
        late.task.specific.on_action(
            late, world.users["superuser"], "reject", comment="Toch niet"
        )

    late.refresh_from_db()
    assert late.status == TaskState.STATUS_APPROVED
    assert ProjectPage.objects.get(pk=page.pk).live
