"""The dashboard as the library's cockpit (issue 14): its figures equal the database,
what waits for the person is there, assurance reminders point at the current copy,
and the number of queries does not grow with the library."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bm_pages.actions import CopyProjectToNextYearAction
from bm_pages.actions.partnerships import RequestPartnershipAction
from bm_pages.models import ProjectIndicator, ProjectPage
from tests.bm_pages.roles_helpers import edit_form_data, make_staff, set_up_library
from tests.factories import (
    AnnualPlanPageFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db

PHASES = ProjectPage.Phase.values


@pytest.fixture
def cockpit():
    library = set_up_library("Bibliotheek Kompas")
    staff = make_staff(library, "kompas")
    plan = AnnualPlanPageFactory(parent=library, year=2026)
    plan.save_revision(user=staff["approver"]).publish(user=staff["approver"])
    return library, plan, staff


def add_projects(plan, count: int, start: int = 0) -> None:
    """``count`` projects over every phase, with indicators reached, on track, behind
    and not measured (a period from 2026-01-01 to 2026-12-31). Every third records
    the budget it spent, every fourth the hours."""
    results = [Decimal("120"), Decimal("95"), Decimal("1"), None]
    for n in range(start, start + count):
        project = ProjectPageFactory(
            parent=plan,
            title=f"Project {n:03d}",
            phase=PHASES[n % len(PHASES)],
            budget=Decimal(1000 + n),
            hours=10 + n,
            budget_spent=Decimal(500 + n) if n % 3 == 0 else None,
            hours_spent=Decimal(n) + Decimal("0.5") if n % 4 == 0 else None,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        )
        ProjectIndicatorFactory(
            page=project, target=Decimal("100"), result=results[n % 4]
        )


def panel_of(html: str) -> str:
    return html.split('data-bm-panel="my-library"', 1)[1]


def plan_row(html: str, year: int) -> str:
    match = re.search(rf'<tr data-plan="{year}"(.*?)</tr>', panel_of(html), re.S)
    assert match, f"no row for plan {year}"
    return match.group(1)


def attr(row: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', row)
    assert match, name
    return match.group(1)


def test_the_figures_equal_the_database(cockpit):
    library, plan, staff = cockpit
    add_projects(plan, 13)
    client = Client()
    client.force_login(staff["editor"])
    row = plan_row(client.get("/admin/").content.decode(), 2026)

    projects = list(ProjectPage.objects.child_of(plan))
    assert int(attr(row, "data-total")) == len(projects) == 13
    for phase in PHASES:
        shown = re.search(rf'data-phase="{phase}" data-count="(\d+)"', row)
        assert int(shown.group(1)) == sum(1 for p in projects if p.phase == phase)

    today = timezone.localdate()
    share = Decimal((today - datetime.date(2026, 1, 1)).days) / 364
    share = min(max(share, Decimal(0)), Decimal(1))
    indicators = list(ProjectIndicator.objects.filter(page__in=projects))
    measured = [i for i in indicators if i.result is not None]
    reached = [i for i in measured if i.result >= i.target]
    on_track = [i for i in measured if i.target * share <= i.result < i.target]
    assert int(attr(row, "data-reached")) == len(reached)
    assert int(attr(row, "data-on-track")) == len(on_track)
    assert int(attr(row, "data-behind")) == len(measured) - len(reached) - len(on_track)
    assert int(attr(row, "data-not-measured")) == len(indicators) - len(measured)
    assert Decimal(attr(row, "data-budget")) == sum(p.budget for p in projects)
    assert int(attr(row, "data-hours")) == sum(p.hours for p in projects)


def spent_cell(row: str, name: str) -> str:
    match = re.search(
        rf'<p class="bm-spent" data-bm="{name}-spent"(.*?)</p>', row, re.S
    )
    assert match, f"no {name}-spent line"
    return match.group(1)


def test_spent_against_planned_where_recorded(cockpit):
    library, plan, staff = cockpit
    add_projects(plan, 13)
    client = Client()
    client.force_login(staff["editor"])
    row = plan_row(client.get("/admin/").content.decode(), 2026)

    projects = list(ProjectPage.objects.child_of(plan))
    with_budget = [p for p in projects if p.budget_spent is not None]
    with_hours = [p for p in projects if p.hours_spent is not None]
    assert len(with_budget) == 5 and len(with_hours) == 4  # n = 0, 3, ..., 12
    budget = spent_cell(row, "budget")
    assert Decimal(attr(budget, "data-spent")) == sum(
        p.budget_spent for p in with_budget
    )
    assert Decimal(attr(budget, "data-planned")) == sum(p.budget for p in with_budget)
    assert int(attr(budget, "data-projects")) == 5
    # 500 + 503 + 506 + 509 + 512 spent of 1000 + 1003 + ... + 1012 planned.
    assert (
        "Besteed € 2.530 van € 5.030 gepland (bij 5 van 13 projecten vastgelegd)"
        in budget
    )
    hours = spent_cell(row, "hours")
    assert Decimal(attr(hours, "data-spent")) == sum(p.hours_spent for p in with_hours)
    assert int(attr(hours, "data-planned")) == sum(p.hours for p in with_hours)
    assert int(attr(hours, "data-projects")) == 4
    # 0,5 + 4,5 + 8,5 + 12,5 spent of 10 + 14 + 18 + 22 planned.
    assert "26 van 64 uur besteed (bij 4 van 13 projecten vastgelegd)" in hours


def test_a_plan_without_recorded_spending_says_so(cockpit):
    library, plan, staff = cockpit
    ProjectPageFactory(parent=plan, title="Zonder uitgaven", budget=Decimal(800))
    client = Client()
    client.force_login(staff["editor"])
    row = plan_row(client.get("/admin/").content.decode(), 2026)
    assert "Besteed budget: nog niet vastgelegd" in spent_cell(row, "budget")
    assert "Bestede uren: nog niet vastgelegd" in spent_cell(row, "hours")
    assert attr(spent_cell(row, "budget"), "data-projects") == "0"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("budget_spent", "-1", "Het bestede budget kan niet negatief zijn."),
        ("hours_spent", "-0.5", "Het aantal bestede uren kan niet negatief zijn."),
    ],
)
def test_negative_spending_is_refused_in_the_editor(cockpit, field, value, error):
    library, plan, staff = cockpit
    project = ProjectPageFactory(parent=plan, title="Voorleesuur", budget=Decimal(800))
    project.save_revision(user=staff["editor"])
    client = Client()
    client.force_login(staff["editor"])
    edit = client.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    assert "Besteed budget (EUR)" in edit and "Bestede uren" in edit
    data = edit_form_data(client, project, **{field: value})
    response = client.post(f"/admin/pages/{project.pk}/edit/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert getattr(ProjectPage.objects.get(pk=project.pk), field) is None

    data = edit_form_data(client, project, budget_spent="612.50", hours_spent="14.5")
    assert client.post(f"/admin/pages/{project.pk}/edit/", data).status_code == 302
    saved = ProjectPage.objects.get(pk=project.pk).get_latest_revision_as_object()
    assert (saved.budget_spent, saved.hours_spent) == (
        Decimal("612.50"),
        Decimal("14.5"),
    )


def test_what_waits_for_the_approver_and_the_editor(cockpit):
    library, plan, staff = cockpit
    add_projects(plan, 2)
    submitted, sent_back = ProjectPage.objects.child_of(plan).order_by("title")
    workflow = plan.get_workflow()
    for project in (submitted, sent_back):
        project.save_revision(user=staff["editor"])
    workflow.start(submitted, staff["editor"])
    state = workflow.start(sent_back, staff["editor"])
    state.current_task_state.task.specific.on_action(
        state.current_task_state,
        staff["approver"],
        "reject",
        comment="Maak het doel meetbaar.",
    )
    other = set_up_library("Bibliotheek Verweg")
    other_staff = make_staff(other, "verweg")
    RequestPartnershipAction(other, library, other_staff["approver"]).execute()

    approver = Client()
    approver.force_login(staff["approver"])
    panel = panel_of(approver.get("/admin/").content.decode())
    review = panel.split('data-bm="awaiting-review"')[1].split("</ul>")[0]
    assert submitted.title in review and sent_back.title not in review
    assert "1 partnerschapsverzoek wacht op uw beslissing." in panel

    editor = Client()
    editor.force_login(staff["editor"])
    panel = panel_of(editor.get("/admin/").content.decode())
    back = panel.split('data-bm="sent-back"')[1].split("</ul>")[0]
    assert sent_back.title in back
    assert "vroeg om wijzigingen" in back
    assert "Maak het doel meetbaar." in back
    assert 'data-bm="awaiting-review"' not in panel


def test_an_overdue_check_points_at_the_current_years_copy(cockpit):
    library, plan, staff = cockpit
    today = timezone.localdate()
    old = ProjectPageFactory(
        parent=plan,
        title="Borging voorleesuur",
        kind=ProjectPage.Kind.ASSURANCE,
        cycle_months=6,
        next_review_date=today - datetime.timedelta(days=3),
    )
    AnnualPlanPageFactory(parent=library, year=2027)
    client = Client()
    client.force_login(staff["editor"])

    def due() -> str:
        html = panel_of(client.get("/admin/").content.decode())
        return html.split('data-bm="reviews-due"')[1].split("</ul>")[0]

    assert f'data-project="{old.pk}"' in due()
    copy = CopyProjectToNextYearAction(old, user=staff["editor"]).execute()
    item = due()
    assert f'data-project="{copy.pk}"' in item
    assert f'data-project="{old.pk}"' not in item
    assert "bm-warning" in item and "te laat" in item
    assert copy.next_review_date == old.next_review_date


def test_queries_do_not_grow_with_the_library(cockpit):
    library, plan, staff = cockpit
    add_projects(plan, 20)
    client = Client()
    client.force_login(staff["approver"])
    client.get("/admin/")  # warm caches that fill once per process

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries)

    at_20 = count()
    add_projects(plan, 180, start=20)
    assert ProjectPage.objects.child_of(plan).count() == 200
    at_200 = count()
    assert at_20 == at_200, (at_20, at_200)
    # The spending recorded by every third project is in the same figures.
    row = plan_row(client.get("/admin/").content.decode(), 2026)
    assert attr(spent_cell(row, "budget"), "data-projects") == "67"


def test_the_network_menu_item_counts_requests_to_decide(cockpit):
    library, plan, staff = cockpit
    for name in ("Bibliotheek Verweg", "Bibliotheek Overzee"):
        other = set_up_library(name)
        asker = make_staff(other, name.split()[-1].lower())["approver"]
        RequestPartnershipAction(other, library, asker).execute()

    def network_label(user) -> str:
        client = Client()
        client.force_login(user)
        html = client.get("/admin/").content.decode()
        match = re.search(r'"name": "network", "label": "([^"]*)"', html)
        assert match, "no network item in the sidebar"
        return match.group(1)

    assert network_label(staff["approver"]) == "Netwerk (2)"
    # The editor does not decide on partnerships: no count.
    assert network_label(staff["editor"]) == "Netwerk"
