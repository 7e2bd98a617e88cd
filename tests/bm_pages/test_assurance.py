"""Assurance projects: the date rule, completing a cycle in the admin, assurance_due."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import PageLogEntry

from bm_pages.actions.assurance import (
    LOG_ACTION,
    CompleteAssuranceCycleAction,
    CompleteAssuranceCyclePermissionError,
    add_months,
    next_review_date,
)
from bm_pages.formatting import long_date
from bm_pages.models import AssuranceCheck, ProjectPage
from bm_pages.roles import LibraryRole, grant_role
from tests.bm_pages.certification_helpers import build_world, login, today
from tests.bm_pages.roles_helpers import edit_form_data
from tests.factories import ProjectPageFactory, UserFactory
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db
D = datetime.date


world_module, world = world_per_module(build_world)


def fresh(page):
    """A fresh copy: the world's instances are shared by the module's tests."""
    return type(page).objects.get(pk=page.pk)


def original_due() -> datetime.date:
    return today() - datetime.timedelta(days=5)


# The date rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 1, 30), 1, D(2026, 2, 28)),
        (D(2026, 2, 28), 1, D(2026, 3, 31)),  # last day stays last day
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 6, 30), 3, D(2026, 9, 30)),
        (D(2026, 9, 30), 3, D(2026, 12, 31)),
        (D(2026, 8, 15), 6, D(2027, 2, 15)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 5, 10), 12, D(2027, 5, 10)),
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("previous_due", "cycle", "checked_on", "expected"),
    [
        # Early or on time: one cycle on from the due date, not from the check.
        (D(2026, 3, 31), 3, D(2026, 3, 20), D(2026, 6, 30)),
        (D(2026, 3, 31), 3, D(2026, 3, 31), D(2026, 6, 30)),
        # Late, but within the next cycle: the rhythm is kept.
        (D(2026, 3, 31), 3, D(2026, 5, 10), D(2026, 6, 30)),
        # More than a cycle late: passed cycles are skipped, never left overdue.
        (D(2026, 3, 31), 3, D(2026, 7, 5), D(2026, 9, 30)),
        (D(2026, 3, 31), 3, D(2026, 6, 30), D(2026, 9, 30)),
        (D(2026, 1, 31), 1, D(2026, 4, 2), D(2026, 4, 30)),
        # No due date yet: from the check.
        (None, 6, D(2026, 8, 31), D(2027, 2, 28)),
    ],
)
def test_next_review_date(previous_due, cycle, checked_on, expected):
    assert next_review_date(previous_due, cycle, checked_on) == expected


def test_next_review_date_needs_a_cycle():
    with pytest.raises(ValueError):
        next_review_date(D(2026, 1, 1), 0, D(2026, 1, 1))


# Completing a cycle in the admin ----------------------------------------------------------


def complete_url(project) -> str:
    return f"/admin/bm-certification/assurance/{project.pk}/complete/"


def post_cycle(client, project, **overrides):
    data = {
        "date": today().isoformat(),
        "findings": "Alle klachten binnen drie weken beantwoord.",
        "actions": "Sjabloon voor antwoordbrieven bijgewerkt.",
        "completed_by": "kwaliteitscoördinator",
    }
    data.update(overrides)
    return client.post(complete_url(project), data)


def test_completing_a_cycle_moves_the_review_date(world):
    project = fresh(world.assurance_a)
    old_due = project.next_review_date  # five days ago: overdue
    live_revision_id = project.live_revision_id
    client = Client()
    login(client, world.user("editor_a"))
    response = client.get(complete_url(project))
    assert response.status_code == 200
    assert "Alle klachten binnen termijn afgehandeld." in response.content.decode()

    response = post_cycle(client, project)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.next_review_date == add_months(old_due, 3)
    assert project.next_review_date > today()
    check = project.assurance_checks.order_by("-sort_order").first()
    assert (check.date, check.findings, check.completed_by) == (
        today(),
        "Alle klachten binnen drie weken beantwoord.",
        "kwaliteitscoördinator",
    )
    assert project.assurance_checks.count() == 2
    # Recorded, not published: the live page was not republished.
    assert project.live_revision_id == live_revision_id
    assert PageLogEntry.objects.filter(page=project, action=LOG_ACTION).count() == 1
    # The history view can describe the entry.
    history = client.get(f"/admin/pages/{project.pk}/history/")
    assert history.status_code == 200


def test_the_next_publication_keeps_the_check(world):
    project = fresh(world.assurance_a)
    approver = world.user("approver_a")
    client = Client()
    login(client, approver)
    assert post_cycle(client, project).status_code == 302
    # The approver edits the page in the admin and publishes: the check stays.
    # (The form reader misses this select; it is sent as the browser would.)
    data = edit_form_data(
        client, project, title="Borging klachten Aland", kind="assurance"
    )
    data["action-publish"] = ["action-publish"]
    response = client.post(f"/admin/pages/{project.pk}/edit/", data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        [f.errors for f in response.context["form"].formsets.values()],
    )
    project.refresh_from_db()
    assert project.title == "Borging klachten Aland"
    assert project.assurance_checks.count() == 2
    assert project.next_review_date == add_months(original_due(), 3)


def test_a_pending_draft_stays_a_draft(world):
    project = fresh(world.assurance_a)
    editor = world.user("editor_a")
    project.title = "Borging klachten (concept)"
    project.save_revision(user=editor)
    client = Client()
    login(client, editor)
    assert post_cycle(client, project).status_code == 302
    project.refresh_from_db()
    # Live content: the check and the date, not the draft's title.
    assert project.title == "Borging klachtenafhandeling Aland"
    assert project.has_unpublished_changes
    assert project.assurance_checks.count() == 2
    draft = project.get_latest_revision_as_object()
    assert draft.title == "Borging klachten (concept)"
    assert len(draft.assurance_checks.all()) == 2
    assert draft.next_review_date == project.next_review_date


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"findings": "  "}, "findings", None),
        ({"date": "2999-01-01"}, "date", "toekomst"),
        ({"date": "2000-01-01"}, "date", "laatste controle"),
        ({"date": "31-02-2026"}, "date", None),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, overrides, field, message):
    project = fresh(world.assurance_a)
    client = Client()
    login(client, world.user("editor_a"))
    response = post_cycle(client, project, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    if message:
        assert message in " ".join(form.errors[field]).lower()
    project.refresh_from_db()
    assert project.next_review_date == original_due()
    assert project.assurance_checks.count() == 1


@pytest.mark.parametrize(
    ("user_name", "expected"),
    [
        ("auditor_a", "login"),
        ("editor_b", 403),
        ("approver_b", 403),
        ("anonymous", "login"),
    ],
)
def test_only_the_library_staff_complete_a_cycle(world, user_name, expected):
    project = fresh(world.assurance_a)
    client = Client()
    login(client, world.user(user_name))
    for response in (client.get(complete_url(project)), post_cycle(client, project)):
        if expected == "login":
            assert response.status_code == 302
            assert urlparse(response["Location"]).path == "/admin/login/"
        else:
            assert response.status_code == expected
    project.refresh_from_db()
    assert project.assurance_checks.count() == 1
    assert project.next_review_date == original_due()


def test_action_refuses_auditors_and_regular_projects(world):
    action = CompleteAssuranceCycleAction(
        world.assurance_a, date=today(), findings="x", user=world.user("auditor_a")
    )
    with pytest.raises(CompleteAssuranceCyclePermissionError):
        action.execute()
    client = Client()
    login(client, world.user("editor_a"))
    response = post_cycle(client, world.live_project_a)
    assert response.status_code == 403
    assert not AssuranceCheck.objects.filter(page=world.live_project_a).exists()


def test_complete_cycle_button_only_on_assurance_projects(world):
    client = Client()
    login(client, world.user("editor_a"))
    edit = client.get(f"/admin/pages/{world.assurance_a.pk}/edit/").content.decode()
    assert 'data-bm-action="complete-cycle"' in edit
    edit = client.get(f"/admin/pages/{world.live_project_a.pk}/edit/").content.decode()
    assert 'data-bm-action="complete-cycle"' not in edit


def test_dashboard_flags_overdue_until_the_cycle_is_completed(world):
    client = Client()
    login(client, world.user("editor_a"))

    def due_item() -> str:
        html = client.get("/admin/").content.decode()
        match = re.search(r'data-bm="reviews-due">(.*?)</ul>', html, re.S)
        assert match, "no reviews-due list on the dashboard"
        return match.group(1)

    item = due_item()
    assert world.assurance_a.title in item
    assert "te laat" in item
    assert post_cycle(client, fresh(world.assurance_a)).status_code == 302
    html = client.get("/admin/").content.decode()
    assert (
        "te laat"
        not in (re.search(r'data-bm="reviews-due">(.*?)</ul>', html, re.S) or [""])[0]
    )


# manage.py assurance_due ---------------------------------------------------------------


def add_assurance(plan, title, due, **fields):
    project = ProjectPageFactory(
        parent=plan,
        title=title,
        kind=ProjectPage.Kind.ASSURANCE,
        cycle_months=fields.pop("cycle_months", 6),
        next_review_date=due,
        **fields,
    )
    return project


def run(*args) -> str:
    out = StringIO()
    call_command("assurance_due", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_assurance_due_lists_due_and_overdue_per_library(world):
    add_assurance(
        world.plan_a, "Borging privacy Aland", today() + datetime.timedelta(days=20)
    )
    add_assurance(
        world.plan_a, "Borging later Aland", today() + datetime.timedelta(days=45)
    )
    add_assurance(
        world.plan_a,
        "Borging afgerond Aland",
        today() - datetime.timedelta(days=30),
        phase=ProjectPage.Phase.DONE,
    )
    add_assurance(world.plan_b, "Borging BHV Bemdal", today())
    output = run("--days", "30")
    lines = output.splitlines()
    assert "3 assurance check(s)" in lines[0] and "2 libraries" in lines[0]
    a_head = lines.index("Bibliotheek Aland (2, 1 overdue)")
    b_head = lines.index("Bibliotheek Bemdal (1, 0 overdue)")
    assert a_head < b_head
    a_lines = lines[a_head + 1 : a_head + 3]
    assert "OVERDUE" in a_lines[0] and world.assurance_a.title in a_lines[0]
    assert (today() - datetime.timedelta(days=5)).isoformat() in a_lines[0]
    assert "Borging privacy Aland" in a_lines[1] and "OVERDUE" not in a_lines[1]
    assert "Borging BHV Bemdal" in lines[b_head + 1]
    assert "Borging later Aland" not in output
    assert "Borging afgerond Aland" not in output
    assert "Borging later Aland" in run("--days", "60")
    overdue_only = run("--days", "0")
    assert world.assurance_a.title in overdue_only
    assert "Borging BHV Bemdal" in overdue_only  # due today
    assert "Borging privacy Aland" not in overdue_only


def test_assurance_due_mails_the_owners(world):
    expired = UserFactory(username="oud-redacteur-aland")
    grant_role(world.library_a, expired, LibraryRole.EDITOR)
    expired.library_memberships.update(expires_on=today())
    output = run("--days", "30", "--email")
    assert "E-mailed 2 owner(s) of Bibliotheek Aland." in output
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        [world.user("editor_a").email, world.user("approver_a").email]
    )
    message = mail.outbox[0]
    assert message.subject == "Bibliotheek Aland: 1 borgingscontrole aan de beurt"
    assert world.assurance_a.title in message.body
    assert "te laat" in message.body
    assert (
        f"/admin/bm-certification/assurance/{world.assurance_a.pk}/complete/"
        in message.body
    )


def test_assurance_due_with_nothing_due(world):
    ProjectPage.objects.filter(kind=ProjectPage.Kind.ASSURANCE).update(
        next_review_date=today() + datetime.timedelta(days=400)
    )
    output = run("--days", "30", "--email")
    assert output.startswith("No assurance checks due on or before")
    assert mail.outbox == []


def test_assurance_due_refuses_negative_days():
    with pytest.raises(CommandError):
        call_command("assurance_due", "--days", "-1")


def test_assurance_due_counts_from_a_given_date(world):
    output = run(
        "--days", "0", "--date", (today() - datetime.timedelta(days=10)).isoformat()
    )
    assert world.assurance_a.title not in output


def test_the_cycle_page_leads_back_to_the_project_editor(world):
    client = Client()
    login(client, world.user("editor_a"))
    project = world.assurance_a
    html = client.get(
        reverse("bm_certification:complete_cycle", args=[project.pk])
    ).content.decode()
    editor = reverse("wagtailadmin_pages:edit", args=[project.pk])
    crumbs = html[
        html.index("w-breadcrumbs") : html.index("</nav>", html.index("w-breadcrumbs"))
    ]
    assert f'href="{editor}"' in crumbs and project.title in crumbs
    assert "Cyclus afronden" in crumbs


# "Complete cycle" on the editor's "Assurance" tab, and what completing it tells ---------


@pytest.mark.parametrize("user_name", ["editor_a", "approver_a", "superuser"])
def test_the_assurance_tab_offers_complete_cycle(world, user_name):
    client = Client()
    login(client, world.user(user_name))
    html = client.get(f"/admin/pages/{world.assurance_a.pk}/edit/").content.decode()
    assert 'data-bm-action="complete-cycle-tab"' in html
    tab = html.split('data-bm="complete-cycle-panel"', 1)[1].split("</div>", 1)[0]
    assert f'href="{complete_url(world.assurance_a)}"' in tab
    assert "Cyclus afronden" in tab
    with translation.override("nl"):
        assert f"Volgende controle: {long_date(original_due())}." in tab
    # A regular project has no cycle to complete.
    html = client.get(f"/admin/pages/{world.live_project_a.pk}/edit/").content.decode()
    assert 'data-bm="complete-cycle-panel"' not in html


@pytest.mark.parametrize(
    "user_name", ["auditor_a", "editor_b", "approver_b", "anonymous"]
)
def test_others_get_no_complete_cycle_on_the_tab(world, user_name):
    client = Client()
    login(client, world.user(user_name))
    response = client.get(f"/admin/pages/{world.assurance_a.pk}/edit/")
    assert 'data-bm="complete-cycle-panel"' not in response.content.decode()


def test_completing_a_cycle_confirms_with_the_new_date(world):
    project = fresh(world.assurance_a)
    client = Client()
    login(client, world.user("editor_a"))
    response = post_cycle(client, project)
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    project.refresh_from_db()
    new_date = add_months(original_due(), 3)
    assert project.next_review_date == new_date
    with translation.override("nl"):
        written = long_date(new_date)
    # (Wagtail renders a message's buttons into it: the text comes first.)
    told = [str(m).split("<", 1)[0].strip() for m in page.context["messages"]]
    assert told == [f"Cyclus afgerond; volgende controle op {written}."], told
    assert f"Cyclus afgerond; volgende controle op {written}." in html
    shown = re.search(r'data-bm="next-review">(.*?)</span>', html, re.S).group(1)
    assert written in shown
