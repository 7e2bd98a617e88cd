"""The annual report's council figures: money, hours, targets, assurance, layout.

Read back from the real Word and PDF files; the first PDF page is rendered to PNG
(pypdfium2) under ``test-artifacts/reports/`` for a person to look at.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest

from bm_pages.models import ProjectPage
from bm_pages.reports.annual_report import (
    build_annual_report_docx,
    build_annual_report_pdf,
)
from tests.bm_pages.test_annual_report import docx_text, pdf_text
from tests.factories import (
    AssuranceCheckFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


@pytest.fixture
def council_plan(page_tree):
    """The page tree's plan plus a project with a long unit in a narrow column."""
    staff = ProjectPageFactory(
        parent=page_tree.plan,
        title="Scholing van medewerkers",
        budget=Decimal("7800.00"),
        hours=1200,
        focus_area=page_tree.focus_areas[0],
        phase=ProjectPage.Phase.DO,
    )
    ProjectIndicatorFactory(
        page=staff,
        name="getrainde medewerkers digitale vaardigheden",
        unit="medewerkers",
        target=Decimal("30"),
        result=Decimal("31"),
    )
    ProjectIndicatorFactory(
        page=staff, name="tevredenheid", unit="cijfer", target=7, result="7.3"
    )
    AssuranceCheckFactory(
        page=page_tree.assurance_project,
        date=datetime.date(2026, 9, 2),
        findings="Op orde.",
    )
    return page_tree.plan


def expected_lines(page_tree) -> list[str]:
    # 12.500 (BoekStart) + 7.800 + the factory's 2.500 for the assurance project.
    return [
        "Budget (gepland) € 22.800",
        "Uren (gepland) 1.660",
        "Streefwaarden gehaald 2",
        "Streefwaarden niet gehaald 1",
        "Nog niet gemeten 1",
        "Borgingsprojecten",
        "Borging klachtenafhandeling elke 3 maanden 2 september 2026 1 oktober 2026",
        "Doelen en resultaten",
        "4.321 koffertjes (doel 5.796) 75%",
        "7,3 (doel 7) 104%",
        "31 medewerkers (doel 30) 103%",
        "€ 7.800",
        "15 januari 2026 – 15 december 2026",
    ]


def test_pdf_has_budget_hours_targets_and_assurance_in_dutch(council_plan, page_tree):
    content = build_annual_report_pdf(council_plan)
    text = pdf_text(content)

    for line in expected_lines(page_tree):
        assert line in text, line
    assert "7800" not in text and "12500" not in text
    # Whole words only: no "medewerke rs" from a column too narrow for the unit.
    assert "medewerkers" in text
    assert "medewerke rs" not in text and "medewerker s" not in text

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "jaarverslag-raad.pdf").write_bytes(content)
    document = pypdfium2.PdfDocument(content)
    for number in (0, 2):
        image = document[number].render(scale=1.5).to_pil()
        assert image.width > 800
        image.save(ARTIFACTS / f"jaarverslag-pagina-{number + 1}.png")


def test_docx_has_the_same_figures(council_plan, page_tree):
    text = docx_text(build_annual_report_docx(council_plan))
    for line in expected_lines(page_tree):
        assert line in text, line
