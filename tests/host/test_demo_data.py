"""load_demo_data: realistic content, and running it twice changes nothing.

The data is loaded once for the class (``setUpTestData``); each test rolls back to it.
"""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision

from bm_pages.models import (
    AnnualPlanPage,
    FocusArea,
    LibraryPage,
    PhaseLogEntry,
    ProjectIndicator,
    ProjectPage,
    RegionalNetwork,
)


def counts():
    return {
        "pages": Page.objects.count(),
        "libraries": LibraryPage.objects.count(),
        "plans": AnnualPlanPage.objects.count(),
        "projects": ProjectPage.objects.count(),
        "live projects": ProjectPage.objects.live().count(),
        "focus areas": FocusArea.objects.count(),
        "indicators": ProjectIndicator.objects.count(),
        "log entries": PhaseLogEntry.objects.count(),
        "revisions": Revision.objects.count(),
        "users": get_user_model().objects.count(),
        "networks": RegionalNetwork.objects.count(),
    }


def load(libraries=2) -> str:
    out = io.StringIO()
    call_command("load_demo_data", libraries=libraries, stdout=out)
    return out.getvalue()


class TestDemoData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load()
        cls.loaded = counts()

    def test_loading_twice_changes_nothing(self):
        output = load()

        assert counts() == self.loaded
        assert "0 plans and 0 projects created" in output

    def test_each_library_has_plans_for_two_years_with_10_to_20_projects(self):
        assert self.loaded["libraries"] == 2
        assert self.loaded["networks"] == 3
        for library in LibraryPage.objects.all():
            plans = AnnualPlanPage.objects.child_of(library)
            assert sorted(plans.values_list("year", flat=True)) == [2025, 2026]
            for plan in plans:
                assert plan.live
                assert plan.focus_areas.exists()
                assert 10 <= ProjectPage.objects.child_of(plan).count() <= 20

    def test_projects_vary_in_phase_and_kind_and_some_stay_drafts(self):
        projects = ProjectPage.objects.all()
        assert set(projects.values_list("phase", flat=True)) == {
            "plan",
            "do",
            "check",
            "act",
            "done",
        }
        assessments = projects.filter(kind="assurance")
        assert assessments.exists()
        assert all(p.cycle_months for p in assessments)
        drafts = projects.not_live()
        assert drafts.exists()
        assert not drafts.filter(first_published_at__isnull=False).exists()
        assert projects.filter(indicators__result__isnull=False).exists()

    def test_texts_are_not_copies_of_each_other(self):
        summaries = list(ProjectPage.objects.values_list("summary", flat=True))
        # the same theme turns up in several plans, but rarely in the same words
        assert len(set(summaries)) > 0.8 * len(summaries)

    def test_demo_accounts_exist_with_the_demo_password(self):
        User = get_user_model()
        admin = User.objects.get(username="admin")
        assert admin.is_superuser
        assert admin.check_password("biblio-demo")
        assert User.objects.get(username="redacteur-waddenkust").check_password(
            "biblio-demo"
        )
        assert User.objects.filter(username="goedkeurder-lauwersland").exists()
        assert "redacteur-waddenkust" in self.first_output
        assert "biblio-demo" in self.first_output

    def test_demo_plan_pages_render(self):
        plan = AnnualPlanPage.objects.live().first()
        response = self.client.get(plan.url, headers={"accept-language": "nl"})
        assert response.status_code == 200
        assert "Projecten per PDCA-fase" in response.content.decode()
