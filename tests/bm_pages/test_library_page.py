"""The public library page as a council reads it: current plan, figures, the rest."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bm_pages.models import DocumentType, LibraryDocument
from tests.factories import (
    AnnualPlanPageFactory,
    LibraryDocumentFactory,
    LibraryPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library_page(page_tree, home_page, network):
    """Teststad with its 2026 plan, an earlier and a draft plan, a partner, a report."""
    AnnualPlanPageFactory(parent=page_tree.library, year=2025, title="Jaarplan 2025")
    AnnualPlanPageFactory(
        parent=page_tree.library, year=2027, title="Conceptplan 2027", live=False
    )
    LibraryPageFactory(parent=home_page, title="Bibliotheek Buurstad", network=network)
    LibraryPageFactory(parent=home_page, title="Bibliotheek Verweg")  # no link
    annual_report = DocumentType.objects.get(slug="jaarverslag")
    LibraryDocumentFactory(
        library=page_tree.library,
        title="Jaarverslag 2025",
        document_type=annual_report,
        visibility=LibraryDocument.Visibility.PUBLIC,
    )
    LibraryDocumentFactory(
        library=page_tree.library,
        title="Intern jaarverslag",
        document_type=annual_report,
        visibility=LibraryDocument.Visibility.OWN,
    )
    response = Client().get(page_tree.library.url, headers={"accept-language": "nl"})
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, marker: str) -> str:
    return re.search(
        rf'data-bm="{marker}"(.*?)</(section|table|ul)>', html, re.S
    ).group(1)


def test_library_page_shows_the_current_plan_with_key_figures(library_page, page_tree):
    current = section(library_page, "current-plan")
    assert "Jaarplan 2026" in current
    figures = section(library_page, "key-figures")
    # Two live projects (the draft is not counted); 0 of 2 indicators reached.
    assert "<strong>2</strong> Projecten" in figures
    assert "<strong>0 / 2</strong> Indicatoren bereikt" in figures
    areas = section(library_page, "focus-areas")
    first_area = page_tree.focus_areas[0].title
    row = re.search(rf"<th scope=\"row\">{first_area}</th>(.*?)</tr>", areas, re.S)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(1))
    # projects, then Plan/Do/Check/Act/Afgerond, then indicators reached
    assert cells == ["1", "0", "0", "1", "0", "0", "0 van 2"]


def test_library_page_lists_earlier_plans_partners_and_the_public_report(
    library_page,
):
    assert "Jaarplan 2025" in library_page
    assert "Conceptplan 2027" not in library_page
    partners = section(library_page, "partners")
    assert "Bibliotheek Buurstad" in partners and "Verweg" not in partners
    assert re.search(r'data-bm="annual-report">Jaarverslag 2025<', library_page)
    assert "Intern jaarverslag" not in library_page
    assert "Teststad Centrum" in library_page  # branches
    assert "Regionaal netwerk" in library_page
