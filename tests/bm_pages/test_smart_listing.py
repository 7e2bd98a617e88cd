"""The "SMART" column of an annual plan's project listing in the Wagtail explorer."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bm_pages.models import ProjectPage
from bm_pages.smart import listing
from bm_pages.smart.rules import smart_check
from tests.bm_pages.roles_helpers import build_roles_world, login_client
from tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def rows_by_project(html: str) -> dict[int, str]:
    rows = {}
    for row in re.findall(r"<tr\b.*?</tr>", html, re.S):
        match = re.search(r"/admin/pages/(\d+)/edit/", row)
        if match:
            rows[int(match.group(1))] = row
    return rows


def test_the_plan_listing_shows_each_projects_latest_score(client):
    world = build_roles_world()
    live = world.live_project_a
    # A draft change on a live project: the listing shows the draft's score.
    draft = live.get_latest_revision_as_object()
    draft.goal = (
        "Meer volwassenen in Aland vinden binnen een jaar een passend taaltraject."
    )
    draft.save_revision()

    login_client(client, world.user("editor_a"))
    response = client.get(reverse("wagtailadmin_explore", args=[world.plan_a.pk]))
    assert response.status_code == 200
    rows = rows_by_project(response.content.decode())
    projects = ProjectPage.objects.child_of(world.plan_a)
    assert set(rows) == {p.pk for p in projects}
    for project in projects:
        shown = project.get_latest_revision_as_object()
        shown.plan_id = project.plan_id
        score = smart_check(shown).score
        assert f'data-score="{score}"' in rows[project.pk], project.title
        assert f"SMART: {score} van 5" in rows[project.pk]
    published = ProjectPage.objects.get(pk=live.pk)
    assert smart_check(draft).score == smart_check(published).score + 1


def test_listing_queries_do_not_grow_per_project(client, monkeypatch):
    world = build_roles_world()
    login_client(client, world.user("editor_a"))
    url = reverse("wagtailadmin_explore", args=[world.plan_a.pk])
    client.get(url)  # warm the caches
    checked = listing.latest_smart

    def column_cost() -> int:
        """Queries of the listing with the column's check minus without it."""
        counts = []
        for check in (checked, lambda project: None):
            monkeypatch.setattr(listing, "latest_smart", check)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts[0] - counts[1]

    cost = column_cost()  # the world's drafts are read from their revisions
    for n in range(5):
        ProjectPageFactory(parent=world.plan_a, title=f"Extra {n}")
    assert column_cost() == cost  # five more live projects cost nothing more
