from django import template

from bm_pages.formatting import figure as format_figure

register = template.Library()


@register.filter
def figure(value, max_decimals: int = 2) -> str:
    """A number as people write it: localised, grouped, no trailing zeros (5.796; 68,3)."""
    return format_figure(value, max_decimals)
