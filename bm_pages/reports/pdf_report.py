"""The annual report as a PDF (reportlab platypus)."""

from __future__ import annotations

import html
import io
from pathlib import Path

from django.utils.translation import gettext as _

from bm_pages import formatting
from bm_pages.reports.data import ACCENT, AnnualReport
from bm_pages.reports.pdf_layout import column_widths
from bm_pages.text import clean_tree


def _pdf_fonts() -> tuple[str, str]:
    """DejaVu Sans from matplotlib's own data (full Unicode, no system fonts needed)."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = "BMDejaVuSans", "BMDejaVuSans-Bold"
    if regular not in pdfmetrics.getRegisteredFontNames():
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(regular, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(bold, str(fonts / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold)
    return regular, bold


def render_pdf(report: AnnualReport) -> bytes:
    """``report`` as PDF bytes.

    Text is cleaned like the Word version's, and every table may split inside a
    row (``splitInRow``): a 600-word goal flows on to the next page instead of
    failing the layout.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import (
        CondPageBreak,
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    report = clean_tree(report)
    regular, bold = _pdf_fonts()
    base = getSampleStyleSheet()
    accent = colors.HexColor(ACCENT)
    styles = {
        "title": ParagraphStyle(
            "t",
            parent=base["Title"],
            fontName=bold,
            fontSize=24,
            leading=30,
            alignment=TA_LEFT,
            spaceAfter=6,
        ),
        "library": ParagraphStyle(
            "l",
            parent=base["Normal"],
            fontName=bold,
            fontSize=15,
            leading=20,
            textColor=accent,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base["Heading1"],
            fontName=bold,
            fontSize=16,
            leading=20,
            textColor=accent,
            spaceBefore=6,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=bold,
            fontSize=13,
            leading=16,
            spaceBefore=10,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName=bold,
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
        ),
        "body": ParagraphStyle(
            "b",
            parent=base["Normal"],
            fontName=regular,
            fontSize=9.5,
            leading=13,
            spaceAfter=4,
        ),
        "muted": ParagraphStyle(
            "m",
            parent=base["Normal"],
            fontName=regular,
            fontSize=9,
            leading=12,
            textColor=colors.HexColor("#555f6d"),
        ),
        "cell": ParagraphStyle(
            "c",
            parent=base["Normal"],
            fontName=regular,
            fontSize=8.5,
            leading=11,
            splitLongWords=0,
        ),
        "cell_bold": ParagraphStyle(
            "cb",
            parent=base["Normal"],
            fontName=bold,
            fontSize=8.5,
            leading=11,
            splitLongWords=0,
        ),
        "num": ParagraphStyle(
            "n",
            parent=base["Normal"],
            fontName=regular,
            fontSize=8.5,
            leading=11,
            alignment=2,
            splitLongWords=0,
        ),
        "num_bold": ParagraphStyle(
            "nb",
            parent=base["Normal"],
            fontName=bold,
            fontSize=8.5,
            leading=11,
            alignment=2,
            splitLongWords=0,
        ),
    }

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(html.escape(text).replace("\n", "<br/>"), styles[style])

    def widths(rows: list[list[str]], total: float) -> list[float]:
        return column_widths(rows, total, regular, 8.5, bold_font=bold)

    def table(rows: list[list[str]], total: float, numeric_from: int = 99) -> Table:
        """A grid with a header row; columns from ``numeric_from`` on align right."""
        cells = [
            [
                p(
                    text,
                    ("num" if c >= numeric_from else "cell")
                    + ("_bold" if r == 0 else ""),
                )
                for c, text in enumerate(row)
            ]
            for r, row in enumerate(rows)
        ]
        result = Table(
            cells,
            colWidths=widths(rows, total),
            hAlign="LEFT",
            repeatRows=1,
            splitInRow=1,
        )
        result.setStyle(grid)
        result.setStyle(header_row)
        return result

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c7ccd4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    header_row = TableStyle(
        [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6"))]
    )

    margin_x, margin_y = 2.2 * cm, 2 * cm
    # The frame SimpleDocTemplate lays out in (its default 6 pt padding each side).
    frame_width = A4[0] - 2 * margin_x - 12
    frame_height = A4[1] - 2 * margin_y - 12

    def together(flowables: list) -> list:
        """Kept on one page if they fit on one; a longer run (a SMART card with a
        600-word goal) starts after some room and flows on, split inside rows."""
        height = sum(
            f.wrap(frame_width, frame_height)[1]
            + f.getSpaceBefore()
            + f.getSpaceAfter()
            for f in flowables
        )
        if height <= frame_height:
            return [KeepTogether(flowables)]
        return [CondPageBreak(5 * cm), *flowables]

    story: list = []
    if report.logo_png:
        logo = ImageReader(io.BytesIO(report.logo_png))
        width, height = logo.getSize()
        target_h = 2.0 * cm
        story.append(
            Image(
                io.BytesIO(report.logo_png),
                width=width * target_h / height,
                height=target_h,
                hAlign="LEFT",
            )
        )
        story.append(Spacer(1, 0.4 * cm))
    story += [
        p(report.title, "title"),
        p(report.library_name, "library"),
        p(report.plan_title, "body"),
        p(
            _("Produced with Biblio Monitor on %(date)s.")
            % {"date": report.generated_on},
            "muted",
        ),
        Spacer(1, 0.4 * cm),
        p(_("Summary"), "h1"),
    ]
    story += [p(text) for text in report.introduction]
    story.append(p(_("Key figures"), "h2"))
    figures = Table(
        [
            [p(label, "cell"), p(value, "num_bold")]
            for label, value in report.key_figures
        ],
        colWidths=widths([["", ""], *map(list, report.key_figures)], 9 * cm),
        hAlign="LEFT",
        splitInRow=1,
    )
    figures.setStyle(grid)
    story.append(figures)
    story.append(p(_("Projects per phase"), "h2"))
    story.append(
        Image(io.BytesIO(report.chart_png), width=15 * cm, height=15 * cm * 2.6 / 6.4)
    )
    phases = Table(
        [[p(_("Phase"), "cell_bold"), p(_("Number of projects"), "num_bold")]]
        + [
            [p(label, "cell"), p(str(count), "num")]
            for _v, label, count in report.phase_counts
        ],
        colWidths=[6 * cm, 4 * cm],
        hAlign="LEFT",
        splitInRow=1,
    )
    phases.setStyle(grid)
    phases.setStyle(header_row)
    story.append(phases)
    if report.assurance:
        story.append(p(_("Assurance projects"), "h2"))
        head = [_("Project"), _("Cycle"), _("Last check"), _("Next check")]
        rows = [
            [r.title, r.cycle, r.last_check, r.next_check] for r in report.assurance
        ]
        story.append(table([head, *rows], frame_width))

    for section in report.sections:
        story.append(PageBreak())
        story.append(p(section.heading, "h1"))
        story += [p(text) for text in section.description]
        if not section.projects:
            story.append(p(_("No published projects in this focus area."), "muted"))
        if section.target_chart_png:
            chart = ImageReader(io.BytesIO(section.target_chart_png))
            width, height = chart.getSize()
            story.append(p(_("Targets and results"), "h2"))
            story.append(
                Image(
                    io.BytesIO(section.target_chart_png),
                    width=15 * cm,
                    height=15 * cm * height / width,
                )
            )
            head = [_("Project and indicator"), _("Result (target)"), _("Of target")]
            rows = [
                [b.label, b.text, formatting.percent(b.percent)]
                for b in section.target_bars
            ]
            story.append(table([head, *rows], frame_width, numeric_from=2))
        for card in section.projects:
            story.append(CondPageBreak(6 * cm))
            story.append(p(card.title, "h2"))
            story.append(p(card.summary))
            rows = []
            spans = []
            for letter_heading, items in card.smart:
                spans.append(("SPAN", (0, len(rows)), (0, len(rows) + len(items) - 1)))
                for i, (label, value) in enumerate(items):
                    rows.append(
                        [
                            p(letter_heading if i == 0 else "", "cell_bold"),
                            p(label, "cell"),
                            p(value, "cell"),
                        ]
                    )
            smart = Table(
                rows,
                colWidths=widths(
                    [
                        ["", "", ""],
                        *[
                            [heading if i == 0 else "", label, value]
                            for heading, items in card.smart
                            for i, (label, value) in enumerate(items)
                        ],
                    ],
                    frame_width,
                ),
                hAlign="LEFT",
                splitInRow=1,
            )
            smart.setStyle(grid)
            smart.setStyle(TableStyle(spans))
            story += together([p(_("SMART card"), "h3"), smart])
            story.append(p(_("Indicators: target and result"), "h3"))
            if card.indicators:
                head = [
                    _("Indicator"),
                    _("Unit"),
                    _("Baseline"),
                    _("Target"),
                    _("Result"),
                    _("Of target"),
                ]
                rows = [
                    [r.name, r.unit or "–", r.baseline, r.target, r.result, r.percent]
                    for r in card.indicators
                ]
                indicators = table([head, *rows], frame_width, numeric_from=2)
                story.append(indicators)
            else:
                story.append(p(_("No indicators yet."), "muted"))
            story.append(p(_("PDCA status"), "h3"))
            story += [p(line) for line in card.status_lines]
            story.append(p(_("Evaluation"), "h3"))
            if card.evaluation:
                story += [p(text) for text in card.evaluation]
            else:
                story.append(p(_("Not evaluated yet."), "muted"))

    footer_text = f"{report.library_name} · {report.title}"
    page_label = _("Page %(number)s")

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.HexColor("#555f6d"))
        canvas.drawString(margin_x, 1.2 * cm, footer_text)
        canvas.drawRightString(
            A4[0] - margin_x, 1.2 * cm, page_label % {"number": doc.page}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_y,
        bottomMargin=margin_y,
        title=f"{report.title} – {report.library_name}",
        author=report.library_name,
        subject=report.plan_title,
        lang="nl-NL",
        creator="Biblio Monitor",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
