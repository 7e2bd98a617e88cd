"""The project list of a public annual plan page, prepared once in Python.

A plan may hold a thousand projects. The page shows them a page of
:data:`PROJECTS_PER_PAGE` at a time (so the HTML stays bounded), grouped by focus area,
and the figures are formatted here, once per indicator, with the same helpers as
everywhere else (:func:`bm_pages.formatting.indicator_figures`).

A card writes its own HTML (``__html__``, which the template prints as it is): the
template engine resolves every variable through a chain of lookups and localises
every number, which made fifty cards a third of the page's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from bm_pages import public_cache
from bm_pages.conf import get_setting

# Cards per page of the public plan page; the phase chart always counts the whole plan.
PROJECTS_PER_PAGE = 50
SUMMARY_WORDS = 45
# What a card shows of a project: the card query loads no more (a project row has
# some forty columns, most of them long texts the card does not print).
CARD_FIELDS = (
    "title",
    "slug",
    "phase",
    "summary",
    "kind",
    "focus_area_id",
    "source_library_name",
    "source_title",
    "source_year",
)
# What an indicator line reads of an indicator.
INDICATOR_FIELDS = ("page_id", "name", "unit", "target", "result")


@dataclass
class IndicatorLine:
    name: str
    figures: str
    bar_percent: int
    reached: bool

    def __html__(self) -> str:
        reached = " bar__fill--reached" if self.reached else ""
        return format_html(
            '<div class="indicator"><p class="indicator__label">'
            '<span class="indicator__name">{}</span> '
            '<span class="indicator__figures">{}</span></p>'
            '<div class="bar" aria-hidden="true"><div class="bar__fill{}" '
            'style="width: {}%"></div></div></div>',
            self.name,
            self.figures,
            reached,
            self.bar_percent,
        )


@dataclass
class ProjectCard:
    title: str
    url: str
    phase: str
    phase_label: str
    summary: str
    source_library_name: str
    source_title: str
    source_year: int | None
    is_assurance: bool
    indicators: list[IndicatorLine] = field(default_factory=list)

    def __html__(self) -> str:
        return format_html(
            '<li class="project-card"><div class="project-card__head">'
            '<h3 class="project-card__title"><a href="{}">{}</a></h3>'
            '<span class="phase phase--{}">{}</span></div><p>{}</p>{}{}{}</li>',
            self.url,
            self.title,
            self.phase,
            self.phase_label,
            self.summary,
            self.provenance_html(),
            format_html('<p class="muted">{}</p>', gettext("Assurance project"))
            if self.is_assurance
            else "",
            format_html(
                '<div class="indicators">{}</div>',
                format_html_join("", "{}", ((line,) for line in self.indicators)),
            )
            if self.indicators
            else "",
        )

    def provenance_html(self) -> str:
        """ "Based on ... by ..." for a card imported from another library's project."""
        if not self.source_library_name:
            return ""
        if self.source_year:
            text = gettext("Based on “%(title)s” by %(library)s (%(year)s).")
        else:
            text = gettext("Based on “%(title)s” by %(library)s.")
        return format_html(
            '<p class="provenance muted">{}</p>',
            text
            % {
                "title": self.source_title,
                "library": self.source_library_name,
                "year": self.source_year,
            },
        )


def indicator_lines(indicators: Iterable[Any]) -> dict[int, list[IndicatorLine]]:
    """Indicator rows (ordered by page, then sort order) as display lines per page id."""
    lines: dict[int, list[IndicatorLine]] = {}
    for indicator in indicators:
        lines.setdefault(indicator.page_id, []).append(
            IndicatorLine(
                name=indicator.name,
                figures=indicator.figures_text,
                bar_percent=indicator.progress_percent or 0,
                reached=indicator.target_reached,
            )
        )
    return lines


def project_cards(
    projects: Sequence[Any],
    indicators: Iterable[Any],
    plan_url: str,
    phase_labels: dict[str, str],
) -> list[ProjectCard]:
    """One card per project; ``plan_url`` + slug is each child's URL (one lookup)."""
    lines = indicator_lines(indicators)
    return [
        ProjectCard(
            title=project.title,
            url=f"{plan_url}{project.slug}/",
            phase=project.phase,
            phase_label=phase_labels.get(project.phase, project.phase),
            summary=Truncator(project.summary).words(SUMMARY_WORDS),
            source_library_name=project.source_library_name,
            source_title=project.source_title,
            source_year=project.source_year,
            is_assurance=project.is_assurance,
            indicators=lines.get(project.pk, []),
        )
        for project in projects
    ]


@dataclass
class CardSection:
    anchor: str
    title: str
    description: str
    cards: list[ProjectCard]

    @property
    def cards_html(self) -> SafeString:
        return format_html_join("", "{}", ((card,) for card in self.cards))


def sections_by_focus_area(
    projects: Sequence[Any],
    cards: Sequence[ProjectCard],
    focus_areas: Sequence[Any],
    other_title: str,
) -> list[CardSection]:
    """Cards per focus area (in the plan's order, empty ones left out), then the rest
    under ``other_title``."""
    grouped: dict[int, list[ProjectCard]] = {area.pk: [] for area in focus_areas}
    ungrouped: list[ProjectCard] = []
    for project, card in zip(projects, cards, strict=True):
        grouped.get(project.focus_area_id, ungrouped).append(card)
    sections = [
        CardSection(f"area-{area.pk}", area.title, area.description, grouped[area.pk])
        for area in focus_areas
        if grouped[area.pk]
    ]
    if ungrouped:
        sections.append(CardSection("area-other", other_title, "", ungrouped))
    return sections


def phase_rows(counts: dict[str, int], choices: Sequence[tuple[str, str]]) -> list:
    """The phase chart: every phase with its count and bar width (largest = 100%)."""
    largest = max(counts.values(), default=0)
    return [
        {
            "phase": value,
            "label": label,
            "count": counts.get(value, 0),
            "percent": round(100 * counts.get(value, 0) / largest) if largest else 0,
        }
        for value, label in choices
    ]


class CountedPaginator(Paginator):
    """A paginator told its count: the phase chart's query has counted the plan."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # ``Paginator.count`` is a cached property


@dataclass(frozen=True)
class CardsCache:
    """Where the rendered cards of one page of a plan are kept (template ``{% cache %}``).

    The key holds the public cache's generation, so whatever purges the public pages
    (any page published, moved, deleted...) makes these stale too.
    """

    seconds: int
    alias: str
    vary_on: tuple


def cards_cache(plan_pk: int, card_page: int) -> CardsCache | None:
    """The cache of page ``card_page`` of the plan's cards; ``None`` when switched off."""
    seconds = get_setting("PLAN_CARDS_CACHE_SECONDS")
    if not seconds:
        return None
    return CardsCache(
        seconds=seconds,
        alias=get_setting("PUBLIC_CACHE_ALIAS"),
        vary_on=(plan_pk, card_page, public_cache.generation(), get_language()),
    )
