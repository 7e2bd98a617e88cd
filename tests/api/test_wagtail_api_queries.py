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
