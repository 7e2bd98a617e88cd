"""The public plan page at size: 50 cards a page, the chart counting the whole plan."""

import re

import pytest

from bm_pages.models import ProjectPage
from tests.conftest import make_project
from tests.factories import (
    AnnualPlanPageFactory,
    FocusAreaFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_of_60(library):
    plan = AnnualPlanPageFactory(parent=library, year=2028)
    areas = [
        FocusAreaFactory(page=plan, title=f"Speerpunt {i}", sort_order=i)
        for i in range(2)
    ]
    phases = ["plan", "do", "check"]
    for index in range(60):
        make_project(
            plan,
            title=f"Project nummer {index:02d}",
            # the first 50 in tree order alternate areas; ten have none
            focus_area=areas[index % 2] if index < 50 else None,
            phase=phases[index % 3],
        )
    return plan


def cards(content: str) -> list[str]:
    return re.findall(
        r'<h3 class="project-card__title"><a href="[^"]+">([^<]+)</a>', content
    )


def test_cards_come_fifty_a_page_grouped_by_focus_area(client, plan_of_60):
    first = client.get(plan_of_60.url).content.decode()
    second = client.get(f"{plan_of_60.url}?page=2").content.decode()

    assert len(cards(first)) == 50 and len(cards(second)) == 10
    assert set(cards(first)) | set(cards(second)) == {
        f"Project nummer {i:02d}" for i in range(60)
    }
    # Focus area by focus area in the plan's order; projects without one last.
    assert first.index("Speerpunt 0") < first.index("Speerpunt 1")
    assert cards(first)[:25] == [f"Project nummer {i:02d}" for i in range(0, 50, 2)]
    assert "Overige projecten" in second and "Speerpunt" not in second
    assert 'rel="next"' in first and 'href="?page=2"' in first
    assert "Pagina 2 van 2" in second and 'rel="prev"' in second
    # Each card links to its project page, whose URL is the plan's plus its slug.
    link = re.search(r'project-card__title"><a href="([^"]+)"', first).group(1)
    assert client.get(link).status_code == 200


def test_phase_chart_counts_the_whole_plan_on_every_page(client, plan_of_60):
    for url in (plan_of_60.url, f"{plan_of_60.url}?page=2"):
        chart = re.search(
            r'<table class="phase-chart">.*?</table>',
            client.get(url).content.decode(),
            re.S,
        ).group(0)
        counts = re.findall(r'phase-chart__count">(\d+)<', chart)
        assert counts == ["20", "20", "20", "0", "0"]


@pytest.mark.parametrize("page", ["0", "x", "99", "-1"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, plan_of_60, page):
    response = client.get(f"{plan_of_60.url}?page={page}")
    assert response.status_code == 200
    assert len(cards(response.content.decode())) in (50, 10)


def test_a_card_shows_and_escapes_what_its_project_holds(client, library):
    """A card writes its own markup (``plan_listing.ProjectCard``): every field is
    escaped, provenance and assurance are in Dutch, indicators draw their bars."""
    plan = AnnualPlanPageFactory(parent=library, year=2029)
    project = ProjectPageFactory(
        parent=plan,
        title="Lezen <b>& schrijven</b>",
        summary='Met "ouders" <script>alert(1)</script>',
        kind=ProjectPage.Kind.ASSURANCE,
        cycle_months=12,
        phase=ProjectPage.Phase.DO,
        source_library_name="Bibliotheek <Maas>",
        source_title="BoekStart",
        source_year=2026,
    )
    ProjectIndicatorFactory(
        page=project, name="leden", unit="leden", target=5796, result=6000, sort_order=0
    )
    ProjectIndicatorFactory(
        page=project, name="cijfer", unit="cijfer", target=7, result=None, sort_order=1
    )

    content = client.get(plan.url).content.decode()
    card = re.search(r'<li class="project-card">.*?</li>', content, re.S).group(0)

    assert (
        f'<a href="{project.url}">Lezen &lt;b&gt;&amp; schrijven&lt;/b&gt;</a>' in card
    )
    assert '<span class="phase phase--do">Do</span>' in card
    assert "&lt;script&gt;" in card and "<script>" not in card
    assert "Gebaseerd op “BoekStart” van Bibliotheek &lt;Maas&gt; (2026)." in card
    assert '<p class="muted">Borgingsproject</p>' in card
    lines = re.findall(
        r'indicator__name">([^<]+)</span> <span class="indicator__figures">([^<]+)<'
        r'.*?bar__fill([^"]*)" style="width: (\d+)%"',
        card,
    )
    assert lines == [
        ("leden", "6.000 leden (doel 5.796)", " bar__fill--reached", "100"),
        ("cijfer", "doel 7, nog niet gemeten", "", "0"),
    ]
