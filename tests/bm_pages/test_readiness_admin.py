"""One truth on certification readiness: the document environment, the audit
portal and the admin's readiness overview read the same ``readiness_overview``.

A crafted library: evidence named and filed in different work fields, an overdue
document, a module with evidence (Aangepast Lezen) and a module with only a project
(Educatieve dienstverlening). The three pages must report the same status per norm
and the same "x / y gereed"; the overview is for the library's editors and
approvers, auditors read the portal's.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from bm_pages.certification.environment import document_environment
from bm_pages.certification.readiness import readiness_overview
from bm_pages.models import AuditPortalPage, WorkField
from tests.bm_pages.certification_helpers import make_document, publish
from tests.builders import make_staff, set_up_library
from tests.factories import AnnualPlanPageFactory, ProjectPageFactory, UserFactory
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db

EXPECTED = {
    "1": "ready",  # named and filed under 1
    "2": "attention",  # its only evidence is past its review date
    "3": "ready",  # filed under 3 (names norm 5 only)
    "4": "missing",
    "5": "ready",  # named by the document filed under 3
    "6": "missing",
    "7": "missing",
    "ED": "missing",  # a module with a project and no evidence
    "AL": "ready",  # a module with a document filed under it
}


def build_readiness_world():
    """Two set-up libraries; documents, a plan and a project in the first."""
    library = set_up_library("Bibliotheek Zandhoven")
    other = set_up_library("Bibliotheek Kleidorp")
    people = make_staff(library, "zandhoven")
    others = make_staff(other, "kleidorp")
    make_document(library, "Beleidsplan", work_field="1", norms=("1",))
    make_document(library, "Personeelsplan", work_field="3", norms=("5",))
    make_document(library, "Arbo-evaluatie", work_field="2", review_in_days=-3)
    make_document(library, "Daisy-spelers uitleen", work_field="AL")
    plan = publish(
        AnnualPlanPageFactory(parent=library, year=2026, title="Jaarplan 2026")
    )
    project = ProjectPageFactory(parent=plan, title="BoekStart in de wijk")
    project.work_fields.set(WorkField.objects.filter(code="ED"))
    publish(project)
    users = {
        "anonymous": None,
        "editor": people["editor"],
        "approver": people["approver"],
        "auditor": people["auditor"],
        "other_editor": others["editor"],
        "other_approver": others["approver"],
        "superuser": UserFactory(username="beheer-z", is_superuser=True),
    }
    return library, users


world_module, world = world_per_module(build_readiness_world)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def overview_url(library) -> str:
    return reverse("bm_certification:readiness", args=[library.pk])


def statuses(html: str, pattern: str) -> dict[str, str]:
    return dict(re.findall(pattern, html))


def ready_counts(html: str) -> set[tuple[str, str]]:
    return set(
        re.findall(r'data-bm="ready-count" data-ready="(\d+)" data-total="(\d+)"', html)
    )


def test_the_read_models_share_one_readiness(world):
    library, _users = world
    readiness = readiness_overview(library)
    assert {row.norm.code: row.status for row in readiness.rows} == EXPECTED
    assert (readiness.ready_count, readiness.total) == (4, 9)
    environment = document_environment(library)
    assert {
        node.work_field.code: node.readiness.status
        for node in environment.tree
        if node.readiness is not None
    } == EXPECTED
    assert [wf.code for wf in environment.norms_without_evidence] == [
        "4",
        "6",
        "7",
        "ED",
    ]
    # Norm 5 is ready through a document filed elsewhere, and the tree says so.
    norm_5 = next(n for n in environment.tree if n.work_field.code == "5")
    assert norm_5.document_count == 0
    assert [i.document.title for i in norm_5.evidenced_elsewhere] == ["Personeelsplan"]


def test_environment_portal_and_overview_report_the_same(world):
    library, users = world
    editor = client_for(users["editor"])
    environment = editor.get(
        reverse("bm_certification:environment", args=[library.pk])
    ).content.decode()
    overview = editor.get(overview_url(library)).content.decode()
    portal = AuditPortalPage.objects.child_of(library).get()
    auditor = client_for(users["auditor"])
    portal_readiness = auditor.get(f"{portal.url}gereedheid/").content.decode()
    portal_start = auditor.get(portal.url).content.decode()

    row = r'<tr data-norm="(\w+)" data-status="(\w+)"'
    assert statuses(overview, row) == EXPECTED
    assert statuses(portal_readiness, row) == EXPECTED
    assert statuses(portal_start, row) == EXPECTED
    assert (
        statuses(environment, r'data-work-field="(\w+)" data-status="(\w+)"')
        == EXPECTED
    )
    for html in (environment, overview, portal_readiness, portal_start):
        assert ready_counts(html) == {("4", "9")}
    assert "4 / 9 gereed" in overview and "4 / 9 gereed" in portal_readiness
    # The environment's gaps are the overview's rows without evidence.
    gaps = html_section(environment, "norms-without-evidence")
    assert re.findall(r'data-norm="(\w+)"', gaps) == ["4", "6", "7", "ED"]
    # The module with evidence shows, and every page says how modules count.
    for html in (overview, portal_readiness):
        assert "Aangepast Lezen" in html
        assert "een module (zoals Aangepast Lezen) telt mee" in html
    assert "Ook onderbouwd door documenten onder een ander werkveld" in environment


def html_section(html: str, name: str) -> str:
    return html.split(f'data-bm="{name}"', 1)[1].split("</section>", 1)[0]


def test_the_overview_follows_new_evidence(world):
    library, users = world
    make_document(library, "Samenwerkingsconvenant", work_field="4", norms=("4",))
    html = client_for(users["approver"]).get(overview_url(library)).content.decode()
    assert statuses(html, r'<tr data-norm="(\w+)" data-status="(\w+)"')["4"] == "ready"
    assert ready_counts(html) == {("5", "9")}


def test_editors_reach_the_overview_from_the_environment_and_the_dashboard(world):
    library, users = world
    editor = client_for(users["editor"])
    environment = editor.get(
        reverse("bm_certification:environment", args=[library.pk])
    ).content.decode()
    assert f'href="{overview_url(library)}"' in environment
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    panel = dashboard.split('data-bm-panel="readiness"', 1)[1]
    assert f'href="{overview_url(library)}"' in panel
    assert "4 / 9 gereed" in panel


@pytest.mark.parametrize(
    ("user_name", "outcome"),
    [
        ("editor", 200),
        ("approver", 200),
        ("superuser", 200),
        ("other_editor", 403),
        ("other_approver", 403),
        ("auditor", "portal"),
        ("anonymous", "login"),
    ],
)
def test_who_opens_the_readiness_overview(world, user_name, outcome):
    library, users = world
    client = client_for(users[user_name])
    response = client.get(overview_url(library))
    if outcome == "login":
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("wagtailadmin_login")
        return
    if outcome == "portal":
        # Auditors have no admin: signing in lands them in the portal, whose
        # readiness page they read.
        response = client.get(overview_url(library), follow=True)
        portal = AuditPortalPage.objects.child_of(library).get()
        assert urlparse(response.redirect_chain[-1][0]).path == portal.url
        assert 'data-bm="readiness-overview"' not in response.content.decode()
        return
    assert response.status_code == outcome
    html = response.content.decode()
    if outcome == 200:
        assert 'data-bm="readiness-overview"' in html
    else:
        assert "Beleidsplan" not in html
