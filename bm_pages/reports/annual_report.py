"""The annual report (jaarverslag) of an annual plan, as Word (.docx) and PDF.

For the municipal council: the library's name and logo, the plan's introduction,
key figures and a chart of projects per PDCA phase, then per focus area (in the
plan's order) each published project's SMART card, its indicators (target against
result), its PDCA status and its evaluation. Projects without a focus area follow
under "Other projects". Headings are Dutch (gettext under ``translation.override``).

Only published (live) projects are reported, in their published version: the report
says what the library has made public, never a draft that was not approved.

    build_annual_report_docx(plan) -> bytes
    build_annual_report_pdf(plan) -> bytes
"""

from __future__ import annotations

import datetime
import html
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from bm_pages.templatetags.bm_pages_tags import figure

if TYPE_CHECKING:
    from bm_pages.models import AnnualPlanPage, ProjectPage

logger = logging.getLogger(__name__)

REPORT_LANGUAGE = "nl"
# Phase colours as on the public pages (bm_pages/static/bm_pages/css/public.css).
PHASE_COLOURS = {
    "plan": "#6b4fa3",
    "do": "#0b5394",
    "check": "#a05a00",
    "act": "#b3261e",
    "done": "#1e7b3a",
}
ACCENT = "#0b5394"
DOCX_MEDIA_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


# --------------------------------------------------------------------------- data


@dataclass
class IndicatorRow:
    name: str
    unit: str
    baseline: str
    target: str
    result: str
    percent: str
    reached: bool


@dataclass
class ProjectCard:
    title: str
    summary: str
    smart: list[tuple[str, list[tuple[str, str]]]]
    indicators: list[IndicatorRow]
    phase: str
    phase_label: str
    status_lines: list[str]
    evaluation: list[str]


@dataclass
class Section:
    title: str
    description: list[str]
    projects: list[ProjectCard]
    is_focus_area: bool = True

    @property
    def heading(self) -> str:
        if self.is_focus_area:
            return _("Focus area: %(title)s") % {"title": self.title}
        return self.title


@dataclass
class AnnualReport:
    library_name: str
    year: int
    plan_title: str
    introduction: list[str]
    sections: list[Section]
    phase_counts: list[tuple[str, str, int]]  # (phase, label, count)
    key_figures: list[tuple[str, str]]
    generated_on: str
    logo_png: bytes | None = None
    chart_png: bytes = field(default=b"", repr=False)

    @property
    def title(self) -> str:
        return _("Annual report %(year)s") % {"year": self.year}


def paragraphs(text: str) -> list[str]:
    """Plain text split into paragraphs at blank lines; single newlines kept as spaces."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return [
        " ".join(line.strip() for line in b.splitlines()).strip()
        for b in blocks
        if b.strip()
    ]


def rich_text_paragraphs(value: str) -> list[str]:
    """Rich text HTML as plain paragraphs (one per block element)."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", value or "")
    text = re.sub(r"(?i)</(p|h[1-6]|li|blockquote)>", "\n\n", text)
    return paragraphs(html.unescape(strip_tags(text)))


