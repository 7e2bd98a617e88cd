"""API v2 listings cost the same number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bm_pages.models import PolicyTopic
from tests.conftest import make_project
from tests.factories import (
    AnnualPlanPageFactory,
    FocusAreaFactory,
    LibraryPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_of_25(home_page, library):
    """25 live projects in one plan, and 24 more libraries with a plan each."""
    for index in range(24):
        other = LibraryPageFactory(parent=home_page, title=f"Bibliotheek {index}")
        other_plan = AnnualPlanPageFactory(parent=other, year=2027)
        FocusAreaFactory(page=other_plan, title="Lezen")
    plan = AnnualPlanPageFactory(parent=library, year=2027)
    areas = [FocusAreaFactory(page=plan, title=f"Speerpunt {i}") for i in range(2)]
    core = list(PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)[:2])
    for index in range(25):
        project = make_project(
            plan, title=f"Project {index}", focus_area=areas[index % 2]
        )
        project.core_functions.set(core)
        project.save()
    return plan


def count_queries(client, url: str) -> tuple[int, dict]:
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


LISTINGS = [
    "/api/v2/projects/?",
    "/api/v2/projects/?fields=*&",
    "/api/v2/projects/?fields=indicators,core_functions,focus_area,library,plan&",
    "/api/v2/projects/?search=Project&",
    "/api/v2/plans/?fields=*&",
    "/api/v2/libraries/?fields=*&",
    "/api/v2/pages/?",
]


def test_listing_queries_do_not_grow_with_the_limit(client, plan_of_25):
    counts = {}
    for listing in LISTINGS:
        small, small_body = count_queries(client, f"{listing}limit=5")
        large, large_body = count_queries(client, f"{listing}limit=20")
        assert (len(small_body["items"]), len(large_body["items"])) == (5, 20)
        counts[listing] = (small, large)

    assert all(small == large for small, large in counts.values()), counts
    assert max(large for _small, large in counts.values()) <= 20, counts


def test_project_listing_items_carry_related_data(client, plan_of_25):
    _count, body = count_queries(
        client, "/api/v2/projects/?fields=indicators,core_functions&limit=20"
    )
    first = body["items"][0]
    assert first["library"]["title"] == "Bibliotheek Teststad"
    assert first["plan"]["year"] == 2027
    assert first["indicators"][0]["name"] == "deelnemers"
    assert len(first["core_functions"]) == 2


@pytest.mark.parametrize("listing", LISTINGS)
def test_an_offset_past_the_end_is_an_empty_page_without_fetching_it(
    client, plan_of_25, listing
):
    within, within_body = count_queries(client, f"{listing}limit=20&offset=0")
    past, past_body = count_queries(client, f"{listing}limit=20&offset=100000")

    assert past_body["items"] == []
    assert past_body["meta"]["total_count"] == within_body["meta"]["total_count"] > 0
    assert past < within  # the count, not the page nor what its items need


# Items and counts kept between listings (bm_pages.api.kept_listing) -------------------


@pytest.fixture
def parts_kept(settings):
    """Each item's representation and each count kept; the page cache off."""
    from django.core.cache import cache

    settings.BM_PAGES = {**settings.BM_PAGES, "PUBLIC_PARTS_CACHE_SECONDS": 600}
    cache.clear()
    yield
    cache.clear()


def listing(client, url: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in queries.captured_queries]


def fetched_ids(queries: list[str]) -> int:
    """How many items a listing fetched whole: the ids in its indicator prefetch."""
    prefetch = [sql for sql in queries if 'FROM "bm_pages_projectindicator"' in sql]
    return prefetch[0].split(" IN (")[1].split(")")[0].count(",") + 1 if prefetch else 0


def test_kept_items_answer_as_freshly_rendered_ones(client, plan_of_25, settings):
    urls = [f"{listing_url}limit=20&offset=3" for listing_url in LISTINGS]
    fresh = [listing(client, url)[0] for url in urls]
    settings.BM_PAGES = {**settings.BM_PAGES, "PUBLIC_PARTS_CACHE_SECONDS": 600}
    first = [listing(client, url)[0] for url in urls]
    kept = [listing(client, url) for url in urls]

    assert fresh == first == [body for body, _queries in kept]
    assert not [sql for _body, queries in kept for sql in queries if "COUNT(" in sql]


def test_a_listing_fetches_only_items_no_listing_has_shown(
    client, plan_of_25, parts_kept
):
    _body, first = listing(client, "/api/v2/projects/?limit=10")
    body, second = listing(client, "/api/v2/projects/?limit=15&offset=5")
    _body, third = listing(client, "/api/v2/projects/?limit=15&offset=5")

    assert fetched_ids(first) == 10
    assert fetched_ids(second) == 10  # items 5-9 were kept
    assert fetched_ids(third) == 0 and len(body["items"]) == 15
    # Another shape of item is kept apart: without its summary.
    lean, _ = listing(client, "/api/v2/projects/?limit=15&offset=5&fields=-summary")
    assert "summary" in body["items"][0] and "summary" not in lean["items"][0]


def test_kept_items_and_counts_show_a_change_at_once(
    client, plan_of_25, parts_kept, django_capture_on_commit_callbacks
):
    url = f"/api/v2/projects/?plan={plan_of_25.pk}&limit=20"
    before, _ = listing(client, url)
    project = plan_of_25.get_children().specific().first()

    with django_capture_on_commit_callbacks(execute=True):
        project.title = "Taalcafé op dinsdag"
        project.save_revision().publish()
        make_project(plan_of_25, title="Voorleesontbijt")

    after, _ = listing(client, url)
    titles = [item["title"] for item in after["items"]]
    assert after["meta"]["total_count"] == before["meta"]["total_count"] + 1 == 26
    assert "Taalcafé op dinsdag" in titles
