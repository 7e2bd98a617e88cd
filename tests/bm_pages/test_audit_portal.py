"""The audit portal over real HTTP: who gets in, what it shows, and that nothing changes.

Auditors of library A see A's portal and A's documents, and nothing of B. They have
no admin access, so every admin view and every API write is refused and the
database stays as it was. Access ends on the date set when it was granted.
"""

from __future__ import annotations

import datetime
import re
from importlib import import_module
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from rest_framework.authtoken.models import Token
from wagtail.images.models import Image
from wagtail.models import (
    Collection,
    GroupPagePermission,
    Page,
    PageLogEntry,
    PageViewRestriction,
    Revision,
    WorkflowState,
)

from bm_pages.actions.setup_library import SetUpLibraryAction
from bm_pages.models import (
    AssuranceCheck,
    AuditPortalPage,
    LibraryDocument,
    LibraryMembership,
    ProjectPage,
    WorkField,
)
from bm_pages.roles import LibraryRole, expire_memberships, grant_role
from tests.bm_pages.certification_helpers import CertWorld, build_world, login, today
from tests.factories import UserFactory
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db
STAFF_A = ("auditor_a", "editor_a", "approver_a", "superuser")
OUTSIDERS = ("auditor_b", "editor_b", "approver_b", "editor_c", "auditor_c")


world_module, world = world_per_module(build_world)


def routes(world: CertWorld) -> list[str]:
    base = world.portal_a.url
    return [
        base,
        f"{base}documenten/",
        f"{base}jaarplannen/",
        f"{base}projecten/{world.live_project_a.pk}/",
        f"{base}projecten/{world.draft_project_a.pk}/",
        f"{base}borging/",
        f"{base}gereedheid/",
    ]


def client_for(world: CertWorld, user_name: str) -> Client:
    client = Client()
    login(client, world.user(user_name))
    return client


def assert_sent_to_login(response, url: str) -> None:
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert location.path == "/_util/login/"
    assert f"next={url}" in response["Location"]


# Who gets in ----------------------------------------------------------------------------


def test_portal_is_set_up_with_the_library(world):
    portal = world.portal_a
    assert portal.live and portal.url == "/bibliotheek-aland/auditportaal/"
    restriction = PageViewRestriction.objects.get(page=portal)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    groups = set(restriction.groups.values_list("library_role__role", flat=True))
    assert groups == {"editor", "approver", "auditor"}
    assert set(restriction.groups.values_list("library_role__library", flat=True)) == {
        world.library_a.pk
    }
    # Setting the library up again changes nothing.
    setup = SetUpLibraryAction("Bibliotheek Aland").execute(skip_permission_checks=True)
    assert setup.created == []
    assert AuditPortalPage.objects.child_of(world.library_a).count() == 1


