""" "Vergelijkbare projecten bij andere bibliotheken bereikten gemiddeld X% van hun
streefwaarde" in the project editor (``bm_matching.results``), with the list behind
it. Real matcher, real model (``search_world``), real admin.

The figure is computed here by hand from the crafted indicators, and again from the
database rows of the projects the panel lists.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from bm_matching.results import MAX_PERCENT, normalise_unit
from bm_pages.models import ProjectIndicator, ProjectPage

pytestmark = pytest.mark.django_db


def indicator(page, unit, target, result, name="bereik", order=0):
    return ProjectIndicator.objects.create(
        page_id=page.pk,
        name=name,
        unit=unit,
        target=Decimal(target),
        result=None if result is None else Decimal(result),
        sort_order=order,
    )


def draft_with_units(project, *units):
    """The editor's draft of ``project`` measures in ``units`` (a new revision)."""
    page = ProjectPage.objects.get(pk=project.pk)
    page.indicators = [
        ProjectIndicator(name=f"eigen {unit}", unit=unit, target=Decimal("10"))
        for unit in units
    ]
    page.save_revision()


def panel(client, user, project) -> str:
    client.force_login(user)
    response = client.get(f"/admin/pages/{project.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-bm="achieved-by-similar"' in html
    # The panel's one <div> holds no other.
    return html.split('data-bm="achieved-by-similar"')[1].split("</div>")[0]


def listed(html) -> dict[int, int]:
    return {
        int(pk): int(percent)
        for pk, percent in re.findall(
            r'<tr data-project-id="(\d+)" data-percent="(\d+)">', html
        )
    }


@pytest.fixture
def results(search_world):
    """Results in and out of the unit "deelnemers", in libraries that do and do not
    share with library A."""
    w = search_world
    draft_with_units(w.project_a, "deelnemers")
    # B (shares with all): 75% and 250% (counts as 200), a unit that does not
    # compare and an indicator not measured yet.
    indicator(w.project_b, "Deelnemers.", "40", "30", order=0)
    indicator(w.project_b, " deelnemers ", "10", "25", order=1)
    indicator(w.project_b, "sessies", "10", "1", order=2)
    indicator(w.project_b, "deelnemers", "10", None, order=3)
    # D (network Noord, like A): 90%.
    indicator(w.project_d, "deelnemers", "50", "45")
    # F (shares with all): results, but in another unit only.
    indicator(w.project_f, "sessies", "20", "20")
    # C (network Zuid) and E (partners only) do not share with A: 10% each.
    indicator(w.project_c, "deelnemers", "100", "10")
    indicator(w.project_e, "deelnemers", "100", "10")
    return w


def test_the_figure_equals_the_database(client, results):
    w = results
    html = panel(client, w.editor_a, w.project_a)

    by_hand = {w.project_b.pk: (75 + 200) / 2, w.project_d.pk: 90}
    expected = round(sum(by_hand.values()) / len(by_hand))  # 113.75 -> 114
    assert listed(html) == {pk: round(p) for pk, p in by_hand.items()}
    assert f'data-percent="{expected}"' in html
    assert (
        f"Vergelijkbare projecten bij andere bibliotheken bereikten gemiddeld "
        f"{expected}% van hun streefwaarde." in html
    )

    assert (
        "Over 2 vergelijkbare projecten met resultaten in dezelfde eenheid als uw "
        "indicatoren (deelnemers)"
        in html
        and "elk ten hoogste 200%" in html
    )

    # Again, from the rows of the listed projects as the database holds them.
    def from_database(page_id):
        ratios = [
            min(Decimal(MAX_PERCENT), 100 * i.result / i.target)
            for i in ProjectIndicator.objects.filter(page_id=page_id)
            if i.result is not None
            and i.target
            and normalise_unit(i.unit) == "deelnemers"
        ]
        return sum(ratios) / len(ratios)

    figures = [from_database(pk) for pk in listed(html)]
    assert round(sum(figures) / len(figures)) == expected
    # The list names each project's library and shows its figures.
    assert "Bibliotheek Beekstad" in html and "Bibliotheek Dijkwater" in html
    assert "30 / 40 Deelnemers." in html


def test_libraries_that_do_not_share_are_not_used(client, results):
    w = results
    html = panel(client, w.editor_a, w.project_a)
    assert w.project_c.pk not in listed(html)
    assert w.project_e.pk not in listed(html)
    assert "Eemhoven" not in html and "Cederveen" not in html
    # A superuser may find every library's projects, but the figure is A's: what
    # A's staff see.
    assert listed(panel(client, w.superuser, w.project_a)) == listed(html)
    # C's library shares with its own network: for C's project, E (a partner of C
    # in Zuid) counts, and A's own results would too.
    draft_with_units(w.project_c, "deelnemers")
    html = panel(client, w.editor_c, w.project_c)
    assert w.project_e.pk in listed(html)


def test_nothing_comparable_says_so_in_dutch(client, results):
    w = results
    draft_with_units(w.project_a, "bezoekers")
    html = panel(client, w.editor_a, w.project_a)
    assert 'data-bm-achieved="none"' in html
    assert "Nog geen vergelijkbaar project" in html and "(bezoekers)" in html
    assert "gemiddeld" not in html and not listed(html)


def test_without_units_there_is_nothing_to_compare(client, results):
    w = results
    draft_with_units(w.project_a, "")
    html = panel(client, w.editor_a, w.project_a)
    assert 'data-bm-achieved="no-units"' in html
    assert "geef uw indicatoren een eenheid" in html


def test_the_matcher_down_is_a_sentence_not_an_error(client, results, settings):
    w = results
    settings.BM_MATCHING = {
        **settings.BM_MATCHING,
        "MATCHER_URL": "http://127.0.0.1:9",
        "RETRIES": 0,
    }
    html = panel(client, w.editor_a, w.project_a)
    assert 'data-bm-achieved="unavailable"' in html


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("editor_a", "figure"),
        ("approver_a", "figure"),
        ("superuser", "figure"),
        ("auditor_a", "login"),
        ("editor_c", "denied"),
        ("anonymous", "login"),
    ],
)
def test_who_sees_the_panel(results, role, sees):
    w = results
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(w, role))
    response = client.get(f"/admin/pages/{w.project_a.pk}/edit/")
    html = response.content.decode()
    if sees == "figure":
        assert response.status_code == 200
        assert 'data-bm-achieved="figure"' in html
        return
    assert 'data-bm="achieved-by-similar"' not in html
    assert response.status_code == 302
    location = response["Location"]
    if sees == "login":
        assert "/login/" in location
    else:
        assert "/login/" not in location and f"/pages/{w.project_a.pk}/" not in location
