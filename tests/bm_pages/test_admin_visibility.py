"""What each user sees of other libraries in the admin: explorer, search, choosers,
documents, reports and the dashboard.

Every check looks for library B's titles as library A's staff (must be absent) and
as B's own staff or a superuser (must be present), so a check that could not fail
would show up as a failure on the "present" side.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bm_pages.models import LibraryDocument, ProjectPage
from tests.bm_pages.roles_helpers import RolesWorld
from tests.factories import LibraryDocumentFactory, ProjectPageFactory

pytestmark = pytest.mark.django_db

B_DRAFT = "Zeldzaam Bemdal concept"
B_PLAN = "Jaarplan Bemdal 2026"


@pytest.fixture
def world(roles_world: RolesWorld) -> RolesWorld:
    """The roles world plus B's activity: a document, a lock, a submission, an edit."""
    w = roles_world
    LibraryDocumentFactory(
        title="Zelfevaluatie Bemdal",
        collection=w.library_b.collection,
        library=w.library_b,
    )
    LibraryDocumentFactory(
        title="Zelfevaluatie Aland",
        collection=w.library_a.collection,
        library=w.library_a,
    )
    approver_b, editor_b = w.users["approver_b"], w.users["editor_b"]
    plan_b = w.plan_b
    plan_b.locked, plan_b.locked_by, plan_b.locked_at = True, approver_b, timezone.now()
    plan_b.save(update_fields=["locked", "locked_by", "locked_at"])
    submitted_b = ProjectPageFactory(
        parent=plan_b, title="Ingediend Bemdal project", live=False, owner=editor_b
    )
    submitted_b.save_revision(user=editor_b)
    submitted_b.get_workflow().start(submitted_b, editor_b)
    # B's draft is the most recently edited project of the whole site.
    draft_b = ProjectPage.objects.get(pk=w.draft_b.pk)
    draft_b.save_revision(user=editor_b)
    return w


