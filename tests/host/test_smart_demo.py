"""The demo data gives the SMART check something to say, and one demo library
requires it."""

from collections import Counter

import pytest

from bm_pages.actions.smart_check import smart_check_setting
from bm_pages.models import LibraryPage, ProjectPage
from bm_pages.profile import libraries_like, profile_of
from bm_pages.smart.rules import smart_check
from cms.demo import content
from tests.host.test_demo_data import load

pytestmark = pytest.mark.django_db


def test_demo_has_smart_and_unsmart_projects_and_one_strict_library():
    load(libraries=2)
    projects = ProjectPage.objects.select_related("plan").prefetch_related(
        "indicators", "core_functions", "policy_topics"
    )
    scores = Counter(smart_check(p).score for p in projects)
    assert scores[5] >= 5  # enough SMART examples
    assert sum(n for score, n in scores.items() if score < 5) >= 5
    assert len(scores) >= 3  # and several ways of falling short

    first, second = (
        LibraryPage.objects.get(title=spec[1]) for spec in content.LIBRARIES[:2]
    )
    assert smart_check_setting(first).required
    assert smart_check_setting(first).min_score == 4
    assert not smart_check_setting(second).required

    load(libraries=2)  # a second run keeps the setting as it is
    assert smart_check_setting(first).required


def test_demo_libraries_differ_so_like_mine_changes_the_list():
    load(libraries=3)
    waddenkust, lauwersland, hogeland = (
        LibraryPage.objects.get(title=spec[1]) for spec in content.LIBRARIES[:3]
    )
    assert profile_of(waddenkust).label().startswith("63.000 inwoners")
    assert libraries_like(lauwersland) == {hogeland.pk}
    assert libraries_like(waddenkust) == set()  # moderately urban, the others not
    edited = waddenkust.get_latest_revision_as_object()
    assert (edited.inhabitants, edited.urbanity) == (63_000, 3)
