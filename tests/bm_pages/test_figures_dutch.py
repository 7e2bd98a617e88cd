"""Figures, money and dates read as a Dutch reader expects, on every real page.

One helper (``bm_pages.formatting``) formats them; these tests read the rendered
public pages, the partner view and the audit portal over HTTP (the report text is
checked in ``test_annual_report.py``).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from bm_pages import formatting
from tests.bm_pages.certification_helpers import build_world, login
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("result", "target", "unit", "expected"),
    [
        (Decimal("7.30"), Decimal("7.00"), "cijfer", "7,3 (doel 7)"),
        (Decimal("30.1"), Decimal("94"), "%", "30,1% (doel 94%)"),
        (Decimal("4321"), Decimal("5796"), "leden", "4.321 leden (doel 5.796)"),
        (None, Decimal("150.00"), "leden", "doel 150 leden, nog niet gemeten"),
        (Decimal("0"), Decimal("12"), "", "0 (doel 12)"),
    ],
)
def test_indicator_figures_read_dutch(result, target, unit, expected):
    with translation.override("nl"):
        assert formatting.indicator_figures(result, target, unit) == expected


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (formatting.money, Decimal("7800.00"), "€ 7.800"),
        (formatting.money, Decimal("7800.50"), "€ 7.800,50"),
        (formatting.money, Decimal("1234567"), "€ 1.234.567"),
        (formatting.figure, Decimal("4.00"), "4"),
        (formatting.figure, Decimal("68.30"), "68,3"),
        (formatting.percent, 104, "104%"),
        (formatting.long_date, datetime.date(2026, 1, 1), "1 januari 2026"),
        (formatting.month_year, datetime.date(2026, 3, 9), "maart 2026"),
    ],
)
def test_money_figures_and_dates_read_dutch(function, value, expected):
    with translation.override("nl"):
        assert function(value) == expected


def get_html(client, url: str) -> str:
    response = client.get(url, headers={"accept-language": "nl"})
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_public_plan_page_writes_indicators_as_result_and_target(client, page_tree):
    html = get_html(client, page_tree.plan.url)

    assert "4.321 koffertjes (doel 5.796)" in html
    assert "doel 150 leden, nog niet gemeten" in html
    assert " van 5.796 " not in html and "5796" not in html


def test_public_project_page_writes_money_hours_and_long_dates(client, page_tree):
    html = get_html(client, page_tree.live_project.url)

    assert "€ 12.500" in html and "12500" not in html and "12.500,00" not in html
    assert ">1 september 2026</time>" in html  # an activity's date
    assert ">15 januari 2026</time>" in html  # the start date
    assert ">1 maart 2026</time>" in html  # the PDCA log
    assert not re.search(r"\b\d{1,2} (Jan|Feb|Mar|Sep|Sept)\.? 20\d\d\b", html)
    # The indicator table: figures without trailing decimals, percentage as text.
    assert ">5.796<" in html and ">4.321<" in html and ">75%<" in html


def test_partner_view_writes_money_and_figures_like_the_public_pages(partner_world):
    w = partner_world
    w.make_partners("a", "b")
    client = Client()
    client.force_login(w.u("editor_a"))
    url = f"/admin/network/partners/{w.b.pk}/projects/{w.project_b.pk}/"
    html = get_html(client, url)

    assert "€ 8.750" in html
    assert "8750" not in html and ",00" not in html
    indicators = re.search(r'data-bm="indicators">(.*?)</table>', html, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", indicators)
    assert cells[:4] == ["gezinnen bereikt (gezinnen)", "20", "60", "48"]
    assert f"1 februari {w.project_b.start_date.year}" in html


world_module, world = world_per_module(build_world)


def test_audit_portal_writes_money_figures_and_dates_in_dutch(world):
    client = Client()
    login(client, world.user("auditor_a"))
    base = world.portal_a.url
    project = get_html(client, f"{base}projecten/{world.live_project_a.pk}/")
    plans = get_html(client, f"{base}jaarplannen/")

    assert "€ 2.500" in project and "2500" not in project
    assert ">1 februari 2026</time>" in project  # the SMART card's period
    assert ">100<" in project and ">64<" in project and ">64%<" in project
    assert "februari 2026 – november 2026" in plans
