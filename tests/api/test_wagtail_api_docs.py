"""The public API v2 is documented in an OpenAPI schema of its own and at /api/docs/."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v2/schema/", headers={"accept": "application/json"})
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("endpoint", "filters"),
    [
        ("libraries", {"network"}),
        ("plans", {"library", "year"}),
        (
            "projects",
            {"library", "year", "plan", "phase", "kind", "core_function", "focus_area"},
        ),
        ("pages", {"type", "locale", "ancestor_of", "translation_of"}),
    ],
)
def test_every_endpoint_lists_its_filters_and_an_example(schema, endpoint, filters):
    listing = schema["paths"][f"/api/v2/{endpoint}/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    wagtail_own = {"fields", "order", "search", "child_of", "descendant_of", "limit"}

    assert filters | wagtail_own <= names
    assert all(p.get("description") for p in listing["parameters"])
    example = listing["responses"]["200"]["content"]["application/json"]["examples"]
    (value,) = [e["value"] for e in example.values()]
    assert value["items"][0]["meta"]["type"].startswith(("bm_pages.", "wagtailcore."))
    assert f"/api/v2/{endpoint}/{{id}}/" in schema["paths"]


def test_a_real_listing_has_the_documented_envelope(client, schema, page_tree):
    envelope = schema["components"]["schemas"]["ProjectsListing"]
    body = client.get("/api/v2/projects/").json()

    assert set(envelope["required"]) <= set(body)
    assert body["meta"]["total_count"] == len(body["items"]) == 2


def test_docs_page_offers_both_schemas_and_the_drf_schema_stays_apart(client):
    docs = client.get("/api/docs/").content.decode()
    drf = client.get("/api/schema/", headers={"accept": "application/json"}).json()

    assert "/api/v2/schema/" in docs and "/api/schema/" in docs
    assert not [path for path in drf["paths"] if path.startswith("/api/v2/")]