@pytest.mark.parametrize("user_name", STAFF_A)
def test_library_people_open_every_section(world, user_name):
    client = client_for(world, user_name)
    for url in routes(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"]
        assert "Bibliotheek Aland" in response.content.decode()


@pytest.mark.parametrize("user_name", ["anonymous", *OUTSIDERS])
def test_everyone_else_is_sent_to_sign_in(world, user_name):
    client = client_for(world, user_name)
    for url in routes(world):
        response = client.get(url)
        assert_sent_to_login(response, url)
        assert b"Zelfevaluatie" not in response.content


def test_auditor_of_a_gets_nothing_of_b(world):
    client = client_for(world, "auditor_a")
    url = world.portal_b.url
    assert_sent_to_login(client.get(url), url)
    assert_sent_to_login(client.get(f"{url}documenten/"), f"{url}documenten/")
    # B's project through A's portal: not A's, so not found.
    response = client.get(f"{world.portal_a.url}projecten/{world.project_b.pk}/")
    assert response.status_code == 404
    for key in ("b_own",):
        assert client.get(world.docs[key].url).status_code == 403


def test_access_works_the_day_before_it_ends(world):
    auditor = world.user("auditor_b")
    grant_role(
        world.library_a,
        auditor,
        LibraryRole.AUDITOR,
        expires_on=today() + datetime.timedelta(days=1),
    )
    client = client_for(world, "auditor_b")
    assert client.get(world.portal_a.url).status_code == 200
    assert client.get(world.docs["a_own"].url).status_code == 200


def test_access_ends_on_its_date_even_before_the_clean_up(world):
    auditor = world.user("auditor_a")
    client = client_for(world, "auditor_a")  # signed in before the end date
    LibraryMembership.objects.filter(
        user=auditor, library=world.library_a, role=LibraryRole.AUDITOR
    ).update(expires_on=today())
    # Still in the group: Wagtail's restriction would let them in; the portal not.
    assert auditor.groups.filter(library_role__library=world.library_a).exists()
    response = client.get(world.portal_a.url)
    assert response.status_code == 403
    assert "toegang is beëindigd" in response.content.decode()
    assert client.get(world.docs["a_own"].url).status_code == 403
    # After the daily clean-up they are out of the group too.
    expire_memberships(auditor)
    assert_sent_to_login(client.get(world.portal_a.url), world.portal_a.url)


def test_approver_grants_an_auditor_until_a_date(world):
    approver = world.user("approver_a")
    newcomer = UserFactory(username="auditor-cbct", email="auditor@cbct.example")
    client = client_for(world, "approver_a")
    url = f"/admin/bm-roles/library/{world.library_a.pk}/team/"
    data = {"action": "add", "add-user": "auditor-cbct", "add-role": "auditor"}
    response = client.post(url, data)  # no end date: refused
    assert response.status_code == 200
    assert not LibraryMembership.objects.filter(user=newcomer).exists()
    ends = today() + datetime.timedelta(days=14)
    response = client.post(url, {**data, "add-expires_on": ends.isoformat()})
    assert response.status_code == 302
    membership = LibraryMembership.objects.get(user=newcomer)
    assert (membership.role, membership.expires_on, membership.granted_by) == (
        "auditor",
        ends,
        approver,
    )
    auditor_client = Client()
    auditor_client.force_login(newcomer)
    assert auditor_client.get(world.portal_a.url).status_code == 200


# What it shows ------------------------------------------------------------------------


def test_documents_section_lists_the_library_documents_with_download_links(world):
    html = client_for(world, "auditor_a").get(f"{world.portal_a.url}documenten/")
    html = html.content.decode()
    for key in ("a_own", "a_partners", "a_public", "a_overdue", "a_unfiled"):
        document = world.docs[key]
        assert f'href="{document.url}"' in html
    assert "Bemdal" not in html and "Cestrum" not in html
    assert re.findall(r'data-work-field="([^"]+)"', html) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "none",
    ]
    field = WorkField.objects.get(code="6")
    html = client_for(world, "auditor_a").get(
        f"{world.portal_a.url}documenten/?work_field={field.pk}"
    )
    html = html.content.decode()
    assert world.docs["a_public"].url in html and world.docs["a_own"].url not in html


def test_plans_show_live_projects_and_drafts_as_drafted(world):
    client = client_for(world, "auditor_a")
    html = client.get(f"{world.portal_a.url}jaarplannen/").content.decode()
    assert "Taalhuis Aland" in html
    row = re.search(
        rf'data-bm-project="{world.draft_project_a.pk}">(.*?)</tr>', html, re.S
    ).group(1)
    assert "Voorleesexpress Aland (herzien)" in row and "concept" in row
    assert "Geheim project Bemdal" not in html
    draft = client.get(f"{world.portal_a.url}projecten/{world.draft_project_a.pk}/")
    draft = draft.content.decode()
    assert "Herziene aanpak met vrijwilligers thuis." in draft
    assert 'data-bm="draft"' in draft


def test_project_shows_smart_card_and_pdca_log(world):
    client = client_for(world, "auditor_a")
    html = client.get(
        f"{world.portal_a.url}projecten/{world.live_project_a.pk}/"
    ).content.decode()
    assert 'data-bm="smart-card"' in html
    assert "Laaggeletterde volwassenen" in html and "deelnemers" in html
    log = re.search(r'data-bm="pdca-log">(.*?)</section>', html, re.S).group(1)
    assert "Eerste groep gestart." in log
    assert f'href="{world.docs["a_own"].url}"' in log  # the evidence, downloadable


