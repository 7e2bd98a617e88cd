"""Our page actions are buttons beside the page title (issue 14, item 5): on the
editor of an annual plan "New project", "Copy to next year" and "Annual report"
(with Word and PDF);
on the editor of a library "Team". Driven through the real admin per role."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.test import Client

from tests.bm_pages.roles_helpers import RolesWorld

pytestmark = pytest.mark.django_db

PLAN_ACTIONS = (
    "new-project",
    "copy-to-next-year",
    "annual-report-docx",
    "annual-report-pdf",
)


def header_of(html: str) -> str:
    start = html.index('<header class="w-slim-header')
    return html[start : html.index("</header>", start)]


def header_actions(html: str) -> list[str]:
    """The ``data-bm-action`` of every top-level header button (not in "...")."""
    return re.findall(
        r'class="w-header-button button"[^>]*data-bm-action="([^"]+)"',
        header_of(html),
    )


def open_editor(world: RolesWorld, role: str, page):
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client.get(f"/admin/pages/{page.pk}/edit/")


@pytest.mark.parametrize("role", ["editor_a", "approver_a", "superuser"])
def test_the_plan_editor_shows_its_actions_as_header_buttons(roles_world, role):
    response = open_editor(roles_world, role, roles_world.plan_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(header_actions(html)) == ["copy-to-next-year", "new-project"]
    # Each once: not also in the "..." menu.
    for action in PLAN_ACTIONS:
        assert html.count(f'data-bm-action="{action}"') == 1, action
    header = header_of(html)
    # The annual report: one header button "Jaarverslag" with Word and PDF in it.
    menu = header.split('data-bm-menu="annual-report"', 1)[1]
    toggle = re.search(r"<button([^>]*)>(.*?)</button>", menu, re.S)
    assert "w-header-button button" in toggle.group(1)
    assert "Jaarverslag" in toggle.group(2)
    assert 'data-bm-action="annual-report-docx"' in menu
    assert 'data-bm-action="annual-report-pdf"' in menu
    for label in (
        "Nieuw project",
        "Kopiëren naar volgend jaar",
        "Jaarverslag (Word)",
        "Jaarverslag (PDF)",
    ):
        assert label in header, label
    new_project = re.search(
        r'href="([^"]+)" class="w-header-button button"[^>]*'
        r'data-bm-action="new-project"',
        header,
    )
    assert new_project.group(1) == (
        f"/admin/pages/add/bm_pages/projectpage/{roles_world.plan_a.pk}/"
    )
    # Wagtail's own page actions ("Add child page", "History") stay in "...".
    top_level = re.findall(r'href="([^"]+)" class="w-header-button button"', header)
    assert len(top_level) == 2
    plan_pk = roles_world.plan_a.pk
    for wagtail_url in (
        f"/admin/pages/{plan_pk}/add_subpage/",
        f"/admin/pages/{plan_pk}/history/",
    ):
        assert f'href="{wagtail_url}"' in header, wagtail_url
        assert wagtail_url not in top_level


@pytest.mark.parametrize(
    ("role", "expected"),
    [("auditor_a", "away"), ("editor_b", "away"), ("anonymous", "login")],
)
def test_who_may_not_edit_the_plan_gets_no_buttons(roles_world, role, expected):
    response = open_editor(roles_world, role, roles_world.plan_a)
    assert response.status_code in (302, 403)
    if expected == "login":
        assert urlparse(response["Location"]).path == "/admin/login/"
    html = response.content.decode()
    for action in PLAN_ACTIONS:
        assert action not in html


@pytest.mark.parametrize(
    ("role", "team"),
    [("approver_a", True), ("superuser", True), ("editor_a", False)],
)
def test_the_library_editor_shows_team_as_a_header_button(roles_world, role, team):
    response = open_editor(roles_world, role, roles_world.library_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("team" in header_actions(html)) == team
    assert html.count('data-bm-action="team"') == (1 if team else 0)


@pytest.mark.parametrize("role", ["auditor_a", "editor_b", "approver_b"])
def test_no_team_button_for_other_roles(roles_world, role):
    response = open_editor(roles_world, role, roles_world.library_a)
    assert response.status_code in (302, 403)
    assert 'data-bm-action="team"' not in response.content.decode()


def test_the_project_editor_keeps_copy_in_the_menu(roles_world):
    """Projects keep Wagtail's editor: "Copy to next year" is in "..." there."""
    html = open_editor(roles_world, "editor_a", roles_world.live_project_a).content
    html = html.decode()
    assert 'data-bm-action="copy-to-next-year"' in html
    assert "copy-to-next-year" not in header_actions(html)
