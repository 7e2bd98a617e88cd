"""Fixtures shared by all test packages: the page tree and users.

The home page and the seeded taxonomy come from the migrations. ``page_tree`` builds
one library with a plan full of the things tests look at; smaller fixtures
(``library``, ``annual_plan``, ``project``) build only what they need.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from bm_pages.models import (
    AnnualPlanPage,
    FocusArea,
    HomePage,
    LibraryPage,
    PolicyTopic,
    ProjectPage,
    RegionalNetwork,
    WorkField,
)
from tests.bm_pages.partner_helpers import build_partner_world
from tests.bm_pages.roles_helpers import build_roles_world
from tests.factories import (
    AnnualPlanPageFactory,
    AssuranceCheckFactory,
    BranchFactory,
    FocusAreaFactory,
    LibraryPageFactory,
    PhaseLogEntryFactory,
    ProjectActivityFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
    RegionalNetworkFactory,
    UserFactory,
)
from tests.module_worlds import built_per_module


@dataclass
class PageTree:
    home: HomePage
    network: RegionalNetwork
    library: LibraryPage
    plan: AnnualPlanPage
    focus_areas: list[FocusArea]
    live_project: ProjectPage
    assurance_project: ProjectPage
    draft_project: ProjectPage
    projects: list[ProjectPage] = field(default_factory=list)


@pytest.fixture(autouse=True)
def _matcher_asked_afresh():
    """Each test starts with the public search asking the matcher (bm_matching
    leaves a matcher that just failed out for a while, per process)."""
    from django.apps import apps

    if apps.is_installed("bm_matching"):
        from bm_matching.public_source import resume

        resume()


@pytest.fixture
def home_page(db) -> HomePage:
    return HomePage.objects.get()


@pytest.fixture
def network(db) -> RegionalNetwork:
    return RegionalNetworkFactory(name="Netwerk Rivierenland", region="Gelderland")


@pytest.fixture
def library(home_page, network) -> LibraryPage:
    library = LibraryPageFactory(
        parent=home_page, title="Bibliotheek Teststad", network=network
    )
    BranchFactory(page=library, name="Teststad Centrum", sort_order=0)
    return library


@pytest.fixture
def annual_plan(library) -> AnnualPlanPage:
    plan = AnnualPlanPageFactory(parent=library, year=2026)
    FocusAreaFactory(page=plan, title="Geletterdheid", sort_order=0)
    FocusAreaFactory(page=plan, title="Digitale inclusie", sort_order=1)
    return plan


def make_project(plan: AnnualPlanPage, **fields) -> ProjectPage:
    """A live project with one indicator and one activity, below ``plan``."""
    project = ProjectPageFactory(parent=plan, **fields)
    ProjectIndicatorFactory(page=project, name="deelnemers", target=100, result=80)
    ProjectActivityFactory(page=project, what="Aftrap met partners")
    return project


@pytest.fixture
def project(annual_plan) -> ProjectPage:
    return make_project(annual_plan, title="BoekStart in Teststad")


@pytest.fixture
def page_tree(home_page, network, library, annual_plan) -> PageTree:
    """A library with a 2026 plan: a full live project, an assurance project, a draft."""
    areas = list(annual_plan.focus_areas.order_by("sort_order"))
    core = list(PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)[:2])
    live = ProjectPageFactory(
        parent=annual_plan,
        title="BoekStart in Teststad",
        summary="Ouders van baby's krijgen een BoekStartkoffertje via het consultatiebureau.",
        goal="Meer ouders lezen dagelijks voor aan hun baby.",
        target_group="Ouders van baby's",
        budget=Decimal("12500.00"),
        hours=340,
        partners="Consultatiebureau Teststad",
        focus_area=areas[0],
        phase=ProjectPage.Phase.CHECK,
        start_date=datetime.date(2026, 1, 15),
        end_date=datetime.date(2026, 12, 15),
        evaluation="Goed bereik via het consultatiebureau.",
    )
    live.core_functions.set(core)
    live.policy_topics.set(PolicyTopic.objects.filter(slug="boekstart"))
    live.work_fields.set(WorkField.objects.filter(code__in=["4", "5"]))
    live.save()
    ProjectIndicatorFactory(
        page=live,
        name="uitgereikte koffertjes",
        unit="koffertjes",
        baseline=Decimal("90"),
        target=Decimal("5796"),
        result=Decimal("4321"),
        sort_order=0,
    )
    ProjectIndicatorFactory(
        page=live,
        name="nieuwe baby-leden",
        unit="leden",
        target=Decimal("150"),
        result=None,
        sort_order=1,
    )
    ProjectActivityFactory(
        page=live, what="Afspraken met het consultatiebureau", sort_order=0
    )
    ProjectActivityFactory(
        page=live,
        what="Voorleesochtenden plannen",
        status="planned",
        when=datetime.date(2026, 9, 1),
        sort_order=1,
    )
    PhaseLogEntryFactory(
        page=live, phase="plan", note="Plan vastgesteld.", sort_order=0
    )
    PhaseLogEntryFactory(
        page=live,
        phase="do",
        note="Eerste koffertjes uitgereikt.",
        date=datetime.date(2026, 3, 1),
        sort_order=1,
    )
    assurance = ProjectPageFactory(
        parent=annual_plan,
        title="Borging klachtenafhandeling",
        kind=ProjectPage.Kind.ASSURANCE,
        cycle_months=3,
        next_review_date=datetime.date(2026, 10, 1),
        focus_area=areas[1],
        phase=ProjectPage.Phase.ACT,
    )
    AssuranceCheckFactory(page=assurance, findings="Alle klachten binnen termijn.")
    draft = ProjectPageFactory(
        parent=annual_plan,
        title="Geheim conceptproject",
        summary="Nog niet openbaar: concepttekst.",
        live=False,
        phase=ProjectPage.Phase.PLAN,
    )
    return PageTree(
        home=home_page,
        network=network,
        library=library,
        plan=annual_plan,
        focus_areas=areas,
        live_project=ProjectPage.objects.get(pk=live.pk),
        assurance_project=assurance,
        draft_project=draft,
        projects=[live, assurance, draft],
    )


@pytest.fixture
def editor_user(db):
    """A plain, non-superuser account without permissions (roles add them)."""
    return UserFactory(username="redacteur-test")


# The partner world of ``tests/bm_pages/partner_helpers.py``, built once per test module.
partner_world_module = built_per_module(build_partner_world)


@pytest.fixture
def partner_world(partner_world_module, db):
    return partner_world_module


# The two set-up libraries with staff of ``tests/bm_pages/roles_helpers.py``, built
# once per test module; each test still runs in its own savepoint.
roles_world_module = built_per_module(build_roles_world)


@pytest.fixture
def roles_world(roles_world_module, db):
    return roles_world_module
