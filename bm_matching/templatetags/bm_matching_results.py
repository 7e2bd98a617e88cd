"""``{% project_results project_id as achieved %}``: what a similar project achieved.

Its indicators (result against target) and the first lines of its evaluation
(``bm_matching.results.load_achieved``). Only results the search already returned
are asked for, so the sharing rules hold. The indicators of every result in the
template's ``results`` are read once per render.
"""

from __future__ import annotations

from django import template

from bm_matching.results import Achieved, load_achieved

register = template.Library()


@register.simple_tag(takes_context=True)
def project_results(context, project_id: int) -> Achieved | None:
    cache = context.render_context.setdefault("bm_project_results", {})
    if project_id not in cache:
        ids = {getattr(r, "id", None) for r in context.get("results") or []}
        ids.add(project_id)
        cache.update(load_achieved(ids - {None}))
    return cache.get(project_id)
