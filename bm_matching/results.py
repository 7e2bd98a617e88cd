"""What similar projects of other libraries achieved.

Two readers: each search result shows its own indicators and evaluation
(``{% project_results %}``, :func:`load_achieved`), and a project's editor shows one
figure, "Vergelijkbare projecten bij andere bibliotheken bereikten gemiddeld X% van
hun streefwaarde" (:func:`achieved_by_similar`).

The figure is built from what the similar-projects panel shows, nothing else: the
project's good and possible matches from :func:`~bm_matching.search.find_similar_projects`
(live, public, of libraries that share with the project's library, which itself is
left out). Results are read from the live page rows (what the public sees; drafts
live in revisions).

- **Comparable**: an indicator of a similar project counts when it has a result, a
  target above zero and a unit that, normalised (:func:`normalise_unit`: case,
  spacing, a trailing full stop), is a unit of one of the project's own indicators:
  "Deelnemers" compares with "deelnemers", never with "sessies". Indicators without
  a unit say nothing comparable and are left out, on both sides.
- **Capped**: each indicator counts as result / target, at most :data:`MAX_PERCENT`,
  so one target set far too low cannot carry the mean.
- **Mean of means**: a project's figure is the mean of its comparable indicators;
  X is the mean of the projects' figures, so every project weighs the same however
  many indicators it has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.text import Truncator

from bm_pages.models import ProjectIndicator, ProjectPage
from bm_pages.roles import library_of

from .search import SimilarProject, find_similar_projects

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

#: How many words of a similar project's evaluation a result shows.
EVALUATION_WORDS = 30
#: The most one indicator counts for, in percent of its target.
MAX_PERCENT = 200
#: How many similar projects the figure looks at: the editor panel's default.
SIMILAR_K = 10


@dataclass
class Achieved:
    """A live project's indicators and the first words of its evaluation."""

    indicators: list[ProjectIndicator] = field(default_factory=list)
    evaluation: str = ""

    @property
    def measured(self) -> list[ProjectIndicator]:
        return [i for i in self.indicators if i.percent_of_target is not None]


def load_achieved(project_ids: set[int]) -> dict[int, Achieved]:
    """What each live project of ``project_ids`` achieved (two queries).

    :param project_ids: page ids; drafts and unpublished pages are left out.
    """
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


def normalise_unit(unit: str | None) -> str:
    """ "Deelnemers.", " deelnemers " -> "deelnemers"; "" for no unit."""
    return " ".join((unit or "").split()).rstrip(".").strip().casefold()


def capped_percent(indicator: ProjectIndicator) -> Decimal:
    """The indicator's result in percent of its target, at most ``MAX_PERCENT``."""
    return min(Decimal(MAX_PERCENT), 100 * indicator.result / indicator.target)


@dataclass
class SimilarAchievement:
    """One similar project with the indicators it reached in a comparable unit."""

    project: SimilarProject
    indicators: list[ProjectIndicator]

    @property
    def percent(self) -> Decimal:
        return sum(map(capped_percent, self.indicators)) / len(self.indicators)

    @property
    def percent_rounded(self) -> int:
        return round(self.percent)


@dataclass
class AchievedBySimilar:
    """What :func:`achieved_by_similar` found for one project."""

    #: The normalised units of the project's own indicators.
    units: list[str] = field(default_factory=list)
    #: The similar projects with comparable results, most similar first.
    projects: list[SimilarAchievement] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        """X: the mean of the projects' figures, rounded; ``None`` without any."""
        if not self.projects:
            return None
        return round(sum(p.percent for p in self.projects) / len(self.projects))


def achieved_by_similar(
    project: ProjectPage,
    user: AbstractBaseUser | AnonymousUser,
    *,
    request: HttpRequest | None = None,
) -> AchievedBySimilar:
    """How far the similar projects the project's library may see got towards
    their targets.

    :param project: the project being edited (its latest revision: the units and
        text the editor wrote); its own library's projects are left out.
    :param user: who looks (for links to the editor); the sharing rules are those
        of the project's library.
    :param request: for the similar projects' page URLs.
    :raises bm_matching.clients.MatcherUnavailable: when the matcher cannot answer.
    """
    units = sorted({normalise_unit(i.unit) for i in project.indicators.all()} - {""})
    if not units:  # nothing to compare with: no need to ask the matcher
        return AchievedBySimilar()
    query = "\n".join(text for text in (project.title, project.summary) if text)
    library = library_of(project)
    # Seen as the project's library sees: a superuser (who may see every library)
    # gets the figure its staff get, and so does someone working for two libraries.
    outcome = find_similar_projects(
        user,
        query,
        k=SIMILAR_K,
        exclude_library_ids=[library.pk] if library is not None else [],
        request=request,
        own_libraries=[library] if library is not None else None,
    )
    similar = [r for r in outcome.results if r.level != "weak"]
    achieved = load_achieved({r.id for r in similar})
    found = AchievedBySimilar(units=units)
    for result in similar:
        comparable = [
            indicator
            for indicator in achieved.get(result.id, Achieved()).measured
            if normalise_unit(indicator.unit) in units
        ]
        if comparable:
            found.projects.append(SimilarAchievement(result, comparable))
    return found
