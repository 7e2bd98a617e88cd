"""How a public page is found and checked (``bm_pages.models.serving``).

Our page types route to their usual child type with one query and ask their view
restrictions once, from the ancestors routing found. These tests hold that to what
Wagtail's own routing and restriction check give: the same page, the same refusals
(a restriction on the page, on any ancestor up to the tree's root, or on an alias's
source page), a 404 for what is not there, and other child types still reached.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from bm_pages.models import AuditPortalPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_project_page_is_routed_with_one_query_per_segment(client, page_tree):
    queries = queries_for(client, page_tree.live_project.url)

    by_slug = [sql for sql in queries if '"wagtailcore_page"."slug" =' in sql]
    restrictions = [sql for sql in queries if "wagtailcore_pageviewrestriction" in sql]
    # Library, plan and project: one query each, already the specific row (Wagtail
    # asks for the generic row, then the specific one); the ancestors are not asked
    # for again, for the breadcrumb or the restriction check.
    assert len(by_slug) == 3
    assert all("INNER JOIN" in sql for sql in by_slug)
    assert not [sql for sql in queries if '"alias_of_id" FROM' in sql]
    assert len(restrictions) == 1
    html = client.get(page_tree.live_project.url).content.decode()
    assert page_tree.library.title in html and page_tree.plan.title in html


@pytest.mark.parametrize("restricted", ["root", "home", "library", "plan", "project"])
def test_a_restriction_anywhere_above_still_turns_anonymous_readers_away(
    client, page_tree, home_page, restricted
):
    page = {
        "root": Page.get_first_root_node(),
        "home": home_page,
        "library": page_tree.library,
        "plan": page_tree.plan,
        "project": page_tree.live_project,
    }[restricted]
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get(page_tree.live_project.url)

    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(page_tree.live_project.url).status_code == 200


def test_an_alias_is_restricted_by_its_source_page(client, page_tree):
    alias = page_tree.live_project.create_alias(update_slug="kopie")
    assert client.get(alias.url).status_code == 200
    PageViewRestriction.objects.create(
        page=page_tree.live_project, restriction_type=PageViewRestriction.LOGIN
    )

    assert client.get(alias.url).status_code == 302


def test_unknown_slugs_are_404_and_other_child_types_are_still_reached(
    client, page_tree, roles_world
):
    assert client.get(f"{page_tree.plan.url}bestaat-niet/").status_code == 404
    assert client.get(f"{page_tree.library.url}bestaat-niet/").status_code == 404
    # The audit portal sits below a library beside its plans: Wagtail's routing
    # finds it (restricted: anonymous readers are sent to the login).
    portal = AuditPortalPage.objects.child_of(roles_world.library_a).get()
    response = client.get(portal.url)
    assert response.status_code == 302 and "login" in response["Location"]