def client_for(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def sees(client, url, text, **params) -> bool:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return text in response.content.decode()


def test_explorer_shows_only_own_library(world):
    editor_a = client_for(world, "editor_a")
    home = world.library_a.get_parent()
    listing = editor_a.get(reverse("wagtailadmin_explore", args=[home.pk]))
    # Wagtail starts an editor in their own library.
    if listing.status_code == 302:
        listing = editor_a.get(listing["Location"])
    body = listing.content.decode()
    assert "Bibliotheek Aland" in body and "Bemdal" not in body
    response = editor_a.get(reverse("wagtailadmin_explore", args=[world.library_b.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_explore", args=[world.library_a.pk]
    )
    superuser = client_for(world, "superuser")
    assert sees(
        superuser, reverse("wagtailadmin_explore", args=[home.pk]), "Bibliotheek Bemdal"
    )


def test_explorer_menu_api_shows_only_own_library(world):
    home = world.library_a.get_parent()
    url = reverse("wagtailadmin_api:pages:listing")
    params = {"child_of": home.pk, "for_explorer": 1}
    assert not sees(client_for(world, "editor_a"), url, "Bemdal", **params)
    assert sees(client_for(world, "editor_a"), url, "Aland", **params)
    assert sees(client_for(world, "superuser"), url, "Bemdal", **params)


def test_admin_page_search_hides_other_libraries(world):
    url = reverse("wagtailadmin_pages:search")
    assert not sees(client_for(world, "editor_a"), url, B_DRAFT, q="Zeldzaam")
    assert sees(
        client_for(world, "editor_a"), url, "Zeldzaam Aland concept", q="Zeldzaam"
    )
    assert sees(client_for(world, "editor_b"), url, B_DRAFT, q="Zeldzaam")


def test_page_chooser_browse_and_search_hide_other_libraries(world):
    home = world.library_a.get_parent()
    browse_home = reverse("wagtailadmin_choose_page_child", args=[home.pk])
    browse_plan_b = reverse("wagtailadmin_choose_page_child", args=[world.plan_b.pk])
    search = reverse("wagtailadmin_choose_page_search")
    editor_a, editor_b = client_for(world, "editor_a"), client_for(world, "editor_b")
    assert not sees(editor_a, browse_home, "Bibliotheek Bemdal")
    assert sees(editor_a, browse_home, "Bibliotheek Aland")
    assert not sees(editor_a, browse_plan_b, B_DRAFT)
    assert not sees(editor_a, search, B_DRAFT, q="Zeldzaam")
    assert sees(editor_b, browse_plan_b, B_DRAFT)
    assert sees(editor_b, search, B_DRAFT, q="Zeldzaam")
    # Restricting to a page type (as a ForeignKey chooser does) changes nothing.
    assert not sees(
        editor_a, search, B_DRAFT, q="Zeldzaam", page_type="bm_pages.projectpage"
    )


def test_documents_listing_chooser_and_edit_are_scoped_by_collection(world):
    editor_a, editor_b = client_for(world, "editor_a"), client_for(world, "editor_b")
    index = reverse("wagtaildocs:index")
    chooser = reverse("wagtaildocs_chooser:choose")
    assert not sees(editor_a, index, "Zelfevaluatie Bemdal")
    assert sees(editor_a, index, "Zelfevaluatie Aland")
    assert not sees(editor_a, chooser, "Zelfevaluatie Bemdal")
    assert sees(editor_a, chooser, "Zelfevaluatie Aland")
    assert sees(editor_b, chooser, "Zelfevaluatie Bemdal")
    doc_b = LibraryDocument.objects.get(title="Zelfevaluatie Bemdal")
    response = editor_a.post(
        reverse("wagtaildocs:edit", args=[doc_b.pk]), {"title": "Overgenomen"}
    )
    assert response.status_code in (302, 403)
    assert LibraryDocument.objects.get(pk=doc_b.pk).title == "Zelfevaluatie Bemdal"


@pytest.mark.parametrize(
    ("report", "text", "viewer_a", "viewer_b"),
    [
        ("wagtailadmin_reports:locked_pages", B_PLAN, "approver_a", "approver_b"),
        ("wagtailadmin_reports:site_history", B_DRAFT, "editor_a", "editor_b"),
        (
            "wagtailadmin_reports:workflow",
            "Ingediend Bemdal project",
            "editor_a",
            "editor_b",
        ),
        (
            "wagtailadmin_reports:workflow_tasks",
            "Ingediend Bemdal project",
            "editor_a",
            "editor_b",
        ),
        ("wagtailadmin_reports:aging_pages", B_PLAN, "approver_a", "approver_b"),
        ("wagtailadmin_reports:page_types_usage", B_DRAFT, "editor_a", "superuser"),
    ],
)
def test_reports_do_not_name_other_libraries_pages(
    world, report, text, viewer_a, viewer_b
):
    url = reverse(report)
    assert not sees(client_for(world, viewer_a), url, text)
    assert sees(client_for(world, viewer_b), url, text)


def test_page_type_listing_hides_other_libraries(world):
    url = reverse(
        "wagtailadmin_pages:type_use",
        kwargs={
            "content_type_app_name": "bm_pages",
            "content_type_model_name": "projectpage",
        },
    )
    assert not sees(client_for(world, "editor_a"), url, B_DRAFT)
    assert sees(client_for(world, "editor_a"), url, "Taalhuis Aland")
    assert sees(client_for(world, "editor_b"), url, B_DRAFT)


# The dashboard panel -------------------------------------------------------------------


def test_dashboard_panel_shows_my_library(world):
    today = timezone.localdate()
    for title, days in (
        ("Borging uitleen", 10),
        ("Borging klachten", -5),
        ("Borging later", 60),
    ):
        ProjectPageFactory(
            parent=world.plan_a,
            title=title,
            kind=ProjectPage.Kind.ASSURANCE,
            cycle_months=6,
            next_review_date=today + datetime.timedelta(days=days),
            phase=ProjectPage.Phase.CHECK,
        )
    home = reverse("wagtailadmin_home")

    editor = client_for(world, "editor_a").get(home).content.decode()
    assert "Mijn bibliotheek: Bibliotheek Aland" in editor
    assert "Bemdal" not in editor
    assert 'data-plan="2026"' in editor
    assert "Borging uitleen" in editor and "Borging klachten" in editor
    assert "Borging later" not in editor
    assert "te laat" in editor
    assert "Wacht op mijn beoordeling" not in editor  # editors do not review

    approver = client_for(world, "approver_a").get(home).content.decode()
    panel = approver.split('data-bm-panel="my-library"')[1]
    review = panel.split('data-bm="awaiting-review"')[1].split("</ul>")[0]
    assert "Voorleesexpress Aland" in review
    assert "Ingediend Bemdal project" not in approver

    approver_b = client_for(world, "approver_b").get(home).content.decode()
    assert "Mijn bibliotheek: Bibliotheek Bemdal" in approver_b
    assert "Ingediend Bemdal project" in approver_b
    assert "Aland" not in approver_b


def test_dashboard_counts_projects_per_phase(world):
    from bm_pages.dashboard import plan_figures

    (row,) = plan_figures(world.library_a)
    counts = {phase["value"]: phase["count"] for phase in row.phases}
    expected = dict.fromkeys(ProjectPage.Phase.values, 0)
    for project in ProjectPage.objects.child_of(world.plan_a):
        expected[project.phase] += 1
    assert counts == expected and row.total == 3
