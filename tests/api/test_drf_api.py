"""The authenticated DRF API: tokens, scoping, filters, throttling, errors, the report."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from bm_pages.models import AnnualPlanPage
from tests.api.conftest import token_client, user_with_role

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "code", "errors"}
    return body


def with_rates(settings, **rates) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            **rates,
        },
    }


# Tokens ------------------------------------------------------------------------------


def test_token_authenticates_and_is_scoped_to_own_library(
    page_tree, editor_token, other_library
):
    client = token_client(editor_token)

    plans = client.get("/api/plans/")
    assert plans.status_code == 200
    body = plans.json()
    assert [p["id"] for p in body["results"]] == [page_tree.plan.pk]
    plan = body["results"][0]
    assert plan["library"]["title"] == "Bibliotheek Teststad"
    assert plan["project_count"] == 3
    assert plan["phase_counts"] == {"plan": 1, "do": 0, "check": 1, "act": 1, "done": 0}
    assert plan["report"]["pdf"].endswith(
        f"/api/plans/{page_tree.plan.pk}/report/?format=pdf"
    )

    projects = client.get("/api/projects/").json()["results"]
    # Own drafts are there for the library's own staff; other libraries' are not.
    assert {p["title"] for p in projects} == {
        "BoekStart in Teststad",
        "Borging klachtenafhandeling",
        "Geheim conceptproject",
    }
    other_plan = AnnualPlanPage.objects.child_of(other_library).get()
    assert_error(client.get(f"/api/plans/{other_plan.pk}/"), 404, "not_found")
    assert_error(
        client.get(f"/api/plans/{other_plan.pk}/report/?format=pdf"), 404, "not_found"
    )


def test_revoked_or_wrong_token_fails(page_tree, editor_token):
    client = token_client(editor_token)
    assert client.get("/api/plans/").status_code == 200

    Token.objects.filter(pk=editor_token.pk).delete()
    response = client.get("/api/plans/")
    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"

    client.credentials(HTTP_AUTHORIZATION="Token " + "x" * 40)
    assert_error(client.get("/api/plans/"), 401, "authentication_failed")


def test_without_credentials_is_401(api_client, page_tree):
    response = api_client.get("/api/projects/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_inactive_users_token_fails(page_tree, editor, editor_token):
    editor.is_active = False
    editor.save()
    assert_error(
        token_client(editor_token).get("/api/plans/"), 401, "authentication_failed"
    )


def test_auditors_get_no_plans(page_tree, editor):
    auditor = user_with_role(page_tree.library, "auditor", "auditor-teststad")
    client = token_client(Token.objects.create(user=auditor))
    assert client.get("/api/plans/").json()["results"] == []
    assert_error(client.get(f"/api/plans/{page_tree.plan.pk}/"), 404, "not_found")


def test_superuser_sees_every_library(page_tree, other_library, django_user_model):
    admin = django_user_model.objects.create_superuser("beheer", "b@example.org", "pw")
    client = token_client(Token.objects.create(user=admin))
    ids = {p["id"] for p in client.get("/api/plans/").json()["results"]}
    assert ids == {
        page_tree.plan.pk,
        AnnualPlanPage.objects.child_of(other_library).get().pk,
    }


# Filters and errors -----------------------------------------------------------------------


def test_project_filters(page_tree, editor_token):
    client = token_client(editor_token)

    def titles(**params):
        response = client.get("/api/projects/", params)
        assert response.status_code == 200, response.content
        return {p["title"] for p in response.json()["results"]}

    assert titles(phase="check") == {"BoekStart in Teststad"}
    assert titles(year=2026, library=page_tree.library.slug) == {
        "BoekStart in Teststad",
        "Borging klachtenafhandeling",
        "Geheim conceptproject",
    }
    assert titles(library=page_tree.library.pk, phase="act") == {
        "Borging klachtenafhandeling"
    }
    assert titles(year=2027) == set()
    assert titles(plan=page_tree.plan.pk, phase="plan") == {"Geheim conceptproject"}

    live = client.get(f"/api/projects/{page_tree.live_project.pk}/").json()
    assert live["indicators"][0]["target"] == 5796.0
    assert live["focus_area"]["title"] == "Geletterdheid"
    assert live["live"] is True


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"phase": "klaar"}, "phase"),
        ({"year": "twintig"}, "year"),
        ({"plan": "-3"}, "plan"),
        ({"plan": "99999999999999999999"}, "plan"),
        ({"library": "x" * 300}, "library"),
        ({"library": "bad\x00"}, "library"),
    ],
)
def test_bad_query_parameters_are_400_with_field_errors(
    page_tree, editor_token, params, field
):
    body = assert_error(
        token_client(editor_token).get("/api/projects/", params), 400, "invalid"
    )
    assert body["detail"] == "Ongeldige invoer."
    assert list(body["errors"]) == [field]
    assert isinstance(body["errors"][field], list) and body["errors"][field][0]


def test_error_body_for_not_found_and_wrong_method(page_tree, editor_token):
    client = token_client(editor_token)
    assert_error(client.get("/api/projects/999999999/"), 404, "not_found")
    assert_error(client.post("/api/plans/", {}), 405, "method_not_allowed")
    assert_error(
        client.delete(f"/api/projects/{page_tree.live_project.pk}/"),
        405,
        "method_not_allowed",
    )


def test_errors_speak_dutch_whatever_the_client_asks(page_tree, editor_token):
    # The product speaks Dutch everywhere (no LocaleMiddleware), the API included.
    response = token_client(editor_token).get(
        "/api/projects/", {"phase": "klaar"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["detail"] == "Ongeldige invoer."


# Throttling ---------------------------------------------------------------------------


def test_users_are_throttled_with_429(page_tree, editor_token, settings):
    with_rates(settings, user="3/minute")
    client = token_client(editor_token)
    for _ in range(3):
        assert client.get("/api/plans/").status_code == 200
    response = client.get("/api/projects/")
    body = assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert body["detail"].startswith("Te veel verzoeken.")


def test_throttling_is_per_user(page_tree, editor_token, settings, django_user_model):
    with_rates(settings, user="2/minute")
    client = token_client(editor_token)
    for _ in range(2):
        client.get("/api/plans/")
    assert client.get("/api/plans/").status_code == 429
    other = user_with_role(page_tree.library, "approver", "goedkeurder-teststad")
    assert (
        token_client(Token.objects.create(user=other)).get("/api/plans/").status_code
        == 200
    )


# The report through the API --------------------------------------------------------------


def test_report_endpoint_returns_docx_and_pdf(page_tree, editor_token):
    client = token_client(editor_token)
    url = f"/api/plans/{page_tree.plan.pk}/report/"

    pdf = client.get(url, {"format": "pdf"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="jaarverslag-bibliotheek-teststad-2026.pdf"'
    )
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "BoekStart in Teststad" in text

    docx = client.get(url)  # Word is the default
    assert docx.status_code == 200
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Jaarverslag 2026" in paragraphs


def test_report_endpoint_errors_are_json(page_tree, editor_token, api_client):
    url = f"/api/plans/{page_tree.plan.pk}/report/"
    body = assert_error(
        token_client(editor_token).get(url, {"format": "xls"}), 400, "invalid"
    )
    assert body["errors"] == {"format": ["Kies docx of pdf."]}
    assert_error(api_client.get(url, {"format": "pdf"}), 401, "not_authenticated")


def test_report_has_its_own_throttle(page_tree, editor_token, settings):
    with_rates(settings, report="1/minute")
    client = token_client(editor_token)
    url = f"/api/plans/{page_tree.plan.pk}/report/"
    assert client.get(url, {"format": "docx"}).status_code == 200
    assert_error(client.get(url, {"format": "docx"}), 429, "throttled")
    # Other endpoints are not affected by the report's budget.
    assert client.get("/api/plans/").status_code == 200


def test_openapi_schema_and_docs_are_served(api_client):
    schema = api_client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/plans/{id}/report/" in document["paths"]
    assert not any(path.startswith("/api/v2/") for path in document["paths"])
    assert not any(path.startswith("/admin/") for path in document["paths"])
    docs = api_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
