"""``{% library_profile library_id as profile %}``: a result's library profile.

The profiles of every library in the template's ``results`` are read once per
render (two queries), not once per result.
"""

from __future__ import annotations

from django import template

from bm_pages.profile import LibraryProfile, profiles

register = template.Library()


@register.simple_tag(takes_context=True)
def library_profile(context, library_id: int) -> LibraryProfile | None:
    cache = context.render_context.setdefault("bm_library_profiles", {})
    if library_id not in cache:
        ids = {getattr(r, "library_id", None) for r in context.get("results") or []}
        ids.add(library_id)
        cache.update(profiles(ids - {None}))
    return cache.get(library_id)
