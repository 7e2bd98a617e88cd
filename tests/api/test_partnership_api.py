"""The partnership, partner and import endpoints of the DRF API, with their permissions
and the API's one error body."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bm_pages.models import FocusArea, LibraryDocument, Partnership, ProjectPage
from tests.api.conftest import token_client
from tests.bm_pages.partner_helpers import (
    SECRET_DRAFT_TEXT,
    PartnerWorld,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(partner_world) -> PartnerWorld:
    return partner_world


def as_user(w, name: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(w.u(name))
    return client


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "code", "errors"}
    return body


def ask(w, who="editor_a", **data):
    return as_user(w, who).post("/api/partnerships/", data, format="json")


# Partnerships ----------------------------------------------------------------------------


def test_the_whole_cycle_with_permissions_and_clear_errors(w):
    # A token, like any API client would use.
    token = Token.objects.create(user=w.u("editor_a"))
    created = token_client(token).post(
        "/api/partnerships/",
        {"partner": w.b.pk, "message": "Samen aan de Voorleesexpress?"},
        format="json",
    )
    assert created.status_code == 201, created.content
    row = created.json()
    assert row["status"] == "requested"
    assert row["requested_by_library"] == {"id": w.a.pk, "title": "Bibliotheek Aadorp"}
    assert row["message"] == "Samen aan de Voorleesexpress?"
    url = f"/api/partnerships/{row['id']}/"

    body = assert_error(ask(w, partner=w.b.pk), 409, "pending")
    assert "U hebt Bibliotheek Beekstad al gevraagd" in body["detail"]
    body = assert_error(ask(w, "editor_b", partner=w.a.pk), 409, "pending")
    assert "Accepteer hun verzoek" in body["detail"]

    # Only B's approvers decide; A's people and B's editor are refused.
    for who in ("editor_b", "approver_a", "editor_a"):
        body = assert_error(
            as_user(w, who).post(f"{url}accept/"), 403, "permission_denied"
        )
        assert "Alleen goedkeurders van Bibliotheek Beekstad" in body["detail"]
    # A third library does not even see it.
    assert_error(as_user(w, "editor_c").get(url), 404, "not_found")
    assert_error(as_user(w, "editor_c").post(f"{url}accept/"), 404, "not_found")

    accepted = as_user(w, "approver_b").post(f"{url}accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "active"
    body = assert_error(
        as_user(w, "approver_b").post(f"{url}accept/"), 409, "already_active"
    )
    assert body["detail"] == "Dit verzoek is al geaccepteerd; u bent partners."
    assert_error(as_user(w, "approver_b").post(f"{url}decline/"), 409, "already_active")
    assert_error(ask(w, partner=w.b.pk), 409, "already_partners")

    listed = as_user(w, "editor_b").get("/api/partnerships/?status=active").json()
    assert [r["id"] for r in listed["results"]] == [row["id"]]

    assert_error(as_user(w, "editor_a").post(f"{url}end/"), 403, "permission_denied")
    ended = as_user(w, "approver_a").post(f"{url}end/")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert_error(as_user(w, "approver_a").post(f"{url}end/"), 409, "not_active")
    history = as_user(w, "editor_a").get("/api/partnerships/").json()["results"]
    assert [(r["id"], r["status"]) for r in history] == [(row["id"], "ended")]


def test_declining(w):
    row = ask(w, partner=w.b.pk).json()
    declined = as_user(w, "approver_b").post(f"/api/partnerships/{row['id']}/decline/")
    assert declined.json()["status"] == "declined"
    assert_error(
        as_user(w, "approver_b").post(f"/api/partnerships/{row['id']}/accept/"),
        409,
        "already_decided",
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("editor_a", 200),
        ("approver_a", 200),
        ("approver_b", 403),
        ("editor_b", 403),
        ("editor_c", 404),
    ],
)
def test_withdrawing_a_request(w, who, status):
    row = ask(w, partner=w.b.pk).json()
    url = f"/api/partnerships/{row['id']}/withdraw/"
    response = as_user(w, who).post(url)
    if status == 200:
        assert response.status_code == 200 and response.json()["status"] == "withdrawn"
        body = assert_error(as_user(w, who).post(url), 409, "not_requested")
        assert body["detail"] == "Dit verzoek is al ingetrokken."
    elif status == 403:
        body = assert_error(response, 403, "permission_denied")
        assert (
            "Alleen redacteuren en goedkeurders van Bibliotheek Aadorp"
            in (body["detail"])
        )
    else:
        assert_error(response, 404, "not_found")
    assert APIClient().post(url).status_code in (401, 403)


def test_bad_requests(w):
    body = assert_error(ask(w, partner=w.a.pk), 400, "invalid")
    assert body["errors"]["partner"] == [
        "Een bibliotheek kan niet haar eigen partner zijn. Kies een andere bibliotheek."
    ]
    body = assert_error(ask(w, partner=99999), 400, "invalid")
    assert "partner" in body["errors"]
    assert_error(ask(w), 400, "invalid")
    assert_error(ask(w, partner="x"), 400, "invalid")
    # A library the user does not work for.
    body = assert_error(ask(w, partner=w.c.pk, library=w.b.pk), 400, "invalid")
    assert "library" in body["errors"]
    assert_error(
        as_user(w, "editor_a").get("/api/partnerships/?status=bogus"), 400, "invalid"
    )
    assert_error(ask(w, "auditor_a", partner=w.b.pk), 403, "permission_denied")
    assert not Partnership.objects.exists()


def test_requesting_a_network_partner_is_a_conflict(w):
    body = assert_error(ask(w, "editor_n1", partner=w.n2.pk), 409, "already_partners")
    assert "via uw regionale netwerk" in body["detail"]


def test_everything_needs_authentication(w):
    client = APIClient()
    for method, url in (
        ("get", "/api/partnerships/"),
        ("post", "/api/partnerships/"),
        ("get", "/api/partners/"),
        ("get", f"/api/partners/{w.b.pk}/projects/"),
        ("post", f"/api/projects/{w.project_b.pk}/import/"),
    ):
        assert_error(getattr(client, method)(url), 401, "not_authenticated")


def test_not_found_answers_are_dutch_like_every_other_error(w):
    # Another library's partnership, an unknown one, an unknown partner library and an
    # action on someone else's row: all the same Dutch 404, never Django's English
    # "No Partnership matches the given query." (security suite, hardening item 13).
    row = ask(w, partner=w.b.pk).json()
    before = Partnership.objects.get(pk=row["id"]).status
    editor_c = as_user(w, "editor_c")
    for response in (
        editor_c.get(f"/api/partnerships/{row['id']}/"),
        editor_c.post(f"/api/partnerships/{row['id']}/accept/"),
        as_user(w, "editor_a").get("/api/partnerships/99999999/"),
        as_user(w, "editor_a").get("/api/partners/99999999/projects/"),
        as_user(w, "editor_a").post("/api/partners/99999999/end/"),
    ):
        body = assert_error(response, 404, "not_found")
        assert body["detail"] == "Niet gevonden.", body
    assert Partnership.objects.get(pk=row["id"]).status == before == "requested"


# Partners ---------------------------------------------------------------------------------


def test_partners_and_their_projects_in_full(w):
    projects_url = f"/api/partners/{w.b.pk}/projects/"
    body = assert_error(
        as_user(w, "editor_a").get(projects_url), 403, "permission_denied"
    )
    assert (
        "zodra uw bibliotheek en Bibliotheek Beekstad partners zijn" in body["detail"]
    )

    w.make_partners("a", "b")
    partners = as_user(w, "editor_a").get("/api/partners/").json()["results"]
    assert [(p["library"]["title"], p["link"]) for p in partners] == [
        ("Bibliotheek Beekstad", "partnership")
    ]
    assert partners[0]["projects_url"].endswith(projects_url)

    response = as_user(w, "editor_a").get(projects_url)
    assert response.status_code == 200
    projects = response.json()["results"]
    assert [p["title"] for p in projects] == ["Voorleesexpress Beekstad"], "no drafts"
    project = projects[0]
    assert SECRET_DRAFT_TEXT not in str(project)
    assert "has_unpublished_changes" not in project and "live" not in project
    assert project["target_group"] == "Ouders van peuters met een taalachterstand"
    assert [i["result"] for i in project["indicators"]] == [48.0, 17.0]
    assert [a["what"] for a in project["activities"]][
        0
    ] == "Vrijwilligers werven en trainen"
    assert [e["note"] for e in project["phase_log"]][-1] == "Tussenmeting gedaan."
    assert {d["title"] for d in project["shared_documents"]} == {
        "Draaiboek huisbezoeken",
        "Folder Voorleesexpress",
    }
    assert project["work_fields"] and project["policy_topics"]

    network = as_user(w, "editor_n1").get("/api/partners/").json()["results"]
    assert [(p["library"]["id"], p["link"]) for p in network] == [(w.n2.pk, "network")]
    assert_error(
        as_user(w, "editor_a").get("/api/partners/99999999999/projects/"),
        404,
        "not_found",
    )


def test_ending_a_network_link_through_the_api(w):
    url = f"/api/partners/{w.n2.pk}/end/"
    assert_error(as_user(w, "editor_n1").post(url), 403, "permission_denied")
    ended = as_user(w, "approver_n1").post(url)
    assert ended.status_code == 200, ended.content
    assert ended.json()["network_link"] is True
    assert ended.json()["status"] == "ended"
    assert as_user(w, "editor_n1").get("/api/partners/").json()["results"] == []
    assert_error(as_user(w, "approver_n1").post(url), 400, "invalid")


# Import -------------------------------------------------------------------------------------


def import_(w, who="editor_a", project=None, **data):
    project = project or w.project_b
    body = {"target_plan": w.plan_a.pk, **data}
    return as_user(w, who).post(
        f"/api/projects/{project.pk}/import/", body, format="json"
    )


def test_import_through_the_api(w):
    # Not shared with A yet: as if it did not exist.
    assert_error(import_(w), 404, "not_found")

    w.make_partners("a", "b")
    source_before = ProjectPage.objects.get(pk=w.project_b.pk).serializable_data()
    response = import_(w, copy_documents=True)
    assert response.status_code == 201, response.content
    body = response.json()
    copy = ProjectPage.objects.get(pk=body["id"])
    assert not copy.live and copy.plan_id == w.plan_a.pk
    assert body["plan"] == {"id": w.plan_a.pk, "title": "Jaarplan 2026", "year": 2026}
    assert body["edit_url"].endswith(f"/admin/pages/{copy.pk}/edit/")
    assert response["Location"] == body["edit_url"]
    assert body["provenance"]["source_page"] == w.project_b.pk
    assert body["provenance"]["source_library_name"] == "Bibliotheek Beekstad"
    assert body["provenance"]["source_year"] == 2025
    assert {d["title"] for d in body["documents"]} == {
        "Draaiboek huisbezoeken",
        "Folder Voorleesexpress",
    }
    assert LibraryDocument.objects.filter(
        library=w.a, title="Draaiboek huisbezoeken", visibility="own"
    ).exists()
    assert (
        ProjectPage.objects.get(pk=w.project_b.pk).serializable_data() == source_before
    )


def test_import_permissions_and_bad_input(w):
    w.make_partners("a", "b")
    body = assert_error(import_(w, "editor_b"), 403, "permission_denied")
    assert "Bibliotheek Aadorp" in body["detail"]
    assert_error(import_(w, "editor_c"), 403, "permission_denied")
    assert_error(import_(w, "auditor_a"), 403, "permission_denied")
    assert_error(import_(w, project=w.draft_b), 404, "not_found")
    assert_error(
        as_user(w, "editor_a").post("/api/projects/99999999/import/", {}),
        404,
        "not_found",
    )
    body = assert_error(import_(w, target_plan=99999999), 400, "invalid")
    assert body["errors"]["target_plan"] == ["Er is geen jaarplan met dit id."]
    assert_error(import_(w, target_plan="jaarplan"), 400, "invalid")
    assert_error(import_(w, target_plan=None), 400, "invalid")
    foreign_area = FocusArea.objects.get(page=w.plan_b)
    body = assert_error(import_(w, focus_area=foreign_area.pk), 400, "invalid")
    assert "Kies een speerpunt van Jaarplan 2026" in str(body["errors"])
    body = assert_error(import_(w, "editor_b", target_plan=w.plan_b.pk), 400, "invalid")
    assert "Kopiëren naar volgend jaar" in str(body["errors"])
    assert not ProjectPage.objects.filter(source_page=w.project_b).exists()


def test_the_schema_documents_the_endpoints(w):
    client = as_user(w, "editor_a")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in (
        "/api/partnerships/",
        "/api/partnerships/{id}/accept/",
        "/api/partnerships/{id}/decline/",
        "/api/partnerships/{id}/end/",
        "/api/partnerships/{id}/withdraw/",
        "/api/partners/",
        "/api/partners/{library_id}/projects/",
        "/api/projects/{id}/import/",
    ):
        assert path in paths, path
    assert "201" in paths["/api/projects/{id}/import/"]["post"]["responses"]
    root = client.get("/api/").json()
    assert {"projects", "partnerships", "partners", "plans"} <= set(root)
