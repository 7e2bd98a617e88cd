"""Template filters of bm_pages: every figure, amount and date through ``formatting``."""

from django import template
from wagtail.models import Page

from bm_pages import formatting
from bm_pages.library_overview import LibraryOverview
from bm_pages.library_overview import library_overview as build_library_overview
from bm_pages.models import HomePage
from bm_pages.models.serving import routed_ancestors

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


@register.simple_tag(takes_context=True)
def public_search_url(context) -> str:
    """The public search of the home page above the current page (or the site's)."""
    page = context.get("page")
    home = home_above(page) if isinstance(page, Page) else None
    if home is None:
        home = HomePage.objects.live().first()
    if home is None:
        return ""
    return (home.url or "/") + home.reverse_subpage("search")


def home_above(page: Page) -> HomePage | None:
    """The home page above ``page`` (or ``page`` itself), from routing when it can."""
    routed = routed_ancestors(page)
    if routed is None:
        found = page.get_ancestors(inclusive=True).type(HomePage).first()
        return found.specific if found is not None else None
    return next((each for each in [page, *routed] if isinstance(each, HomePage)), None)


@register.simple_tag
def library_overview(library) -> LibraryOverview:
    """The library page's current plan, key figures, earlier plans, partners, report."""
    return build_library_overview(library)
