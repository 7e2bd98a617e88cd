"""The SMART rules: one place to read (and extend) what makes a project SMART.

Each letter is a :class:`SmartRule` with one or more :class:`Criterion` rows. A
criterion names what is missing (a stable ``code``, a label in the user's language),
where to fix it (the editor's form field and tab) and a test over a ``ProjectPage``.
A letter counts towards the score when all its criteria pass, so the score is 0-5.

The tests only read attributes and child relations, so they work on a saved page, on
a page built from a revision and on an unsaved page built from the editor's form
(``bm_pages.smart.live``). This module imports no models: the page model uses it.
To add a rule, append a ``Criterion`` to a letter's ``criteria``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

#: "More than a slogan": a goal of fewer words says too little to check later.
GOAL_MIN_WORDS = 8
#: Words in a goal or summary that say the project is done with partners; such a
#: project must name them (Achievable).
PARTNER_WORDS = ("partner", "samenwerk", "samen met", "together with", "cooperat")

MAX_SCORE = 5


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _lazy_format(message: str, **values: Any) -> Any:
    """``message`` translated when shown, with ``values`` filled in."""
    return lazy(lambda: gettext(message) % values, str)()


def _words(value: Any) -> int:
    return len(re.findall(r"\w+", _text(value)))


def _related(project: Any, name: str) -> list:
    """A child relation or parental many-to-many as a list (saved or in memory)."""
    manager = getattr(project, name, None)
    return list(manager.all()) if manager is not None else []


def _plan_year(project: Any) -> int | None:
    plan = getattr(project, "plan", None) if getattr(project, "plan_id", None) else None
    return getattr(plan, "year", None)


# The tests: each takes a project and says whether the criterion is met -------------


def goal_is_more_than_a_slogan(project: Any) -> bool:
    return _words(project.goal) >= GOAL_MIN_WORDS


def target_group_written(project: Any) -> bool:
    return bool(_text(project.target_group))


def has_complete_indicator(project: Any) -> bool:
    """At least one indicator with a unit, a baseline and a target."""
    return any(
        _text(indicator.unit)
        and indicator.baseline is not None
        and indicator.target is not None
        for indicator in _related(project, "indicators")
    )


def has_budget_or_hours(project: Any) -> bool:
    return bool(project.budget) or bool(project.hours)


def names_partners_it_mentions(project: Any) -> bool:
    """Partners filled in when the goal or summary says the work is done with them."""
    text = f"{_text(project.goal)} {_text(project.summary)}".lower()
    if not any(word in text for word in PARTNER_WORDS):
        return True
    return bool(_text(project.partners))


def has_core_function_or_topic(project: Any) -> bool:
    return bool(
        _related(project, "core_functions") or _related(project, "policy_topics")
    )


def has_focus_area(project: Any) -> bool:
    return bool(getattr(project, "focus_area_id", None))


def has_start_and_end(project: Any) -> bool:
    return project.start_date is not None and project.end_date is not None


def within_plan_year(project: Any) -> bool:
    """Start and end in the plan's year; a multi-year project must overlap it.

    Without dates this criterion is left to :func:`has_start_and_end`; without a plan
    (a project outside the tree) there is no year to hold it to.
    """
    start, end, year = project.start_date, project.end_date, _plan_year(project)
    if start is None or end is None or year is None:
        return True
    if end < start:
        return False
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if getattr(project, "multi_year", False):
        return start <= last and end >= first
    return first <= start and end <= last


# The rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One thing a letter asks; ``field`` and ``tab`` say where the editor fixes it."""

    code: str
    label: Any  # a lazy translation
    field: str
    tab: Any
    test: Callable[[Any], bool]


@dataclass(frozen=True)
class SmartRule:
    letter: str
    name: Any
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)


SMART_TAB = _("SMART")
PROJECT_TAB = _("Project")

