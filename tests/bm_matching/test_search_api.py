"""``GET /api/matching/search``: authenticated, never the caller's own library, never
what the caller may not see, clear 400s, a 503 when the matcher is down, documented in
the OpenAPI schema. Real matcher, real model."""

from __future__ import annotations

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bm_matching.clients import FakeMatcherClient, set_client_override
from bm_matching.models import IndexOutbox
from bm_pages.models import ProjectPage
from tests.bm_matching.helpers import matcher_settings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/matching/search"


def search(user, **params):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(URL, params)


def found(response) -> dict[int, str]:
    assert response.status_code == 200, response.content
    return {r["id"]: r["library"]["name"] for r in response.json()["results"]}


def test_without_credentials_the_api_answers_401(db):
    response = APIClient().get(URL, {"q": "voorlezen"})
    assert response.status_code == 401
    assert response.json()["detail"]


def test_users_without_a_library_role_are_refused(search_world):
    for user in (search_world.outsider, search_world.auditor_a):
        response = search(user, q="voorlezen")
        assert response.status_code == 403, user
        assert "medewerkers van een bibliotheek" in response.json()["detail"]


def test_an_editor_finds_other_libraries_and_never_her_own(search_world):
    w = search_world
    response = search(w.editor_a, q=w.QUERY, k=50)
    results = found(response)

    assert w.project_a.pk not in results, "own library excluded"
    assert w.project_b.pk in results and w.project_b_2025.pk in results
    assert results[w.project_b.pk] == "Bibliotheek Beekstad"
    assert w.project_d.pk in results, "same network sees a network-only library"
    assert w.project_f.pk in results, "a library sharing with all"
    body = response.json()
    top = body["results"][0]
    assert set(top) >= {
        "id",
        "title",
        "summary",
        "url",
        "library",
        "network",
        "year",
        "phase",
        "phase_label",
        "score",
        "matched_terms",
    }
    assert top["matched_terms"], "the best hit shares words with the query"
    assert body["count"] == len(body["results"])
    assert body["timing"]["matcher_ms"] > 0


def test_invisible_projects_are_never_returned(search_world):
    w = search_world
    never_for_a = {
        w.project_a.pk: "own library",
        w.project_c.pk: "network-only library of another network",
        w.project_e.pk: "partners-only library",
        w.draft_b.pk: "draft",
        w.unpublished_b.pk: "unpublished",
        w.private_b.pk: "behind a view restriction",
    }
    for query in (
        w.QUERY,
        "Geheim voorleesplan",
        "Besloten voorleesclub",
        "prentenboeken",
    ):
        results = found(search(w.editor_a, q=query, k=50))
        assert not set(results) & set(never_for_a), [
            never_for_a[pk] for pk in set(results) & set(never_for_a)
        ]

    results_c = found(search(w.editor_c, q=w.QUERY, k=50))
    assert w.project_c.pk not in results_c
    assert w.project_d.pk not in results_c, "D shares with noord only"
    assert {w.project_a.pk, w.project_b.pk, w.project_f.pk} <= set(results_c)
    # E shares with partners only; C and E are both in Zuid, which links its
    # members by default, so they are partners (bm_pages.partnerships).
    assert w.project_e.pk in results_c


def test_a_superuser_without_a_library_sees_every_library(search_world):
    w = search_world
    results = found(search(w.superuser, q=w.QUERY, k=50))
    assert set(results) == set(w.visible_live)


def test_network_and_year_filters(search_world):
    w = search_world
    noord = found(search(w.superuser, q=w.QUERY, k=50, network="noord"))
    assert set(noord) == {
        w.project_a.pk,
        w.project_b.pk,
        w.project_b_2025.pk,
        w.unrelated_b.pk,
        w.project_d.pk,
    }
    years_2025 = found(search(w.superuser, q=w.QUERY, k=50, year=2025))
    assert set(years_2025) == {w.project_b_2025.pk, w.project_f.pk}
    both = found(search(w.editor_a, q=w.QUERY, k=50, network="zuid", year=2025))
    assert set(both) == {w.project_f.pk}


def test_k_limits_the_results_and_the_best_match_comes_first(search_world):
    w = search_world
    body = search(w.superuser, q="Digitale vaardigheden voor senioren", k=2).json()
    assert len(body["results"]) == 2
    assert body["results"][0]["id"] == w.unrelated_b.pk
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_stale_index_entries_are_filtered_and_made_up_for(search_world):
    """Projects unpublished a moment ago are still in the matcher (the worker has not
    run); they are not shown, and the matcher is asked for more so k still holds."""
    w = search_world
    before = [r["id"] for r in search(w.superuser, q=w.QUERY, k=3).json()["results"]]
    for page_id in before[:2]:
        ProjectPage.objects.get(pk=page_id).unpublish()
    assert IndexOutbox.objects.pending().count() == 2, "not yet sent"

    after = [r["id"] for r in search(w.superuser, q=w.QUERY, k=3).json()["results"]]

    assert len(after) == 3
    assert not set(after) & set(before[:2])
    assert after[0] == before[2]


def test_a_token_authenticated_client_gets_results(search_world):
    token = Token.objects.create(user=search_world.editor_a)
    response = APIClient().get(
        URL, {"q": "prentenboeken"}, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200
    assert search_world.project_a.pk not in found(response)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "q", "de parameter q ontbreekt"),
        ({"q": ""}, "q", "q mag niet leeg zijn"),
        ({"q": "   "}, "q", "q mag niet leeg zijn"),
        ({"q": "x" * 2001}, "q", "2000"),
        ({"q": "voorlezen", "k": 0}, "k", "1"),
        ({"q": "voorlezen", "k": 1000}, "k", "Vraag om hooguit 50 resultaten."),
        ({"q": "voorlezen", "k": "tien"}, "k", "geldig getal"),
        (
            {"q": "voorlezen", "network": "atlantis"},
            "network",
            "Onbekend netwerk 'atlantis'",
        ),
        ({"q": "voorlezen", "year": "vorig jaar"}, "year", "geldig getal"),
        ({"q": "voorlezen", "year": 1850}, "year", "2000"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(db, params, field, message):
    fake = FakeMatcherClient()
    set_client_override(fake)
    try:
        user = UserFactory(username="beheerder-api", is_superuser=True)
        response = search(user, **params)
    finally:
        set_client_override(None)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Ongeldige zoekparameters."
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
    assert message in " ".join(body["errors"][field])
    assert fake.calls == [], "bad input never reaches the matcher"


def test_a_matcher_outage_is_a_503_with_a_clear_message(search_world, matcher):
    with override_settings(
        BM_MATCHING=matcher_settings(matcher, MATCHER_URL="http://127.0.0.1:9")
    ):
        response = search(search_world.editor_a, q="voorlezen")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "De zoekdienst voor vergelijkbare projecten is nu niet beschikbaar. "
        "Probeer het over een paar minuten opnieuw.",
        "code": "matcher_unavailable",
    }
    assert response["Retry-After"] == "30"


def test_the_search_is_documented_in_the_openapi_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/matching/search"]["get"]
    assert operation["operationId"] == "matching_search"
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"q", "k", "network", "year", "like_mine"}
    assert params["q"]["required"] is True
    assert {"200", "400", "401", "403", "503"} <= set(operation["responses"])
    result = schema["components"]["schemas"]["SimilarProject"]["properties"]
    assert {"library", "score", "matched_terms", "phase"} <= set(result)