def format_date(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else "–"


def format_figure(value: Decimal | int | None) -> str:
    return figure(value) if value is not None else "–"


def _names(queryset) -> str:
    return ", ".join(str(item) for item in queryset) or "–"


def project_card(project: ProjectPage) -> ProjectCard:
    indicators = [
        IndicatorRow(
            name=indicator.name,
            unit=indicator.unit,
            baseline=format_figure(indicator.baseline),
            target=format_figure(indicator.target),
            result=format_figure(indicator.result),
            percent=(
                f"{indicator.percent_of_target}%"
                if indicator.percent_of_target is not None
                else _("not measured yet")
            ),
            reached=indicator.target_reached,
        )
        for indicator in project.indicators.all()
    ]
    budget = f"€ {figure(project.budget)}" if project.budget is not None else "–"
    if project.start_date or project.end_date:
        period = f"{format_date(project.start_date)} – {format_date(project.end_date)}"
    else:
        period = _("No dates set.")
    smart = [
        (
            _("Specific"),
            [
                (_("Goal"), project.goal or "–"),
                (_("Target group"), project.target_group or "–"),
            ],
        ),
        (
            _("Measurable"),
            [
                (
                    _("Indicators"),
                    _("%(count)s, see the table below") % {"count": len(indicators)}
                    if indicators
                    else _("No indicators yet."),
                )
            ],
        ),
        (
            _("Achievable"),
            [
                (_("Budget"), budget),
                (_("Hours"), str(project.hours) if project.hours is not None else "–"),
                (_("Partners"), project.partners or "–"),
            ],
        ),
        (
            _("Relevant"),
            [
                (_("Wsob core functions"), _names(project.core_functions.all())),
                (_("Policy topics"), _names(project.policy_topics.all())),
                (_("Work fields"), _names(project.work_fields.all())),
            ],
        ),
        (_("Time-bound"), [(_("Period"), period)]),
    ]
    phase_label = str(project.get_phase_display())
    status_lines = [_("Current phase: %(phase)s") % {"phase": phase_label}]
    last_entry = project.phase_log.order_by("-date", "-sort_order").first()
    if last_entry is not None:
        status_lines.append(
            _("Latest log entry (%(date)s, %(phase)s): %(note)s")
            % {
                "date": format_date(last_entry.date),
                "phase": last_entry.get_phase_display(),
                "note": " ".join(last_entry.note.split()),
            }
        )
    if project.is_assurance:
        status_lines.append(
            _(
                "Assurance project: checked every %(months)s months; next check "
                "%(date)s."
            )
            % {
                "months": project.cycle_months or "–",
                "date": format_date(project.next_review_date),
            }
        )
    return ProjectCard(
        title=project.title,
        summary=project.summary,
        smart=smart,
        indicators=indicators,
        phase=project.phase,
        phase_label=phase_label,
        status_lines=status_lines,
        evaluation=paragraphs(project.evaluation),
    )


def reported_projects(plan: AnnualPlanPage):
    """The plan's published projects, in the editor's order."""
    from bm_pages.models import ProjectPage

    return (
        ProjectPage.objects.child_of(plan)
        .live()
        .select_related("focus_area")
        .prefetch_related(
            "indicators",
            "core_functions",
            "policy_topics",
            "work_fields",
        )
        .order_by("path")
    )


def library_logo_png(plan: AnnualPlanPage) -> bytes | None:
    """The library's logo as a PNG rendition, or ``None`` (none, or unreadable)."""
    library = plan.library
    if library is None or library.logo_id is None:
        return None
    try:
        rendition = library.logo.get_rendition("max-600x240|format-png")
        with rendition.file.open("rb") as handle:
            return handle.read()
    except Exception:  # a broken logo must not stop the report
        logger.warning("annual report: logo of %s unreadable", library, exc_info=True)
        return None


def collect_report(plan: AnnualPlanPage) -> AnnualReport:
    """Everything the report shows, with Dutch labels; call under ``override("nl")``."""
    from bm_pages.models import ProjectPage

    projects = list(reported_projects(plan))
    focus_areas = list(plan.focus_areas.all())
    by_area: dict[int | None, list[ProjectPage]] = {}
    for project in projects:
        by_area.setdefault(project.focus_area_id, []).append(project)
    known = {area.pk for area in focus_areas}
    sections = [
        Section(
            title=area.title,
            description=paragraphs(area.description),
            projects=[project_card(p) for p in by_area.get(area.pk, [])],
        )
        for area in focus_areas
    ]
    others = [p for p in projects if p.focus_area_id not in known]
    if others:
        sections.append(
            Section(
                title=_("Other projects"),
                description=[_("Projects not assigned to a focus area.")],
                projects=[project_card(p) for p in others],
                is_focus_area=False,
            )
        )
    counts = Counter(p.phase for p in projects)
    phase_counts = [
        (value, str(label), counts.get(value, 0))
        for value, label in ProjectPage.Phase.choices
    ]
    indicators = [i for p in projects for i in p.indicators.all()]
    measured = [i for i in indicators if i.result is not None]
    reached = [i for i in indicators if i.target_reached]
    key_figures = [
        (_("Projects"), str(len(projects))),
        (_("Focus areas"), str(len(focus_areas))),
        (_("Indicators"), str(len(indicators))),
        (_("Indicators measured"), str(len(measured))),
        (_("Targets reached"), str(len(reached))),
        (_("Projects completed"), str(counts.get(ProjectPage.Phase.DONE, 0))),
    ]
    library = plan.library
    report = AnnualReport(
        library_name=library.title if library else "",
        year=plan.year,
        plan_title=plan.title,
        introduction=rich_text_paragraphs(plan.introduction),
        sections=sections,
        phase_counts=phase_counts,
        key_figures=key_figures,
        generated_on=format_date(timezone.localdate()),
        logo_png=library_logo_png(plan),
    )
    report.chart_png = phase_chart_png(report)
    return report


# -------------------------------------------------------------------------- chart


def phase_chart_png(report: AnnualReport) -> bytes:
    """A bar chart of the number of projects per PDCA phase, as a PNG (matplotlib Agg)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = [label for _value, label, _count in report.phase_counts]
    counts = [count for _value, _label, count in report.phase_counts]
    colours = [PHASE_COLOURS[value] for value, _label, _count in report.phase_counts]
    fig = Figure(figsize=(6.4, 2.6), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    bars = ax.bar(labels, counts, color=colours, width=0.6)
    ax.bar_label(bars, padding=2, fontsize=9)
    ax.set_ylabel(_("Number of projects"), fontsize=9)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([*counts, 1]) * 1.2)
    ax.tick_params(labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


# --------------------------------------------------------------------------- docx


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
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    properties = document.core_properties
    properties.title = f"{report.title} – {report.library_name}"
    properties.author = report.library_name
    properties.subject = report.plan_title
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

    for report_section in report.sections:
        document.add_page_break()
        document.add_heading(report_section.heading, level=1)
        for text in report_section.description:
            document.add_paragraph(text)
        if not report_section.projects:
            document.add_paragraph(_("No published projects in this focus area.")).runs[
                0
            ].italic = True
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


# ---------------------------------------------------------------------------- pdf


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
            smart = Table(rows, colWidths=[3.2 * cm, 3.8 * cm, 9.6 * cm], hAlign="LEFT")
            smart.setStyle(grid)
            smart.setStyle(TableStyle(spans))
            story.append(KeepTogether([p(_("SMART card"), "h3"), smart]))
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
        canvas.drawString(2.2 * cm, 1.2 * cm, footer_text)
        canvas.drawRightString(
            A4[0] - 2.2 * cm, 1.2 * cm, page_label % {"number": doc.page}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=f"{report.title} – {report.library_name}",
        author=report.library_name,
        subject=report.plan_title,
        lang="nl-NL",
        creator="Biblio Monitor",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


# ------------------------------------------------------------------------ public


def build_annual_report_docx(plan: AnnualPlanPage) -> bytes:
    """The annual report of ``plan`` as a Word document (.docx bytes).

    :param plan: the annual plan; its published projects are reported.
    """
    with translation.override(REPORT_LANGUAGE):
        return render_docx(collect_report(plan))


def build_annual_report_pdf(plan: AnnualPlanPage) -> bytes:
    """The annual report of ``plan`` as a PDF (bytes).

    :param plan: the annual plan; its published projects are reported.
    """
    with translation.override(REPORT_LANGUAGE):
        return render_pdf(collect_report(plan))
