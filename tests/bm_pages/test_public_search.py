"""The public search as a council member uses it, on the real database backend.

Runs on PostgreSQL (Wagtail's database backend with the ``dutch`` configuration) and
on SQLite (FTS5). The matcher is pointed at a closed port: the semantic source is
down, and the page must still find by words, stems and compound parts.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from bm_pages.models import PolicyTopic, ProjectPage
from tests.factories import (
    AnnualPlanPageFactory,
    LibraryPageFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db

CLOSED_PORT_MATCHER = {
    "MATCHER_URL": "http://127.0.0.1:9",  # discard port: nothing listens
    "MATCHER_API_TOKEN": "unused-token",
    "CONNECT_TIMEOUT": 0.5,
    "SEARCH_TIMEOUT": 0.5,
    "RETRIES": 0,
}


@pytest.fixture(autouse=True)
def matcher_down(settings):
    settings.BM_MATCHING = CLOSED_PORT_MATCHER


def project(plan, title, summary, *, core=None, **fields):
    page = ProjectPageFactory(parent=plan, title=title, summary=summary, **fields)
    if core:
        page.core_functions.set(PolicyTopic.objects.filter(slug=core))
        page.save()
    return page


@pytest.fixture
def world(library, annual_plan, home_page):
    """Two libraries, three plans, projects a council member looks for and others."""
    other = LibraryPageFactory(parent=home_page, title="Bibliotheek Maas en Waal")
    other_2025 = AnnualPlanPageFactory(parent=other, year=2025, title="Jaarplan 2025")
    other_2026 = AnnualPlanPageFactory(parent=other, year=2026, title="Jaarplan 2026")
    core = PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)
    reading = core.get(name__icontains="lezen").slug
    knowledge = core.get(name__icontains="kennis").slug
    pages = {
        "express_teststad": project(
            annual_plan,
            "Voorlezen aan huis met de VoorleesExpress",
            "Vrijwilligers lezen twintig weken voor bij gezinnen thuis.",
            core=reading,
        ),
        "express_maas_2025": project(
            other_2025,
            "Voorlezen aan huis met de VoorleesExpress",
            "Vrijwilligers lezen twintig weken voor bij gezinnen thuis.",
            core=reading,
        ),
        "ochtenden": project(
            other_2026,
            "Peuters in de bibliotheek",
            "Wekelijkse voorleesochtenden voor peuters en hun ouders.",
            core=reading,
        ),
        "digicafe": project(
            other_2026,
            "Digicafé",
            "Senioren leren videobellen en veilig internetbankieren.",
            core=knowledge,
        ),
        "klik_tik": project(
            annual_plan,
            "Klik & Tik",
            "Volwassenen met weinig digitale vaardigheden oefenen met DigiD.",
            core=knowledge,
        ),
        "unrelated": project(
            annual_plan,
            "Schrijfwedstrijd voor jongeren",
            "Jongeren schrijven een kort verhaal over hun wijk.",
        ),
        "draft": project(
            other_2026,
            "Voorleesproject in voorbereiding",
            "Nog niet openbaar: digitale vaardigheden voor senioren.",
            live=False,
        ),
    }
    return {"other": other, "other_2025": other_2025, **pages}


def search(params: dict) -> tuple[str, list[int]]:
    response = Client().get("/zoeken/", params, headers={"accept-language": "nl"})
    assert response.status_code == 200
    html = response.content.decode()
    return html, [
        int(i) for i in re.findall(r'data-bm="result" data-page="(\d+)"', html)
    ]


def result_block(html: str, page: ProjectPage) -> str:
    return re.search(rf'data-page="{page.pk}">(.*?)</li>', html, re.S).group(1)


def test_a_compound_finds_the_reading_projects_of_every_library(world):
    html, ids = search({"q": "voorleesproject"})

    expected = {
        world[k].pk for k in ("express_teststad", "express_maas_2025", "ochtenden")
    }
    assert expected <= set(ids)
    assert world["unrelated"].pk not in ids
    assert world["draft"].pk not in ids  # drafts never, even when the title matches


def test_a_multi_word_query_does_not_need_every_word(world):
    html, ids = search({"q": "digitale vaardigheden senioren"})

    assert {world["digicafe"].pk, world["klik_tik"].pk} <= set(ids)
    assert world["express_teststad"].pk not in ids
    assert world["draft"].pk not in ids


def test_a_word_finds_the_compounds_it_begins(world):
    _, ids = search({"q": "voorlees"})
    assert {world["express_teststad"].pk, world["ochtenden"].pk} <= set(ids)
    assert world["digicafe"].pk not in ids


def test_results_tell_library_year_focus_area_and_phase_apart(world, library):
    html, ids = search({"q": "VoorleesExpress"})
    teststad = result_block(html, world["express_teststad"])
    maas = result_block(html, world["express_maas_2025"])

    assert "Bibliotheek Teststad" in teststad and "Jaarplan 2026" in teststad
    assert "Bibliotheek Maas en Waal" in maas and "Jaarplan 2025" in maas
    assert 'class="phase phase--' in teststad  # the phase badge
    assert ">Project<" in teststad  # the type
    # The breadcrumb leads back home; the matcher (where bm_matching adds it as a
    # source) being down is said, not hidden.
    assert 'aria-label="Kruimelpad"' in html or 'class="breadcrumbs' in html
    assert ('data-bm="search-partial"' in html) == apps.is_installed("bm_matching")


def test_results_narrow_by_library_year_and_core_function(world):
    _, by_library = search({"q": "voorlezen", "library": world["other"].pk})
    _, by_year = search({"q": "voorlezen", "year": 2025})
    reading = PolicyTopic.objects.get(
        kind=PolicyTopic.Kind.CORE_FUNCTION, name__icontains="kennis"
    )
    _, by_function = search(
        {"q": "digitale vaardigheden senioren", "core_function": reading.slug}
    )

    assert world["express_teststad"].pk not in by_library
    assert world["express_maas_2025"].pk in by_library
    assert by_year == [world["express_maas_2025"].pk]
    assert set(by_function) == {world["digicafe"].pk, world["klik_tik"].pk}


def test_library_and_plan_pages_search_within_themselves(client, world, library):
    library_html = client.get(world["other"].url).content.decode()
    library_html = library_html.replace("&quot;", '"')
    plan_html = client.get(world["other_2025"].url).content.decode()

    assert 'action="/zoeken/"' in library_html
    assert f'name="library" value="{world["other"].pk}"' in library_html
    assert f'name="library" value="{world["other"].pk}"' in plan_html
    assert 'name="year" value="2025"' in plan_html


def test_bad_filter_values_mean_any(world):
    _, ids = search({"q": "VoorleesExpress", "library": "x", "year": "99999"})
    assert {world["express_teststad"].pk, world["express_maas_2025"].pk} <= set(ids)


def test_dutch_stemming_where_the_database_has_it(world):
    """PostgreSQL stems Dutch ("vaardigheid" finds "vaardigheden"); SQLite's FTS5 has
    no Dutch stemmer, so there word beginnings carry the search ("senior")."""
    _, ids = search({"q": "vaardigheid senior"})

    assert world["digicafe"].pk in ids  # "senior" begins "Senioren"
    if connection.vendor == "postgresql":
        assert world["klik_tik"].pk in ids
