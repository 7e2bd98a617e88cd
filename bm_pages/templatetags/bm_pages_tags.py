"""Template filters of bm_pages: every figure, amount and date through ``formatting``."""

from django import template

from bm_pages import formatting

register = template.Library()


@register.filter
def figure(value, max_decimals: int = 2) -> str:
    """A number as people write it: localised, grouped, no trailing zeros (5.796; 68,3)."""
    return formatting.figure(value, max_decimals)


@register.filter
def money(value) -> str:
    """Euros: "€ 7.800", "€ 7.800,50"."""
    return formatting.money(value)


@register.filter
def percent(value) -> str:
    """A percentage: "75%"."""
    return formatting.percent(value)


@register.filter
def quantity(value, unit: str = "") -> str:
    """A figure with its unit: "30,1%", "4.321 leden"."""
    return formatting.quantity(value, unit)


@register.filter
def indicator_figures(indicator) -> str:
    """An indicator's result against its target: "7,3 (doel 7)"."""
    return formatting.indicator_figures(
        indicator.result, indicator.target, indicator.unit
    )


@register.filter
def long_date(value) -> str:
    """A date written out: "1 januari 2026"."""
    return formatting.long_date(value)


@register.filter
def month_year(value) -> str:
    """A month: "januari 2026"."""
    return formatting.month_year(value)
