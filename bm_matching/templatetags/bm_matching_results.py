"""``{% project_results project_id as achieved %}``: what a similar project achieved.

Its indicators (result against target) and the first lines of its evaluation, read
from the live page row (what the public sees; drafts live in revisions). Only
results the search already returned are asked for, so the sharing rules hold. The
indicators of every result in the template's ``results`` are read once per render.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.utils.text import Truncator

from bm_pages.models import ProjectIndicator, ProjectPage

register = template.Library()

EVALUATION_WORDS = 30


@dataclass
class Achieved:
    indicators: list[ProjectIndicator] = field(default_factory=list)
    evaluation: str = ""

    @property
    def measured(self) -> list[ProjectIndicator]:
        return [i for i in self.indicators if i.percent_of_target is not None]


def load_achieved(project_ids: set[int]) -> dict[int, Achieved]:
    achieved = {
        pk: Achieved(evaluation=Truncator(evaluation).words(EVALUATION_WORDS))
        for pk, evaluation in ProjectPage.objects.filter(
            pk__in=project_ids, live=True
        ).values_list("pk", "evaluation")
    }
    for indicator in ProjectIndicator.objects.filter(page_id__in=achieved).order_by(
        "page_id", "sort_order"
    ):
        achieved[indicator.page_id].indicators.append(indicator)
    return achieved


@register.simple_tag(takes_context=True)
def project_results(context, project_id: int) -> Achieved | None:
    cache = context.render_context.setdefault("bm_project_results", {})
    if project_id not in cache:
        ids = {getattr(r, "id", None) for r in context.get("results") or []}
        ids.add(project_id)
        cache.update(load_achieved(ids - {None}))
    return cache.get(project_id)
