"""Template tags of bm_matching."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, *args: object) -> str:
    """``reverse(name, args=args)``, or ``""`` when no such URL is registered.

    Result actions that another part of the product provides (a partnership request,
    importing a project into one's plan) show up once their URL exists, and not
    before: ``{% optional_url "bm_matching:import_project" result.id as url %}``.
    """
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
