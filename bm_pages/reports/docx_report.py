"""The annual report as a Word document (python-docx)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from bm_pages import formatting
from bm_pages.reports.data import ACCENT, AnnualReport, ProjectCard
from bm_pages.text import clean_tree


def _docx_table(document, rows: list[list[str]], header: bool, widths=None):
    from docx.shared import Pt

    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    if header and r == 0:
                        run.bold = True
            if widths:
                cell.width = widths[c]
    return table


def render_docx(report: AnnualReport) -> bytes:
    """``report`` as .docx bytes; text XML refuses is dropped, whatever its source."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    report = clean_tree(report)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    properties = document.core_properties
    # Core properties hold at most 255 characters (python-docx refuses more); a
    # library's title may be 255 on its own.
    properties.title = f"{report.title} – {report.library_name}"[:255]
    properties.author = report.library_name[:255]
    properties.subject = report.plan_title[:255]
    properties.language = "nl-NL"

    footer = section.footer.paragraphs[0]
    footer.text = f"{report.library_name} · {report.title}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

    if report.logo_png:
        document.add_picture(io.BytesIO(report.logo_png), height=Cm(2.2))
    document.add_heading(report.title, level=0)
    library = document.add_paragraph()
    run = library.add_run(report.library_name)
    run.bold = True
    run.font.size = Pt(16)
    run.font.color.rgb = RGBColor.from_string(ACCENT.lstrip("#").upper())
    document.add_paragraph(report.plan_title)
    document.add_paragraph(
        _("Produced with Biblio Monitor on %(date)s.") % {"date": report.generated_on}
    ).runs[0].italic = True

    document.add_heading(_("Summary"), level=1)
    for text in report.introduction:
        document.add_paragraph(text)
    document.add_heading(_("Key figures"), level=2)
    _docx_table(
        document, [[label, value] for label, value in report.key_figures], header=False
    )
    document.add_heading(_("Projects per phase"), level=2)
    document.add_picture(io.BytesIO(report.chart_png), width=Cm(15))
    _docx_table(
        document,
        [[_("Phase"), _("Number of projects")]]
        + [[label, str(count)] for _v, label, count in report.phase_counts],
        header=True,
    )

    if report.assurance:
        document.add_heading(_("Assurance projects"), level=2)
        _docx_table(
            document,
            [[_("Project"), _("Cycle"), _("Last check"), _("Next check")]]
            + [
                [r.title, r.cycle, r.last_check, r.next_check] for r in report.assurance
            ],
            header=True,
        )

    for report_section in report.sections:
        document.add_page_break()
        document.add_heading(report_section.heading, level=1)
        for text in report_section.description:
            document.add_paragraph(text)
        if not report_section.projects:
            document.add_paragraph(_("No published projects in this focus area.")).runs[
                0
            ].italic = True
        if report_section.target_chart_png:
            document.add_heading(_("Targets and results"), level=2)
            document.add_picture(
                io.BytesIO(report_section.target_chart_png), width=Cm(15)
            )
            _docx_table(
                document,
                [[_("Project and indicator"), _("Result (target)"), _("Of target")]]
                + [
                    [bar.label, bar.text, formatting.percent(bar.percent)]
                    for bar in report_section.target_bars
                ],
                header=True,
            )
        for card in report_section.projects:
            _docx_project(document, card)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_project(document, card: ProjectCard) -> None:
    from docx.shared import Cm, Pt

    document.add_heading(card.title, level=2)
    document.add_paragraph(card.summary)
    document.add_heading(_("SMART card"), level=3)
    rows = []
    groups = []
    for letter_heading, items in card.smart:
        groups.append((len(rows), len(rows) + len(items) - 1, letter_heading))
        for i, (label, value) in enumerate(items):
            rows.append([letter_heading if i == 0 else "", label, value])
    table = _docx_table(
        document, rows, header=False, widths=[Cm(3.2), Cm(3.8), Cm(9.6)]
    )
    for first, last, letter_heading in groups:
        if last > first:
            merged = table.cell(first, 0).merge(table.cell(last, 0))
            merged.text = letter_heading
            run = merged.paragraphs[0].runs[0]
            run.bold = True
            run.font.size = Pt(9)
    document.add_heading(_("Indicators: target and result"), level=3)
    if card.indicators:
        _docx_table(
            document,
            [
                [
                    _("Indicator"),
                    _("Unit"),
                    _("Baseline"),
                    _("Target"),
                    _("Result"),
                    _("Of target"),
                ]
            ]
            + [
                [
                    row.name,
                    row.unit or "–",
                    row.baseline,
                    row.target,
                    row.result,
                    row.percent,
                ]
                for row in card.indicators
            ],
            header=True,
        )
    else:
        document.add_paragraph(_("No indicators yet."))
    document.add_heading(_("PDCA status"), level=3)
    for line in card.status_lines:
        document.add_paragraph(line)
    document.add_heading(_("Evaluation"), level=3)
    if card.evaluation:
        for text in card.evaluation:
            document.add_paragraph(text)
    else:
        document.add_paragraph(_("Not evaluated yet.")).runs[0].italic = True
