"""The report's chart: projects per PDCA phase, as a PNG (matplotlib, Agg)."""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from bm_pages.formatting import percent

if TYPE_CHECKING:
    from bm_pages.reports.council import TargetBar

# Phase colours as on the public pages (bm_pages/static/bm_pages/css/public.css).
PHASE_COLOURS = {
    "plan": "#6b4fa3",
    "do": "#0b5394",
    "check": "#a05a00",
    "act": "#b3261e",
    "done": "#1e7b3a",
}
REACHED, NOT_REACHED = "#1e7b3a", "#0b5394"


def phase_chart_png(phase_counts: list[tuple[str, str, int]]) -> bytes:
    """A bar chart of ``(phase, label, count)`` rows: projects per PDCA phase."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = [label for _value, label, _count in phase_counts]
    counts = [count for _value, _label, count in phase_counts]
    colours = [PHASE_COLOURS[value] for value, _label, _count in phase_counts]
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


def target_chart_png(bars: list[TargetBar]) -> bytes:
    """Horizontal bars: each measured indicator's result as a percentage of its
    target, with the target (100%) as a line. Bars past 150% are drawn at 150%."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cap = 150
    labels = [textwrap.shorten(bar.label, 60, placeholder="…") for bar in bars]
    values = [min(bar.percent, cap) for bar in bars]
    colours = [REACHED if bar.reached else NOT_REACHED for bar in bars]
    fig = Figure(figsize=(6.4, 0.45 * len(bars) + 0.9), dpi=200)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    positions = list(range(len(bars)))[::-1]
    rects = ax.barh(positions, values, color=colours, height=0.6)
    ax.bar_label(
        rects, labels=[percent(bar.percent) for bar in bars], padding=3, fontsize=8
    )
    ax.set_yticks(positions, labels, fontsize=8)
    ax.axvline(100, color="#1d2433", linewidth=1, linestyle="--")
    ax.set_xlim(0, cap + 20)
    ax.set_xlabel(_("Result as a percentage of the target"), fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
