"""Page-tree rules: where each page type may live, the site root, parent columns."""

import pytest
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from bm_pages.models import (
    AnnualPlanPage,
    AuditPortalPage,
    HomePage,
    LibraryPage,
    ProjectPage,
)
from tests.factories import (
    AnnualPlanPageFactory,
    FocusAreaFactory,
    LibraryPageFactory,
    ProjectPageFactory,
)

pytestmark = pytest.mark.django_db


class TestPageTypeRules(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()

    def test_home_page_sits_below_the_tree_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {LibraryPage})

    def test_library_lives_below_the_home_page(self):
        self.assertAllowedParentPageTypes(LibraryPage, {HomePage})
        # the audit portal (certification) also lives below the library
        self.assertAllowedSubpageTypes(LibraryPage, {AnnualPlanPage, AuditPortalPage})
        self.assertCanCreateAt(HomePage, LibraryPage)
        self.assertCanNotCreateAt(Page, LibraryPage)

    def test_plan_lives_below_a_library(self):
        self.assertAllowedParentPageTypes(AnnualPlanPage, {LibraryPage})
        self.assertAllowedSubpageTypes(AnnualPlanPage, {ProjectPage})
        self.assertCanNotCreateAt(HomePage, AnnualPlanPage)

    def test_project_lives_below_a_plan_and_has_no_children(self):
        self.assertAllowedParentPageTypes(ProjectPage, {AnnualPlanPage})
        self.assertAllowedSubpageTypes(ProjectPage, set())
        self.assertCanNotCreateAt(LibraryPage, ProjectPage)

    def test_there_is_only_one_home_page(self):
        root = Page.get_first_root_node()
        self.assertFalse(HomePage.can_create_at(root))


def test_migrations_make_the_home_page_the_default_site_root():
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class is HomePage
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_plan_and_project_remember_their_parents(annual_plan, project, library):
    assert AnnualPlanPage.objects.get(pk=annual_plan.pk).library_id == library.pk
    assert ProjectPage.objects.get(pk=project.pk).plan_id == annual_plan.pk
    assert project.library == library


def test_moving_a_project_to_another_plan_updates_plan_and_drops_foreign_focus_area(
    library, annual_plan
):
    area = annual_plan.focus_areas.first()
    project = ProjectPageFactory(parent=annual_plan, focus_area=area)
    other_plan = AnnualPlanPageFactory(parent=library, year=2027)
    FocusAreaFactory(page=other_plan, title="Geletterdheid")

    MovePageAction(project, other_plan, pos="last-child").execute()

    project = ProjectPage.objects.get(pk=project.pk)
    assert project.plan_id == other_plan.pk
    assert project.focus_area is None


def test_moving_a_plan_to_another_library_updates_its_library(home_page, annual_plan):
    other_library = LibraryPageFactory(parent=home_page, title="Bibliotheek Elders")

    MovePageAction(annual_plan, other_library, pos="last-child").execute()

    assert AnnualPlanPage.objects.get(pk=annual_plan.pk).library_id == other_library.pk
