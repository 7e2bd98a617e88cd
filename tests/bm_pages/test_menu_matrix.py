"""Who sees which of the apps' admin menu items: a matrix, every role against every item.

The sidebar is read from the admin home page Wagtail renders (its menu props name
each item), so this is what the user's browser gets.
"""

import json
import re

import pytest
from django.apps import apps
from django.test import Client

from tests.bm_pages.roles_helpers import RolesWorld

pytestmark = pytest.mark.django_db

# bm_matching's "Find projects" is there where the host installs bm_matching.
MATCHING = {"find-projects"} if apps.is_installed("bm_matching") else set()
ITEMS = (
    "setup-library",
    "api-keys",
    "network",
    "document-environment",
    "find-projects",
)
SHOWN = {
    "editor_a": {"network", "document-environment", *MATCHING},
    "approver_a": {"network", "document-environment", *MATCHING},
    "superuser": {"setup-library", "api-keys", "network", "document-environment"}
    | MATCHING,
}


def menu_names(html: str) -> set[str]:
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert props, "the admin page has its sidebar"
    return set(
        re.findall(r'"name": "([a-z-]+)"', json.dumps(json.loads(props.group(1))))
    )


@pytest.mark.parametrize("role", sorted(SHOWN))
def test_each_role_sees_exactly_its_menu_items(roles_world: RolesWorld, role):
    client = Client()
    client.force_login(roles_world.user(role))
    names = menu_names(client.get("/admin/").content.decode())
    assert {item for item in ITEMS if item in names} == SHOWN[role]


def test_auditors_get_no_admin_menu_at_all(roles_world: RolesWorld):
    client = Client()
    client.force_login(roles_world.user("auditor_a"))
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "wagtail-sidebar-props" not in response.content.decode()
