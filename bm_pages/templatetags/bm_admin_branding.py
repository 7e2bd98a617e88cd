"""The admin's heading: Biblio Monitor and the library the person works for."""

from django import template
from django.conf import settings

from bm_pages.permissions import staff_libraries

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_heading(context) -> str:
    """ "Biblio Monitor — Bibliotheek X" for someone working for one library, else the
    product's name (a superuser, or staff of several libraries with a panel each)."""
    product = getattr(settings, "WAGTAIL_SITE_NAME", None) or "Biblio Monitor"
    request = context.get("request")
    libraries = list(staff_libraries(request.user)[:2]) if request else []
    if len(libraries) == 1:
        return f"{product} — {libraries[0].title}"
    return product
