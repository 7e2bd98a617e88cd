""" "Bibliotheken zoals de mijne": the search API, the editor panel's endpoint and
"Find projects" narrowed to libraries of a similar size and urbanity, with each
result's library profile. Real matcher, real model (``search_world``)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bm_pages.models import LibraryPage

pytestmark = pytest.mark.django_db

URL = "/api/matching/search"


def set_profile(library, inhabitants, urbanity):
    # update(), not save(): a profile is no reason to touch the matcher's index.
    LibraryPage.objects.filter(pk=library.pk).update(
        inhabitants=inhabitants, urbanity=urbanity
    )


@pytest.fixture
def profiled(search_world):
    w = search_world
    set_profile(w.a, 45_000, 4)  # size class 2, hardly urban: "mine"
    set_profile(w.b, 70_000, 3)  # class 3, moderately urban: one step each, alike
    set_profile(w.d, 250_000, 1)  # a city library: not alike
    set_profile(w.f, 20_000, 5)  # class 1, not urban: one step each, alike
    return w


def api_ids(user, **params) -> set[int]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


def test_the_api_keeps_only_libraries_like_mine(profiled):
    w = profiled
    everyone = api_ids(w.editor_a, q=w.QUERY, k=50)
    assert {w.project_b.pk, w.project_d.pk, w.project_f.pk} <= everyone
    like_mine = api_ids(w.editor_a, q=w.QUERY, k=50, like_mine="true")
    assert {w.project_b.pk, w.project_f.pk} <= like_mine
    assert w.project_d.pk not in like_mine
    # C and E have no profile: like no one.
    assert not like_mine & {w.project_c.pk, w.project_e.pk}
    assert like_mine < everyone


def test_without_a_profile_of_my_own_the_api_says_what_to_do(search_world):
    w = search_world
    client = APIClient()
    client.force_authenticate(w.editor_a)
    response = client.get(URL, {"q": w.QUERY, "like_mine": "true"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_profile"
    assert "Bibliotheek Aadorp" in body["detail"] and "inwoners" in body["detail"]


def test_the_editor_panel_narrows_and_shows_profiles(client, profiled):
    w = profiled
    client.force_login(w.editor_a)
    url = reverse("bm_matching:similar_projects")
    params = {"q": w.QUERY, "k": 20, "exclude_library": w.a.pk}
    everyone = client.get(url, params).json()["html"]
    like_mine = client.get(url, {**params, "like_mine": "1"}).json()["html"]

    def ids(html):
        return {int(i) for i in re.findall(r'data-project-id="(\d+)"', html)}

    assert w.project_d.pk in ids(everyone)
    assert w.project_d.pk not in ids(like_mine)
    assert w.project_b.pk in ids(like_mine)
    # Every suggestion shows its library's profile.
    assert "70.000 inwoners" in like_mine and "matig stedelijk" in like_mine


def test_find_projects_offers_the_choice(client, profiled):
    w = profiled
    client.force_login(w.editor_a)
    page = client.get(
        reverse("bm_matching:find_projects"), {"q": w.QUERY, "like_mine": "1"}
    ).content.decode()
    assert 'name="like_mine"' in page and "Bibliotheken zoals de mijne" in page
    found = {int(i) for i in re.findall(r'data-project-id="(\d+)"', page)}
    assert w.project_b.pk in found and w.project_d.pk not in found


def test_network_suggestions_weigh_the_profile_and_say_why(rf, profiled):
    from bm_matching.network import PROFILE_WEIGHT, suggest_libraries

    w = profiled
    request = rf.get("/admin/")
    request.user = w.editor_a
    suggestions = suggest_libraries(request, w.a, linked_ids=set())
    by_id = {s.library_id: s for s in suggestions}
    assert {w.b.pk, w.d.pk, w.f.pk} <= set(by_id)
    assert by_id[w.b.pk].alike_reasons == [
        "een bibliotheek van vergelijkbare omvang (70.000 inwoners)",
        "een vergelijkbaar werkgebied (3 – matig stedelijk)",
    ]
    assert by_id[w.f.pk].alike_reasons
    assert by_id[w.d.pk].alike_reasons == []
    assert "250.000 inwoners" in by_id[w.d.pk].profile_label
    weights = [
        len(s.matches) + (PROFILE_WEIGHT if s.alike_reasons else 0) for s in suggestions
    ]
    assert weights == sorted(weights, reverse=True)


def test_suggestions_show_what_the_project_achieved(client, search_world):
    from decimal import Decimal

    from bm_pages.models import ProjectIndicator, ProjectPage

    w = search_world
    ProjectIndicator.objects.create(
        page_id=w.project_b.pk,
        name="voorleesochtenden",
        unit="ochtenden",
        target=Decimal("40"),
        result=Decimal("30"),
        sort_order=0,
    )
    ProjectPage.objects.filter(pk=w.project_b.pk).update(
        evaluation="De ochtenden liepen goed. Ouders kwamen terug."
    )
    client.force_login(w.editor_a)
    html = client.get(
        reverse("bm_matching:similar_projects"),
        {"q": w.QUERY, "k": 20, "exclude_library": w.a.pk},
    ).json()["html"]
    item = html.split(f'data-project-id="{w.project_b.pk}"')[1].split("</li>")[0]
    assert 'data-percent="75"' in item  # 30 of 40, as the database says
    assert "30 / 40 ochtenden (75%)" in item
    assert "De ochtenden liepen goed." in item
    # A project of a library that does not share with A is not there at all.
    assert f'data-project-id="{w.project_e.pk}"' not in html


def test_the_network_page_shows_each_suggestions_profile_and_why(client, profiled):
    w = profiled
    client.force_login(w.editor_a)

    def suggestion_of_f() -> str:
        page = client.get("/admin/network/").content.decode()
        section = page.split('data-bm-section="similar-libraries"')[1]
        return section.split(f'data-bm-suggestion="{w.f.pk}"')[1].split("</tr>")[0]

    # F (20.000 inhabitants, not urban) is like A (45.000, hardly urban).
    row = suggestion_of_f()
    assert "20.000 inwoners · 5 – niet stedelijk" in row
    assert (
        "Vergelijkbaar met uw bibliotheek: een bibliotheek van vergelijkbare omvang "
        "(20.000 inwoners), een vergelijkbaar werkgebied (5 – niet stedelijk)" in row
    )
    # As a city library it is still suggested for its projects, with its profile,
    # but no longer "like yours".
    set_profile(w.f, 250_000, 1)
    row = suggestion_of_f()
    assert "250.000 inwoners" in row and 'data-bm="why-suggested"' not in row


def test_find_projects_shows_what_each_project_achieved(client, search_world):
    from decimal import Decimal

    from bm_pages.models import ProjectIndicator

    w = search_world
    ProjectIndicator.objects.create(
        page_id=w.project_d.pk,
        name="gezinnen bereikt",
        unit="gezinnen",
        target=Decimal("60"),
        result=Decimal("48"),
        sort_order=0,
    )
    client.force_login(w.editor_a)
    page = client.get(
        reverse("bm_matching:find_projects"), {"q": w.QUERY}
    ).content.decode()
    item = page.split(f'data-project-id="{w.project_d.pk}"')[1].split("</li>")[0]
    assert 'data-percent="80"' in item and "48 / 60 gezinnen (80%)" in item
