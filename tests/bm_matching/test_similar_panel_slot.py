"""bm_matching's similar-projects panel arrives through bm_pages' editor slot."""

import pytest
from wagtail import hooks

from bm_pages.models import ProjectPage
from bm_pages.panels import PROJECT_EDITOR_PANELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_edit_handler():
    """The edit handler is built once per model; rebuild it around the test."""
    ProjectPage.get_edit_handler.cache_clear()
    yield
    ProjectPage.get_edit_handler.cache_clear()


def test_the_slot_is_replaced_by_the_contributions_in_the_bound_handler(
    fresh_edit_handler,
):
    with hooks.register_temporarily(PROJECT_EDITOR_PANELS, lambda: []):
        first_tab = ProjectPage.get_edit_handler().children[0]
    kinds = [type(child).__name__ for child in first_tab.children]
    # bm_matching gives its panel; an empty contribution adds none.
    assert "PanelSlot" not in kinds
    assert kinds.count("SimilarProjectsPanel") == 1
    fields = [getattr(child, "field_name", None) for child in first_tab.children]
    assert fields.index("summary") + 1 == kinds.index("SimilarProjectsPanel")
