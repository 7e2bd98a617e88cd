"""Column widths for the PDF's tables, from their content.

No word is ever broken inside (the cell styles set ``splitLongWords=0``): every
column is at least as wide as its longest word, and the width left over goes to the
columns whose text would otherwise wrap the most. Dutch is not hyphenated at all:
a hyphenation dictionary that gets "medewerkers" wrong is worse than none.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

CELL_PADDING = 12  # reportlab's default 6 pt left and right


def column_widths(
    rows: list[list[str]], total: float, font: str, size: float, bold_font: str = ""
) -> list[float]:
    """Widths (points) of the columns of ``rows`` that add up to ``total``.

    :param rows: the cell texts, first row the header (measured in ``bold_font``).
    :param total: the width of the table.
    :param font: the cells' font name; ``size`` its size in points.
    """
    columns = len(rows[0])
    shortest = [0.0] * columns  # the longest word: the column cannot be narrower
    natural = [0.0] * columns  # the longest line unwrapped: wider gains nothing
    for index, row in enumerate(rows):
        face = bold_font if index == 0 and bold_font else font
        for column, text in enumerate(row):
            lines = str(text).splitlines() or [""]
            for line in lines:
                natural[column] = max(natural[column], stringWidth(line, face, size))
                for word in line.split():
                    shortest[column] = max(
                        shortest[column], stringWidth(word, face, size)
                    )
    shortest = [w + CELL_PADDING for w in shortest]
    natural = [max(n + CELL_PADDING, s) for n, s in zip(natural, shortest, strict=True)]
    if sum(natural) <= total:
        # Everything fits on one line: widen in proportion, keeping the balance.
        return [n * total / sum(natural) for n in natural]
    if sum(shortest) >= total:
        # Even the longest words do not fit: keep them whole, the table is wider.
        return shortest
    # Between: each column gets its shortest width plus a share of the rest in
    # proportion to how much it would still like to grow.
    wanted = [n - s for n, s in zip(natural, shortest, strict=True)]
    spare = total - sum(shortest)
    return [s + spare * w / sum(wanted) for s, w in zip(shortest, wanted, strict=True)]