SMART_RULES: tuple[SmartRule, ...] = (
    SmartRule(
        "S",
        _("Specific"),
        (
            Criterion(
                "S-goal",
                _lazy_format(
                    gettext_noop(
                        "Describe the goal in at least %(words)s words: more than "
                        "a slogan."
                    ),
                    words=GOAL_MIN_WORDS,
                ),
                "goal",
                SMART_TAB,
                goal_is_more_than_a_slogan,
            ),
            Criterion(
                "S-target-group",
                _("Name the target group."),
                "target_group",
                SMART_TAB,
                target_group_written,
            ),
        ),
    ),
    SmartRule(
        "M",
        _("Measurable"),
        (
            Criterion(
                "M-indicator",
                _("Add an indicator with a unit, a baseline and a target."),
                "indicators",
                SMART_TAB,
                has_complete_indicator,
            ),
        ),
    ),
    SmartRule(
        "A",
        _("Achievable"),
        (
            Criterion(
                "A-resources",
                _("Enter a budget or the hours the project needs."),
                "budget",
                SMART_TAB,
                has_budget_or_hours,
            ),
            Criterion(
                "A-partners",
                _("The goal mentions partners: name them."),
                "partners",
                SMART_TAB,
                names_partners_it_mentions,
            ),
        ),
    ),
    SmartRule(
        "R",
        _("Relevant"),
        (
            Criterion(
                "R-topic",
                _("Choose at least one Wsob core function or policy topic."),
                "core_functions",
                SMART_TAB,
                has_core_function_or_topic,
            ),
            Criterion(
                "R-focus-area",
                _("Choose the focus area of the annual plan."),
                "focus_area",
                PROJECT_TAB,
                has_focus_area,
            ),
        ),
    ),
    SmartRule(
        "T",
        _("Time-bound"),
        (
            Criterion(
                "T-dates",
                _("Enter a start date and an end date."),
                "start_date",
                SMART_TAB,
                has_start_and_end,
            ),
            Criterion(
                "T-plan-year",
                _("Plan the project within the plan's year, or mark it as multi-year."),
                "end_date",
                SMART_TAB,
                within_plan_year,
            ),
        ),
    ),
)


@dataclass(frozen=True)
class SmartResult:
    """The outcome of :func:`smart_check`: letters met and criteria missing."""

    passed: tuple[str, ...]
    missing: tuple[tuple[SmartRule, Criterion], ...]

    @property
    def score(self) -> int:
        return len(self.passed)

    @property
    def max_score(self) -> int:
        return MAX_SCORE

    def as_dict(self, *, with_fields: bool = False) -> dict[str, Any]:
        """``{"score": 0-5, "missing": [{"code", "label", "letter", "where"}]}``.

        :param with_fields: add the form ``field`` (for the editor's links).
        """
        missing = []
        for rule, criterion in self.missing:
            item = {
                "code": criterion.code,
                "label": str(criterion.label),
                "letter": rule.letter,
                "where": f"{criterion.tab} › {rule.name}",
            }
            if with_fields:
                item["field"] = criterion.field
            missing.append(item)
        return {"score": self.score, "missing": missing}

    def comment(self) -> str:
        """The missing points as one text (the workflow task's rejection comment)."""
        return "\n".join(
            f"{rule.letter}: {criterion.label}" for rule, criterion in self.missing
        )


def smart_check(project: Any, rules: Iterable[SmartRule] = SMART_RULES) -> SmartResult:
    """Check ``project`` (a ``ProjectPage``, saved or not) against ``rules``.

    :param project: the project; relations are read with ``.all()``, so prefetch
        ``indicators``, ``core_functions`` and ``policy_topics`` (and select
        ``plan``) when checking many.
    :param rules: the rule set; the product's by default.
    """
    passed: list[str] = []
    missing: list[tuple[SmartRule, Criterion]] = []
    for rule in rules:
        failed = [c for c in rule.criteria if not c.test(project)]
        if failed:
            missing.extend((rule, criterion) for criterion in failed)
        else:
            passed.append(rule.letter)
    return SmartResult(passed=tuple(passed), missing=tuple(missing))
