"""The SMART rules on crafted projects: each letter failing alone, through the
database (saved pages, revisions) and in memory (the editor's unsaved state)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from bm_pages.models import PolicyTopic, ProjectIndicator, ProjectPage
from bm_pages.smart.rules import SMART_RULES, smart_check
from tests.factories import ProjectIndicatorFactory, ProjectPageFactory

pytestmark = pytest.mark.django_db

GOAL = "Meer ouders van baby's lezen elke dag samen een boek voor."


def smart_project(plan, **fields) -> ProjectPage:
    """A project of ``plan`` (2026) that meets every rule, with ``fields`` changed."""
    values = {
        "goal": GOAL,
        "target_group": "Ouders van baby's",
        "summary": "Ouders krijgen een BoekStartkoffertje.",
        "budget": Decimal("2500"),
        "hours": 120,
        "partners": "Consultatiebureau",
        "focus_area": plan.focus_areas.first(),
        "start_date": datetime.date(2026, 2, 1),
        "end_date": datetime.date(2026, 11, 30),
    }
    values.update(fields)
    project = ProjectPageFactory(parent=plan, **values)
    ProjectIndicatorFactory(
        page=project, unit="koffertjes", baseline=Decimal("90"), target=Decimal("500")
    )
    project.core_functions.set(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)[:1]
    )
    project.save()
    return ProjectPage.objects.get(pk=project.pk)


def codes(result) -> set[str]:
    return {criterion.code for _rule, criterion in result.missing}


def test_a_complete_project_scores_five(annual_plan):
    result = smart_check(smart_project(annual_plan))
    assert result.score == 5
    assert result.missing == ()
    assert result.as_dict() == {"score": 5, "missing": []}


def _no_indicator(project):
    project.indicators.all().delete()


def _indicator_without_baseline(project):
    project.indicators.update(baseline=None)


def _indicator_without_unit(project):
    project.indicators.update(unit="")


def _no_topics(project):
    project.core_functions.clear()
    project.policy_topics.clear()
    project.save()


@pytest.mark.parametrize(
    ("fields", "change", "letter", "expected"),
    [
        ({"goal": "Iedereen leest!"}, None, "S", {"S-goal"}),
        ({"target_group": "  "}, None, "S", {"S-target-group"}),
        ({}, _no_indicator, "M", {"M-indicator"}),
        ({}, _indicator_without_baseline, "M", {"M-indicator"}),
        ({}, _indicator_without_unit, "M", {"M-indicator"}),
        ({"budget": None, "hours": None}, None, "A", {"A-resources"}),
        (
            {"goal": GOAL + " In samenwerking met de scholen.", "partners": ""},
            None,
            "A",
            {"A-partners"},
        ),
        ({}, _no_topics, "R", {"R-topic"}),
        ({"focus_area": None}, None, "R", {"R-focus-area"}),
        ({"end_date": None}, None, "T", {"T-dates"}),
        ({"end_date": datetime.date(2027, 3, 1)}, None, "T", {"T-plan-year"}),
        ({"start_date": datetime.date(2025, 9, 1)}, None, "T", {"T-plan-year"}),
    ],
)
def test_each_letter_fails_alone(annual_plan, fields, change, letter, expected):
    project = smart_project(annual_plan, **fields)
    if change is not None:
        change(project)
        project = ProjectPage.objects.get(pk=project.pk)
    result = smart_check(project)
    assert result.score == 4
    assert letter not in result.passed
    assert codes(result) == expected
    assert {rule.letter for rule, _c in result.missing} == {letter}


def test_partners_only_required_when_the_goal_names_them(annual_plan):
    project = smart_project(annual_plan, partners="")
    assert smart_check(project).score == 5


def test_zero_budget_with_hours_is_achievable(annual_plan):
    assert smart_check(smart_project(annual_plan, budget=Decimal("0"))).score == 5


def test_a_multi_year_project_may_run_past_the_plan_year(annual_plan):
    fields = {"end_date": datetime.date(2027, 6, 30), "multi_year": True}
    assert smart_check(smart_project(annual_plan, **fields)).score == 5
    # ... but must overlap the plan's year.
    later = {
        "start_date": datetime.date(2027, 1, 1),
        "end_date": datetime.date(2028, 6, 30),
        "multi_year": True,
    }
    assert codes(smart_check(smart_project(annual_plan, **later))) == {"T-plan-year"}


def test_every_letter_missing_scores_zero(annual_plan):
    project = ProjectPage(
        title="Leeg", summary="Samen met partners.", goal="", target_group=""
    )
    result = smart_check(project)
    assert result.score == 0
    assert [rule.letter for rule in SMART_RULES] == ["S", "M", "A", "R", "T"]
    assert codes(result) == {
        "S-goal",
        "S-target-group",
        "M-indicator",
        "A-resources",
        "A-partners",
        "R-topic",
        "R-focus-area",
        "T-dates",
    }


def test_unsaved_page_with_in_memory_relations(annual_plan):
    """The editor's unsaved state: child rows and topics only in memory."""
    project = ProjectPage(
        title="Nieuw",
        summary="Iets nieuws.",
        goal=GOAL,
        target_group="Senioren",
        hours=10,
        focus_area=annual_plan.focus_areas.first(),
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 4, 1),
        plan=annual_plan,
    )
    assert codes(smart_check(project)) == {"M-indicator", "R-topic"}
    project.indicators = [
        ProjectIndicator(name="bezoekers", unit="bezoekers", baseline=0, target=50)
    ]
    project.policy_topics = list(PolicyTopic.objects.all()[:1])
    assert smart_check(project).score == 5
    assert not ProjectPage.objects.filter(title="Nieuw").exists()


def test_a_revision_is_checked_as_drafted(annual_plan):
    project = smart_project(annual_plan)
    draft = project.get_latest_revision_as_object()
    draft.goal = "Te kort."
    draft.save_revision()
    drafted = project.get_latest_revision_as_object()
    assert codes(smart_check(drafted)) == {"S-goal"}
    assert smart_check(ProjectPage.objects.get(pk=project.pk)).score == 5


def test_labels_are_dutch(annual_plan):
    project = smart_project(annual_plan, target_group="")
    with translation.override("nl"):
        data = smart_check(project).as_dict()
    assert data["score"] == 4
    assert data["missing"] == [
        {
            "code": "S-target-group",
            "label": "Noem de doelgroep.",
            "letter": "S",
            "where": "SMART › Specifiek",
        }
    ]
