"""The annual report as a PDF (reportlab platypus)."""

from __future__ import annotations

import html
import io
from pathlib import Path

from django.utils.translation import gettext as _

from bm_pages.reports.data import ACCENT, AnnualReport
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
            "c", parent=base["Normal"], fontName=regular, fontSize=8.5, leading=11
        ),
        "cell_bold": ParagraphStyle(
            "cb", parent=base["Normal"], fontName=bold, fontSize=8.5, leading=11
        ),
        "num": ParagraphStyle(
            "n",
            parent=base["Normal"],
            fontName=regular,
            fontSize=8.5,
            leading=11,
            alignment=2,
        ),
        "num_bold": ParagraphStyle(
            "nb",
            parent=base["Normal"],
            fontName=bold,
            fontSize=8.5,
            leading=11,
            alignment=2,
        ),
    }

    def p(text: str, style: str = "body") -> Paragraph:
        return Paragraph(html.escape(text).replace("\n", "<br/>"), styles[style])

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
        colWidths=[6 * cm, 2.5 * cm],
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

    for section in report.sections:
        story.append(PageBreak())
        story.append(p(section.heading, "h1"))
        story += [p(text) for text in section.description]
        if not section.projects:
            story.append(p(_("No published projects in this focus area."), "muted"))
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
                colWidths=[3.2 * cm, 3.8 * cm, 9.6 * cm],
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
                table_rows = [
                    [p(head[0], "cell_bold"), p(head[1], "cell_bold")]
                    + [p(h, "num_bold") for h in head[2:]]
                ]
                for row in card.indicators:
                    table_rows.append(
                        [p(row.name, "cell"), p(row.unit or "–", "cell")]
                        + [
                            p(v, "num")
                            for v in (row.baseline, row.target, row.result, row.percent)
                        ]
                    )
                indicators = Table(
                    table_rows,
                    colWidths=[
                        4.1 * cm,
                        2.2 * cm,
                        2.2 * cm,
                        2.9 * cm,
                        2.2 * cm,
                        3.0 * cm,
                    ],
                    hAlign="LEFT",
                    repeatRows=1,
                    splitInRow=1,
                )
                indicators.setStyle(grid)
                indicators.setStyle(header_row)
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