def test_assurance_section_shows_cycle_history_and_overdue(world):
    html = client_for(world, "auditor_a").get(f"{world.portal_a.url}borging/")
    html = html.content.decode()
    block = re.search(
        rf'data-project="{world.assurance_a.pk}" data-overdue="1">(.*?)</section>',
        html,
        re.S,
    ).group(1)
    assert "Alle klachten binnen termijn afgehandeld." in block
    assert "te laat" in block
    overview = client_for(world, "auditor_a").get(world.portal_a.url).content.decode()
    assert 'data-bm="overdue-assurance"' in overview


def expected_readiness(world: CertWorld) -> dict[str, dict]:
    """The readiness numbers computed straight from the data, independently."""
    documents = LibraryDocument.objects.filter(library=world.library_a)
    projects = ProjectPage.objects.descendant_of(world.library_a)
    rows = {}
    for norm in WorkField.objects.filter(kind=WorkField.Kind.NORM):
        evidence = documents.filter(norms=norm)
        overdue = evidence.filter(review_date__lt=today())
        related = projects.filter(work_fields=norm)
        assurance = related.filter(kind=ProjectPage.Kind.ASSURANCE)
        late = assurance.filter(next_review_date__lt=today()).exclude(phase="done")
        if not evidence.exists():
            status = "missing"
        elif overdue.exists() or late.exists():
            status = "attention"
        else:
            status = "ready"
        rows[norm.code] = {
            "status": status,
            "evidence": evidence.count(),
            "overdue": overdue.count(),
            "projects": related.filter(kind=ProjectPage.Kind.REGULAR).count(),
            "assurance": assurance.count(),
        }
    return rows


def shown_readiness(html: str) -> dict[str, dict]:
    table = re.search(r'data-bm="readiness">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for code, status, cells in re.findall(
        r'<tr data-norm="([^"]+)" data-status="([^"]+)">(.*?)</tr>', table, re.S
    ):
        counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', cells))
        rows[code] = {"status": status, **{k: int(v) for k, v in counts.items()}}
    return rows


def test_readiness_counts_match_the_data(world):
    client = client_for(world, "auditor_a")
    html = client.get(f"{world.portal_a.url}gereedheid/").content.decode()
    expected = expected_readiness(world)
    assert shown_readiness(html) == expected
    # The data of the world, spelt out: 1 ready, 3 and 6 need attention.
    assert {code: row["status"] for code, row in expected.items()} == {
        "1": "ready",
        "2": "missing",
        "3": "attention",
        "4": "missing",
        "5": "missing",
        "6": "attention",
        "7": "missing",
    }
    assert (expected["5"]["projects"], expected["6"]["assurance"]) == (2, 1)
    summary = re.search(r'data-bm="readiness-summary">(.*?)</p>', html, re.S).group(1)
    assert "1 gereed" in summary and "2 aandacht nodig" in summary
    assert "4 geen bewijs" in summary
    # The overview page shows the same table.
    overview = client.get(world.portal_a.url).content.decode()
    assert shown_readiness(overview) == expected


def test_readiness_follows_changes_in_the_data(world):
    from tests.bm_pages.certification_helpers import make_document

    make_document(world.library_a, "Arbo-beleid", work_field="7", norms=("7", "2"))
    LibraryDocument.objects.filter(pk=world.docs["a_overdue"].pk).update(
        review_date=today() + datetime.timedelta(days=30)
    )
    html = client_for(world, "auditor_a").get(f"{world.portal_a.url}gereedheid/")
    shown = shown_readiness(html.content.decode())
    assert shown == expected_readiness(world)
    assert (shown["2"]["status"], shown["3"]["status"], shown["7"]["status"]) == (
        "ready",
        "ready",
        "ready",
    )


# Read-only ------------------------------------------------------------------------------


