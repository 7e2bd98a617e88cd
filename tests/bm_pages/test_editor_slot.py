"""The project editor's extension slot: panels other apps give through a hook."""

import pytest
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.panels import HelpPanel

from bm_pages.models import ProjectPage
from bm_pages.panels import PROJECT_EDITOR_PANELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_edit_handler():
    """The edit handler is built once per model; rebuild it around the test."""
    ProjectPage.get_edit_handler.cache_clear()
    yield
    ProjectPage.get_edit_handler.cache_clear()


def test_a_contributed_panel_sits_below_the_summary(
    admin_client, project, fresh_edit_handler
):
    def contribute():
        return [HelpPanel(content="<p id='contributed'>Bijdrage van een app</p>")]

    with hooks.register_temporarily(PROJECT_EDITOR_PANELS, contribute):
        html = admin_client.get(
            reverse("wagtailadmin_pages:edit", args=[project.pk])
        ).content.decode()
    assert "Bijdrage van een app" in html
    assert (
        html.index('id="id_summary"')
        < html.index("id='contributed'")
        < html.index('id="id_focus_area"')
    )


def test_the_slot_itself_never_reaches_the_editor(fresh_edit_handler):
    first_tab = ProjectPage.get_edit_handler().children[0]
    kinds = [type(child).__name__ for child in first_tab.children]
    assert "PanelSlot" not in kinds
    fields = [getattr(child, "field_name", None) for child in first_tab.children]
    assert "summary" in fields
