"""``smart_check`` in both APIs: the figures equal the rules run on the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bm_pages.models import ProjectPage
from bm_pages.smart.rules import smart_check
from tests.api.conftest import token_client
from tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def expected(page: ProjectPage) -> dict:
    """What the rules say about the page as stored (Dutch labels: the site language)."""
    return smart_check(ProjectPage.objects.get(pk=page.pk)).as_dict()


def test_public_api_gives_the_check_in_listing_and_detail(client, page_tree):
    live, assurance = page_tree.live_project, page_tree.assurance_project
    assurance.save_revision().publish()

    items = {i["id"]: i for i in client.get("/api/v2/projects/").json()["items"]}
    assert items[live.pk]["smart_check"] == {"score": 5, "missing": []}
    check = items[assurance.pk]["smart_check"]
    assert check == expected(assurance)
    assert check["score"] == 2
    assert {m["code"] for m in check["missing"]} == {
        "S-goal",
        "M-indicator",
        "R-topic",
    }
    assert check["missing"][0]["label"] == (
        "Beschrijf het doel in minstens 8 woorden: meer dan een slogan."
    )
    detail = client.get(f"/api/v2/projects/{assurance.pk}/").json()
    assert detail["smart_check"] == check


def test_public_listing_checks_without_a_query_per_project(client, page_tree):
    for n in range(4):
        ProjectPageFactory(parent=page_tree.plan, title=f"Extra {n}")

    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v2/projects/", params).status_code == 200
        return len(queries)

    count(limit=20)  # warm the caches (content types, site)
    # Listing more projects costs the same extra queries with the check as without.
    growth_with = count(limit=20) - count(limit=1)
    growth_without = count(limit=20, fields="-smart_check") - count(
        limit=1, fields="-smart_check"
    )
    assert growth_with == growth_without


def test_drf_api_gives_the_check_of_drafts_too(page_tree, editor_token):
    client = token_client(editor_token)
    draft = page_tree.draft_project
    body = client.get(f"/api/projects/{draft.pk}/").json()
    assert body["smart_check"] == expected(draft)
    listed = {p["id"]: p for p in client.get("/api/projects/").json()["results"]}
    assert listed[page_tree.live_project.pk]["smart_check"]["score"] == 5
    assert listed[draft.pk]["smart_check"] == body["smart_check"]
