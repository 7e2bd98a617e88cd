"""The annual report (jaarverslag): Word and PDF, opened and read back.

The generated files are also written to ``test-artifacts/reports/`` so a person can
open them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import wagtail_factories
from docx import Document
from pypdf import PdfReader

from bm_pages.models import ProjectPage
from bm_pages.reports.annual_report import (
    build_annual_report_docx,
    build_annual_report_pdf,
)
from tests.factories import (
    FocusAreaFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return squash("\n".join(parts))


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return squash("\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def report_plan(page_tree):
    """The page tree's plan plus a logo, an empty focus area and an unassigned project."""
    library = page_tree.library
    library.logo = wagtail_factories.ImageFactory(title="Logo")
    library.save()
    FocusAreaFactory(page=page_tree.plan, title="Ontmoeting en debat", sort_order=2)
    loose = ProjectPageFactory(
        parent=page_tree.plan,
        title="Voorlezen in het verzorgingshuis",
        phase=ProjectPage.Phase.DONE,
        evaluation="Twintig bewoners deden mee.\n\nWordt volgend jaar voortgezet.",
    )
    ProjectIndicatorFactory(
        page=loose, name="voorleesmiddagen", unit="middagen", target=12, result="12.5"
    )
    return page_tree.plan


def expected_figures() -> list[str]:
    # Targets, results and baselines of the fixture's indicators, written the Dutch way.
    return ["5.796", "4.321", "90", "150", "12,5", "75%", "104%"]


def test_docx_contains_every_project_indicator_and_focus_area(report_plan, page_tree):
    content = build_annual_report_docx(report_plan)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "jaarverslag.docx").write_bytes(content)

    text = docx_text(content)
    for project in ProjectPage.objects.child_of(report_plan).live():
        assert project.title in text
    for area in report_plan.focus_areas.all():
        assert f"Speerpunt: {area.title}" in text
    for figure_text in expected_figures():
        assert figure_text in text, figure_text
    # Dutch headings, the library, the PDCA status and the evaluation.
    for heading in (
        "Jaarverslag 2026",
        "Bibliotheek Teststad",
        "Samenvatting",
        "Projecten per fase",
        "SMART-kaart",
        "Indicatoren: streefwaarde en resultaat",
        "PDCA-status",
        "Evaluatie",
        "Overige projecten",
        "Huidige fase: Check",
        "Goed bereik via het consultatiebureau.",
        "Wordt volgend jaar voortgezet.",
    ):
        assert heading in text, heading
    # Drafts are not reported.
    assert page_tree.draft_project.title not in text
    # The logo, the phase chart and a target-versus-result chart for each of the
    # two sections with measured indicators (Geletterdheid, Overige projecten).
    assert len(Document(io.BytesIO(content)).inline_shapes) == 4


def test_pdf_contains_every_project_indicator_and_focus_area(report_plan, page_tree):
    content = build_annual_report_pdf(report_plan)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "jaarverslag.pdf").write_bytes(content)

    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title == "Jaarverslag 2026 – Bibliotheek Teststad"
    text = pdf_text(content)
    for project in ProjectPage.objects.child_of(report_plan).live():
        assert project.title in text
    for area in report_plan.focus_areas.all():
        assert f"Speerpunt: {area.title}" in text
    for figure_text in expected_figures():
        assert figure_text in text, figure_text
    for heading in (
        "Jaarverslag 2026",
        "Projecten per fase",
        "PDCA-status",
        "Evaluatie",
    ):
        assert heading in text
    assert page_tree.draft_project.title not in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 4  # logo, phase chart, two target-versus-result charts


def test_projects_are_ordered_by_focus_area(report_plan, page_tree):
    text = pdf_text(build_annual_report_pdf(report_plan))
    order = [
        text.index("Speerpunt: Geletterdheid"),
        text.index(
            page_tree.live_project.title, text.index("Speerpunt: Geletterdheid")
        ),
        text.index("Speerpunt: Digitale inclusie"),
        text.index(
            "Borging klachtenafhandeling", text.index("Speerpunt: Digitale inclusie")
        ),
        text.index("Speerpunt: Ontmoeting en debat"),
        text.index("Overige projecten"),
        text.index("Voorlezen in het verzorgingshuis", text.index("Overige projecten")),
    ]
    assert order == sorted(order)
    empty_area = text[text.index("Speerpunt: Ontmoeting en debat") :]
    assert "Geen gepubliceerde projecten binnen dit speerpunt." in empty_area


def test_report_of_an_empty_plan_without_logo(annual_plan):
    docx = docx_text(build_annual_report_docx(annual_plan))
    pdf = pdf_text(build_annual_report_pdf(annual_plan))
    for text in (docx, pdf):
        assert "Jaarverslag 2026" in text
        assert "Speerpunt: Geletterdheid" in text
        assert "Geen gepubliceerde projecten binnen dit speerpunt." in text


def test_spending_is_reported_where_recorded(report_plan):
    recorded = (
        ProjectPage.objects.child_of(report_plan)
        .live()
        .get(title="Voorlezen in het verzorgingshuis")
    )
    ProjectPage.objects.filter(pk=recorded.pk).update(
        budget_spent="1250.50", hours_spent="42.5"
    )
    docx = docx_text(build_annual_report_docx(report_plan))
    pdf = pdf_text(build_annual_report_pdf(report_plan))
    for text in (docx, pdf):
        assert "Besteed budget € 1.250,50" in text
        assert "Bestede uren 42,5" in text
        # Once: the other projects record nothing, and say nothing about it.
        assert text.count("Besteed budget") == 1
