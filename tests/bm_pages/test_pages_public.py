"""The public pages councils read: what they show, what they never show, query counts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from bm_pages.models import ProjectPage
from tests.conftest import make_project
from tests.factories import (
    AnnualPlanPageFactory,
    FocusAreaFactory,
    LibraryDocumentFactory,
    LibraryPageFactory,
    PhaseLogEntryFactory,
)

pytestmark = pytest.mark.django_db


def html(client, page, **headers):
    response = client.get(page.url, headers={"accept-language": "nl", **headers})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_page_lists_live_libraries_by_network(client, page_tree, home_page):
    LibraryPageFactory(
        parent=home_page, title="Bibliotheek Nooit Gepubliceerd", live=False
    )

    content = html(client, home_page)

    assert "Bibliotheek Teststad" in content
    assert "Netwerk Rivierenland" in content
    assert "Bibliotheek Nooit Gepubliceerd" not in content
    assert 'href="#main"' in content  # skip link
    assert "<script" not in content


def test_library_page_lists_only_published_plans(client, page_tree):
    AnnualPlanPageFactory(
        parent=page_tree.library, year=2027, title="Conceptplan 2027", live=False
    )

    content = html(client, page_tree.library)

    assert "Jaarplan 2026" in content
    assert "Conceptplan 2027" not in content
    assert "Teststad Centrum" in content  # branch
    assert "info@bibliotheek.example" in content


def test_plan_page_shows_focus_areas_projects_phases_and_indicator_figures(
    client, page_tree
):
    content = html(client, page_tree.plan)

    assert "Geletterdheid" in content
    assert "BoekStart in Teststad" in content
    assert "Borging klachtenafhandeling" in content
    assert 'class="phase phase--check">Check<' in content
    assert "4.321 koffertjes (doel 5.796)" in content
    assert 'style="width: 75%"' in content
    # the chart counts live projects per phase: one in check, one in act
    chart = re.search(r'<table class="phase-chart">.*?</table>', content, re.S).group(0)
    counts = dict(
        re.findall(
            r'<th scope="row">(\w+)</th>.*?phase-chart__count">(\d+)<', chart, re.S
        )
    )
    assert counts == {"Plan": "0", "Do": "0", "Check": "1", "Act": "1", "Afgerond": "0"}


def test_drafts_never_appear(client, page_tree):
    plan_html = html(client, page_tree.plan)
    assert "Geheim conceptproject" not in plan_html
    assert client.get(page_tree.draft_project.url).status_code == 404


def test_unpublished_changes_stay_private(client, page_tree):
    project = page_tree.live_project
    project.title = "Nieuwe titel nog in concept"
    project.save_revision()

    assert "Nieuwe titel nog in concept" not in html(client, page_tree.plan)
    assert "Nieuwe titel nog in concept" not in html(client, project)


def test_unpublished_pages_disappear(client, page_tree):
    page_tree.live_project.unpublish()

    assert "BoekStart in Teststad" not in html(client, page_tree.plan)
    assert client.get(page_tree.live_project.url).status_code == 404


def test_private_pages_are_neither_listed_nor_served(client, page_tree):
    PageViewRestriction.objects.create(
        page=page_tree.live_project, restriction_type=PageViewRestriction.LOGIN
    )

    assert "BoekStart in Teststad" not in html(client, page_tree.plan)
    assert client.get(page_tree.live_project.url).status_code == 302  # to login


def test_project_page_carries_the_smart_card_activities_and_log(client, page_tree):
    content = html(client, page_tree.live_project)

    for text in [
        "Meer ouders lezen dagelijks voor aan hun baby.",  # specific: goal
        "Ouders van baby&#x27;s",  # specific: target group
        "uitgereikte koffertjes",  # measurable
        "5.796",  # target
        "4.321",  # result
        "€ 12.500",  # achievable: budget
        "340",  # hours
        "Consultatiebureau Teststad",  # partners
        "Kennis en informatie",  # relevant: core function
        "BoekStart",  # policy topic
        "5. Producten en diensten",  # work field
        "15 januari 2026",  # time-bound
        "15 december 2026",
        "Afspraken met het consultatiebureau",  # activity
        "Eerste koffertjes uitgereikt.",  # PDCA log
        'aria-current="step">Check<',  # current phase
    ]:
        assert text in content, text


def test_only_public_evidence_is_linked(client, page_tree):
    private_doc = LibraryDocumentFactory(title="Interne notulen")
    public_doc = LibraryDocumentFactory(title="Openbaar verslag", visibility="public")
    PhaseLogEntryFactory(
        page=page_tree.live_project, phase="check", evidence=private_doc, sort_order=5
    )
    PhaseLogEntryFactory(
        page=page_tree.live_project, phase="check", evidence=public_doc, sort_order=6
    )

    content = html(client, page_tree.live_project)

    assert "Openbaar verslag" in content
    assert "Interne notulen" not in content


def test_search_finds_live_projects_only(client, page_tree, home_page):
    url = home_page.url + "zoeken/"
    content = client.get(url, {"q": "BoekStart"}).content.decode()
    assert "BoekStart in Teststad" in content

    content = client.get(url, {"q": "conceptproject"}).content.decode()
    assert "Geheim conceptproject" not in content


def test_pages_speak_dutch_by_default(client, page_tree):
    content = client.get(page_tree.live_project.url).content.decode()
    assert '<html lang="nl">' in content
    assert "Specifiek" in content
    assert "Direct naar de inhoud" in content


def _plan_with_projects(library, year, count):
    plan = AnnualPlanPageFactory(parent=library, year=year)
    areas = [
        FocusAreaFactory(page=plan, title=f"Speerpunt {i}", sort_order=i)
        for i in range(3)
    ]
    for index in range(count):
        project = make_project(
            plan, title=f"Project {year}-{index}", focus_area=areas[index % 3]
        )
        project.core_functions.set([])
    return plan


def _queries_for(client, url):
    client.get(url)  # warm the per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_plan_page_query_count_does_not_grow_with_projects(
    client, library, django_assert_max_num_queries
):
    small = _plan_with_projects(library, 2025, 10)
    large = _plan_with_projects(library, 2026, 100)

    small_count = _queries_for(client, small.url)
    large_count = _queries_for(client, large.url)

    assert small_count == large_count
    with django_assert_max_num_queries(small_count):
        client.get(large.url)
    assert ProjectPage.objects.child_of(large).count() == 100
    assert Decimal(large_count) < 20
