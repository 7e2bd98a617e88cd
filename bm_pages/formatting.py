"""Figures, money and dates as Dutch readers expect them: the one place that formats.

Every figure on the public pages, the partner view, the audit portal and both report
formats goes through these functions (or their template filters in
``bm_pages_tags``), so "7,3 (doel 7)", "€ 7.800" and "1 januari 2026" read the same
everywhere. The language is the active one; the site's default is Dutch.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import get_language, gettext

#: Units written straight after the number, without a space ("30,1%").
ATTACHED_UNITS = frozenset({"%"})
#: Units that are a scale, not a count: "een 7,3", not "7,3 cijfer".
SCALE_UNITS = frozenset({"cijfer", "rapportcijfer", "score", "grade", "mark"})
PERCENT_WORDS = frozenset({"%", "procent", "percent", "percentage"})


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@functools.lru_cache(maxsize=32)
def _separators(language: str | None) -> tuple[str, str, int] | None:
    """The language's decimal and thousand separators and group size; ``None`` for a
    grouping Python's digits cannot follow (a sequence such as India's)."""
    grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
    if not isinstance(grouping, int) or grouping <= 0:
        return None
    return (
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        grouping,
    )


def _grouped(digits: str, separator: str, size: int) -> str:
    head = len(digits) % size or size
    groups = [digits[:head]]
    groups += [digits[i : i + size] for i in range(head, len(digits), size)]
    return separator.join(groups)


def figure(value: Any, max_decimals: int = 2) -> str:
    """A number as people write it: grouped, no trailing zeros (5.796; 68,3; 7)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if not number.is_finite():
        return str(value)
    number = round(number, int(max_decimals))
    exponent = number.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    separators = _separators(get_language())
    if separators is None:
        return number_format(
            number, decimal_pos=decimals, use_l10n=True, force_grouping=True
        )
    # The same text as Django's number_format, without its per-call format lookups
    # (a plan page formats hundreds of figures).
    decimal_separator, thousand_separator, size = separators
    whole, _dot, fraction = f"{abs(number):.{decimals}f}".partition(".")
    text = _grouped(whole, thousand_separator, size)
    if fraction:
        text += decimal_separator + fraction
    return f"-{text}" if number < 0 and number.copy_abs() != 0 else text


def money(value: Any) -> str:
    """Euros: whole amounts without cents ("€ 7.800"), else two decimals ("€ 7.800,50")."""
    number = _decimal(value)
    if number is None:
        return ""
    if number == number.to_integral_value():
        return f"€ {figure(number, 0)}"
    return "€ " + number_format(
        round(number, 2), decimal_pos=2, use_l10n=True, force_grouping=True
    )


def percent(value: Any) -> str:
    """A percentage: "75%", "33,3%"."""
    text = figure(value, 1)
    return f"{text}%" if text else ""


def quantity(value: Any, unit: str = "") -> str:
    """A figure with its unit: "30,1%", "4.321 leden", "7,3" (a mark needs no unit)."""
    text = figure(value)
    unit = (unit or "").strip()
    if not text or not unit or unit.lower() in SCALE_UNITS:
        return text
    if unit.lower() in PERCENT_WORDS:
        return f"{text}%"
    return f"{text} {unit}"


def indicator_figures(result: Any, target: Any, unit: str = "") -> str:
    """An indicator's result against its target: "7,3 (doel 7)", "30,1% (doel 94%)".

    The unit goes with the result; the target repeats it only when it is attached
    ("%"). Not measured yet: "doel 7, nog niet gemeten".
    """
    percent_unit = (unit or "").strip().lower() in PERCENT_WORDS
    target_text = quantity(target, "%") if percent_unit else figure(target)
    if _decimal(result) is None:
        return gettext("target %(target)s, not measured yet") % {
            "target": quantity(target, unit)
        }
    return gettext("%(result)s (target %(target)s)") % {
        "result": quantity(result, unit),
        "target": target_text,
    }


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """A date written out: "1 januari 2026"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        # The reader's day, as Django's |date does: an aware time in local time.
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return date_format(value, "j F Y")


def month_year(value: datetime.date | None) -> str:
    """A month: "januari 2026"."""
    return date_format(value, "F Y") if value else ""


def period(start: datetime.date | None, end: datetime.date | None) -> str:
    """A date range: "1 januari 2026 – 31 december 2026"; "…" for an open end."""
    if not start and not end:
        return ""
    return f"{long_date(start) or '…'} – {long_date(end) or '…'}"
