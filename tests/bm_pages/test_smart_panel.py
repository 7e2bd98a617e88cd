"""The project editor's live SMART panel, through the real Wagtail admin: what the
page shows, what the check endpoint answers for the posted form, and who may ask."""

import pytest
from django.urls import reverse

from bm_pages.models import PolicyTopic, ProjectPage
from tests.bm_pages.roles_helpers import (
    build_roles_world,
    edit_form_data,
    login_client,
    read_form,
)

pytestmark = pytest.mark.django_db

LONG_GOAL = "Meer volwassenen in Aland vinden binnen een jaar een passend taaltraject."


@pytest.fixture
def world():
    return build_roles_world()


def check(client, data, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"{reverse('bm_pages_smart:check')}?{query}", data)


def test_the_editor_shows_the_saved_score(client, world):
    login_client(client, world.user("editor_a"))
    response = client.get(
        reverse("wagtailadmin_pages:edit", args=[world.live_project_a.pk])
    )
    html = response.content.decode()
    assert 'data-bm="smart-panel"' in html
    assert 'data-score="2"' in html
    assert "SMART: 2 van 5" in html
    assert "Kies het speerpunt van het jaarplan." in html
    assert f"?page={world.live_project_a.pk}" in html


def test_the_check_follows_the_typed_form_and_saves_nothing(client, world):
    project = world.live_project_a
    login_client(client, world.user("editor_a"))
    revisions = project.revisions.count()
    data = edit_form_data(client, project)
    assert check(client, data, page=project.pk).json()["score"] == 2

    data = edit_form_data(client, project, goal=LONG_GOAL)
    data["focus_area"] = [""]
    topic = PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION).first()
    data["core_functions"] = [str(topic.pk)]
    answer = check(client, data, page=project.pk).json()
    assert answer["score"] == 3  # S now met; M and R still missing
    assert {m["code"] for m in answer["missing"]} == {"M-indicator", "R-focus-area"}
    by_code = {m["code"]: m for m in answer["missing"]}
    assert by_code["R-focus-area"]["field"] == "focus_area"
    assert by_code["R-focus-area"]["label"] == "Kies het speerpunt van het jaarplan."
    assert 'data-score="3"' in answer["html"]

    # An invalid date counts as missing, not as the saved date.
    data["end_date"] = ["31-31-2026"]
    answer = check(client, data, page=project.pk).json()
    assert "T-dates" in {m["code"] for m in answer["missing"]}

    assert project.revisions.count() == revisions
    saved = ProjectPage.objects.get(pk=project.pk)
    assert saved.goal == project.goal
    assert not saved.core_functions.exists()


def test_a_new_project_is_checked_against_its_plan(client, world):
    login_client(client, world.user("editor_a"))
    add_url = reverse(
        "wagtailadmin_pages:add", args=["bm_pages", "projectpage", world.plan_a.pk]
    )
    response = client.get(add_url)
    html = response.content.decode()
    assert f"?plan={world.plan_a.pk}" in html
    assert 'data-score="0"' in html

    data = read_form(html)
    data.update(
        title=["Nieuw"],
        goal=[LONG_GOAL],
        target_group=["Laaggeletterden"],
        start_date=["2026-01-01"],
        end_date=["2027-12-31"],
    )
    answer = check(client, data, plan=world.plan_a.pk).json()
    assert answer["score"] == 1  # S
    assert "T-plan-year" in {m["code"] for m in answer["missing"]}
    data["multi_year"] = ["on"]
    assert check(client, data, plan=world.plan_a.pk).json()["score"] == 2  # S, T
    assert not ProjectPage.objects.filter(title="Nieuw").exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("auditor_a", 302),  # no admin access
        ("editor_b", 403),
        ("approver_b", 403),
        ("editor_a", 200),
        ("approver_a", 200),
        ("superuser", 200),
    ],
)
def test_who_may_check(client, world, role, status):
    project = world.live_project_a
    login_client(client, world.user("superuser"))
    data = edit_form_data(client, project)
    client.logout()
    login_client(client, world.user(role))
    assert check(client, data, page=project.pk).status_code == status
    assert check(client, data, plan=world.plan_a.pk).status_code == status
