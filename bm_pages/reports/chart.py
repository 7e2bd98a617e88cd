"""The report's chart: projects per PDCA phase, as a PNG (matplotlib, Agg)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

# Phase colours as on the public pages (bm_pages/static/bm_pages/css/public.css).
PHASE_COLOURS = {
    "plan": "#6b4fa3",
    "do": "#0b5394",
    "check": "#a05a00",
    "act": "#b3261e",
    "done": "#1e7b3a",
}


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