@pytest.mark.parametrize("user_name", ["auditor_a", "approver_a"])
def test_no_edit_controls_and_no_data_changing_forms(world, user_name):
    client = client_for(world, user_name)
    for url in routes(world):
        html = client.get(url).content.decode()
        assert "/admin/" not in html, url
        assert "wagtail-userbar" not in html and "w-userbar" not in html
        forms = re.findall(r"<form\b[^>]*>", html)
        posting = [form for form in forms if 'method="post"' in form.lower()]
        assert posting == [
            f'<form method="post" action="{world.portal_a.url}uitloggen/" '
            'data-bm="logout">'
        ], url
        for form in forms:
            if form not in posting:
                assert 'method="get"' in form


def test_sign_out(world):
    client = client_for(world, "auditor_a")
    assert client.get(f"{world.portal_a.url}uitloggen/").status_code == 405
    response = client.post(f"{world.portal_a.url}uitloggen/")
    assert response.status_code == 302
    assert_sent_to_login(client.get(world.portal_a.url), world.portal_a.url)


def test_sign_in_page_leads_back_to_the_portal(world):
    client = Client()
    url = world.portal_a.url
    login_page = client.get(f"/_util/login/?next={url}")
    assert login_page.status_code == 200
    assert "Inloggen" in login_page.content.decode()
    response = client.post(
        "/_util/login/",
        {"username": "auditor-aland", "password": "biblio-test", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200


def test_portal_is_not_public(world):
    client = Client()
    library_page = client.get(world.library_a.url).content.decode()
    assert world.portal_a.url not in library_page
    search = client.get("/zoeken/?q=Auditportaal").content.decode()
    assert world.portal_a.url not in search
    api = client.get("/api/v2/pages/?limit=20").json()
    assert api["meta"]["total_count"] <= 20
    assert world.portal_a.pk not in {item["id"] for item in api["items"]}
    assert client.get(f"/api/v2/pages/{world.portal_a.pk}/").status_code == 404


# Nothing an auditor does changes anything ------------------------------------------------


def snapshot() -> dict:
    """What an attempted write could change, in comparable form."""
    return {
        "pages": list(
            Page.objects.order_by("pk").values_list(
                "pk",
                "title",
                "draft_title",
                "live",
                "locked",
                "path",
                "latest_revision",
            )
        ),
        "revisions": Revision.objects.count(),
        "documents": list(
            LibraryDocument.objects.order_by("pk").values_list(
                "pk", "title", "visibility", "library", "collection", "file"
            )
        ),
        "checks": list(AssuranceCheck.objects.values_list("pk", "date", "findings")),
        "review_dates": list(
            ProjectPage.objects.order_by("pk").values_list("pk", "next_review_date")
        ),
        "memberships": list(
            LibraryMembership.objects.order_by("pk").values_list(
                "pk", "user", "role", "expires_on"
            )
        ),
        "groups": list(Group.objects.order_by("pk").values_list("pk", "name")),
        "user_groups": list(
            get_user_model()
            .groups.through.objects.order_by("pk")
            .values_list("user", "group")
        ),
        "users": list(
            get_user_model()
            .objects.order_by("pk")
            .values_list("pk", "username", "is_superuser", "is_staff")
        ),
        "permissions": GroupPagePermission.objects.count(),
        "restrictions": PageViewRestriction.objects.count(),
        "collections": Collection.objects.count(),
        "images": Image.objects.count(),
        "work_fields": list(WorkField.objects.values_list("pk", "name")),
        "workflow_states": WorkflowState.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "tokens": Token.objects.count(),
    }


def admin_attempts(world: CertWorld) -> list[tuple[str, str, dict]]:
    project, plan, library = world.live_project_a, world.plan_a, world.library_a
    draft, portal, document = world.draft_project_a, world.portal_a, world.docs["a_own"]
    field = WorkField.objects.get(code="1")
    edit = {"title": "Gewijzigd door de auditor", "slug": "gewijzigd"}
    return [
        ("get", "/admin/", {}),
        ("get", f"/admin/pages/{library.pk}/", {}),
        ("post", f"/admin/pages/{project.pk}/edit/", edit),
        ("post", f"/admin/pages/{project.pk}/edit/", {**edit, "action-publish": "1"}),
        ("post", f"/admin/pages/{draft.pk}/edit/", {**edit, "action-publish": "1"}),
        ("post", f"/admin/pages/{portal.pk}/edit/", edit),
        ("post", f"/admin/pages/{library.pk}/edit/", edit),
        ("post", f"/admin/pages/add/bm_pages/projectpage/{plan.pk}/", edit),
        ("post", f"/admin/pages/add/bm_pages/annualplanpage/{library.pk}/", edit),
        ("post", f"/admin/pages/{project.pk}/delete/", {}),
        ("post", f"/admin/pages/{project.pk}/unpublish/", {}),
        ("post", f"/admin/pages/{project.pk}/move/{plan.pk}/confirm/", {}),
        ("post", f"/admin/pages/{project.pk}/copy/", {"new_title": "Kopie"}),
        ("post", f"/admin/pages/{project.pk}/lock/", {}),
        ("post", f"/admin/pages/{draft.pk}/workflow/", {}),
        ("post", f"/admin/pages/{portal.pk}/privacy/", {"restriction_type": "none"}),
        ("post", f"/admin/pages/{project.pk}/revisions/compare/live...earliest/", {}),
        ("post", "/admin/documents/add/", {"title": "Nep", "visibility": "public"}),
        ("post", f"/admin/documents/edit/{document.pk}/", {"visibility": "public"}),
        ("post", f"/admin/documents/delete/{document.pk}/", {}),
        ("post", "/admin/documents/multiple/add/", {"title": "Nep"}),
        ("get", "/admin/documents/", {}),
        ("get", "/admin/documents/chooser/", {}),
        ("get", "/admin/api/main/documents/", {}),
        ("get", "/admin/api/main/pages/", {}),
        ("post", "/admin/images/add/", {"title": "Nep"}),
        ("post", f"/admin/snippets/bm_pages/workfield/edit/{field.pk}/", {"name": "X"}),
        ("post", "/admin/snippets/bm_pages/workfield/add/", {"name": "X"}),
        ("post", "/admin/collections/add/", {"name": "Nep"}),
        ("post", "/admin/users/add/", {"username": "nep"}),
        ("post", "/admin/groups/add/", {"name": "Nep"}),
        (
            "post",
            f"/admin/bm-roles/library/{library.pk}/team/",
            {"action": "add", "add-user": "auditor-aland", "add-role": "approver"},
        ),
        ("post", "/admin/bm-roles/setup/", {"name": "Nep-bibliotheek"}),
        ("post", f"/admin/bm-pages/copy-to-next-year/{plan.pk}/", {}),
        (
            "post",
            f"/admin/bm-certification/assurance/{world.assurance_a.pk}/complete/",
            {"date": today().isoformat(), "findings": "Door de auditor"},
        ),
        ("get", f"/admin/bm-certification/documents/{library.pk}/", {}),
        ("post", "/admin/account/", {"first_name": "Nep"}),
        # The host's Django admin, where the host has one.
        *(
            [("post", "/django-admin/auth/user/add/", {"username": "nep"})]
            if apps.is_installed("django.contrib.admin")
            else []
        ),
    ]


def test_auditor_reaches_no_admin_view_and_changes_nothing(world):
    before = snapshot()
    client = client_for(world, "auditor_a")
    # Sent to the login page, or (the admin's home) to their own audit portal.
    portal = AuditPortalPage.objects.child_of(world.library_a).get().get_url()
    for method, url, data in admin_attempts(world):
        response = getattr(client, method)(url, data)
        where = urlparse(response.get("Location", "")).path
        assert response.status_code == 403 or (
            response.status_code == 302
            and where in {"/admin/login/", "/django-admin/login/", portal}
        ), (method, url, response.status_code, where)
    assert snapshot() == before


@pytest.fixture
def api_targets(world):
    """Objects the API writes aim at: a partner's live project, a pending request."""
    from bm_pages.actions.partnerships import RequestPartnershipAction
    from tests.bm_pages.certification_helpers import publish, set_up
    from tests.factories import AnnualPlanPageFactory, ProjectPageFactory

    approver_c = UserFactory(username="goedkeurder-cestrum-2")
    grant_role(world.library_c, approver_c, LibraryRole.APPROVER)
    plan_c = publish(
        AnnualPlanPageFactory(parent=world.library_c, year=2026, title="Jaarplan C")
    )
    project_c = publish(ProjectPageFactory(parent=plan_c, title="Leesclub Cestrum"))
    request = RequestPartnershipAction(
        world.library_b, world.library_a, world.user("editor_b"), message="Samen?"
    ).execute()
    library_d = set_up("Bibliotheek Dorp")
    return {"project_c": project_c, "request": request, "library_d": library_d}


def api_attempts(world: CertWorld, targets: dict) -> list[tuple[str, str, dict]]:
    """Every write on every DRF route (from the router), the Wagtail API and search.

    Routes with a known body get a valid one, so a refusal is about who asks.
    """
    drf_router = import_module(settings.ROOT_URLCONF).drf_router

    ids = {
        "plan": world.plan_a.pk,
        "project": world.live_project_a.pk,
        "project-import": targets["project_c"].pk,
        "partnership": targets["request"].pk,
        "partner": world.library_c.pk,
    }
    bodies = {
        "partnership-list": {"partner": targets["library_d"].pk, "message": "Auditor"},
        "project-import-import": {"target_plan": world.plan_a.pk},
        "partner-end": {"library": world.library_a.pk},
    }
    generic = {"title": "Door de auditor", "summary": "x", "year": 2027}
    attempts = []
    for pattern in drf_router.urls:
        route = str(pattern.pattern)
        if "format" in route or not pattern.name or pattern.name == "api-root":
            continue
        prefix = pattern.name.rsplit("-", 1)[0]
        key = "project-import" if pattern.name.startswith("project-import") else prefix
        url = "/api/" + re.sub(r"\(\?P<\w+>[^)]*\)", str(ids.get(key, 0)), route)
        url = url.replace("^", "").replace("$", "")
        body = bodies.get(pattern.name, generic)
        for method in ("post", "put", "patch", "delete"):
            attempts.append((method, url, body))
    matching = ["/api/matching/search"] if apps.is_installed("bm_matching") else []
    for url in (
        *matching,
        "/api/v2/pages/",
        f"/api/v2/pages/{world.live_project_a.pk}/",
        f"/api/v2/projects/{world.live_project_a.pk}/",
        f"/api/v2/plans/{world.plan_a.pk}/",
    ):
        for method in ("post", "put", "patch", "delete"):
            attempts.append((method, url, generic))
    return attempts


@pytest.mark.parametrize("auth", ["session", "token"])
def test_every_api_write_is_refused(world, api_targets, auth):
    from bm_pages.models import Partnership

    auditor = world.user("auditor_a")
    if auth == "session":
        client = client_for(world, "auditor_a")
        headers = {}
    else:
        client = Client()
        headers = {"Authorization": f"Token {Token.objects.create(user=auditor).key}"}
    before = (snapshot(), list(Partnership.objects.values_list("pk", "status")))
    attempts = api_attempts(world, api_targets)
    assert len(attempts) >= 60
    for method, url, body in attempts:
        response = getattr(client, method)(
            url, body, content_type="application/json", headers=headers
        )
        assert response.status_code in (401, 403, 404, 405), (method, url, response)
    assert (snapshot(), list(Partnership.objects.values_list("pk", "status"))) == before

    # The same requests are real writes: A's approver gets them done.
    approver = client_for(world, "approver_a")
    done = {
        url: approver.post(url, body, content_type="application/json").status_code
        for method, url, body in attempts
        if method == "post"
        and any(
            url.endswith(end) for end in ("/import/", "/accept/", "/api/partnerships/")
        )
    }
    # Request, accept; and an import where bm_matching is installed.
    expected = [200, 201, 201] if apps.is_installed("bm_matching") else [200, 201]
    assert sorted(done.values()) == expected, done
