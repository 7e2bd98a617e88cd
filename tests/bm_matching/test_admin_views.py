"""The project editor's "similar projects" panel, its JSON endpoint and the "Find
projects" admin page, through the real admin and the real matcher."""

from __future__ import annotations

import re
import statistics

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import include, path

from bm_matching.models import IndexOutbox, SearchFeedback
from bm_matching.search import SimilarProject
from bm_matching.views import _results_context
from bm_pages.models import ProjectPage
from tests.bm_matching.helpers import matcher_settings
from tests.bm_pages.roles_helpers import edit_form_data

pytestmark = pytest.mark.django_db

SIMILAR = "/admin/matching/similar/"
FIND = "/admin/matching/find/"


def similar(client, **params):
    return client.get(SIMILAR, params)


def result_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-project-id="(\d+)"', html)]


def test_the_project_editor_shows_the_panel_next_to_title_and_summary(
    client, search_world
):
    w = search_world
    client.force_login(w.editor_a)
    html = client.get(f"/admin/pages/{w.project_a.pk}/edit/").content.decode()

    panel = re.search(r"<div class=\"bm-similar bm-similar--panel\"[^>]*>", html)
    assert panel, "the panel is in the editor"
    assert 'data-search-url="/admin/matching/similar/"' in panel.group(0)
    assert 'data-sources="id_title,id_summary"' in panel.group(0)
    assert f"{{&quot;exclude_library&quot;: {w.a.pk}}}" in panel.group(0)
    assert "bm_matching/similar_projects.js" in html
    # Placed after the summary and before the focus area, on the first tab.
    assert (
        html.index('id="id_summary"') < panel.start() < html.index('id="id_focus_area"')
    )


def test_the_panel_is_on_the_add_form_too_and_excludes_the_plans_library(
    client, search_world
):
    w = search_world
    client.force_login(w.editor_a)
    html = client.get(
        f"/admin/pages/add/bm_pages/projectpage/{w.plan_a.pk}/"
    ).content.decode()
    assert f"{{&quot;exclude_library&quot;: {w.a.pk}}}" in html


def test_the_endpoint_returns_similar_projects_of_other_libraries(client, search_world):
    w = search_world
    client.force_login(w.editor_a)
    response = similar(client, q=w.QUERY, exclude_library=w.a.pk)

    assert response.status_code == 200
    body = response.json()
    ids = result_ids(body["html"])
    assert body["count"] == len(ids)
    assert set(ids) == {
        w.project_b.pk,
        w.project_b_2025.pk,
        w.unrelated_b.pk,
        w.project_d.pk,
        w.project_f.pk,
    }, "everything A's editor may see, and nothing else"
    assert ids.index(w.unrelated_b.pk) == len(ids) - 1, "the unrelated project last"
    html = body["html"]
    item = html[html.index(f'data-project-id="{w.project_b.pk}"') :]
    item = item[: item.index("</li>")]
    for text in ("Voorlezen aan peuters op zaterdag", "Bibliotheek Beekstad", "2026"):
        assert text in item
    assert "<mark" in item, "the matched words are shown"
    assert re.search(r"(Goede|Mogelijke) match", item), "a level, not a raw score"
    # "Open" goes through the CMS (search feedback), then to the public page.
    opened = client.get(open_link(item))
    assert opened.status_code == 302
    assert opened["Location"].endswith(
        "/bibliotheek-beekstad/jaarplan-2026/voorlezen-aan-peuters-op-zaterdag/"
    )
    assert SearchFeedback.objects.filter(
        project_id=w.project_b.pk, signal="open", query=w.QUERY
    ).exists()
    assert "Server-Timing" in response


def test_a_superuser_editing_a_project_does_not_see_its_own_library(
    client, search_world
):
    w = search_world
    client.force_login(w.superuser)
    ids = result_ids(
        similar(client, q=w.QUERY, exclude_library=w.b.pk, k=50).json()["html"]
    )
    assert ids, "other libraries are found"
    assert not {w.project_b.pk, w.project_b_2025.pk, w.unrelated_b.pk} & set(ids)
    assert {w.project_c.pk, w.project_e.pk} <= set(ids), (
        "a superuser sees every library"
    )
    # ...and may open each in the editor.
    html = similar(client, q="prentenboeken", k=1).json()["html"]
    assert "/admin/pages/" in client.get(open_link(html))["Location"]


def test_an_empty_title_asks_for_one_and_bad_input_is_a_400(client, search_world):
    client.force_login(search_world.editor_a)
    empty = similar(client, q="   ")
    assert empty.status_code == 200 and empty.json()["count"] == 0
    assert "bm-similar__hint" in empty.json()["html"]

    bad = similar(client, q="voorlezen", k=500, year="vorig jaar")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"k", "year"}
    assert "help-block" in bad.json()["html"]


def test_users_who_may_not_search_are_refused(client, search_world):
    client.force_login(search_world.auditor_a)
    assert similar(client, q="voorlezen").status_code in (302, 403)
    assert client.get(FIND).status_code in (302, 403)


def test_server_side_time_with_a_warm_matcher_is_under_100_ms(client, search_world):
    """What the editor waits for per keystroke, minus the network: measured in the view."""
    w = search_world
    client.force_login(w.editor_a)
    similar(client, q="warm up", exclude_library=w.a.pk)
    took = []
    for n, title in enumerate(
        [
            "Voorlezen",
            "Voorlezen aan",
            "Voorlezen aan peuters",
            "Voorleesontbijt",
            "Peuters lezen",
            "Taalhuis",
            "Digitale",
            "Digitale vaardigheden",
            "Leesclub",
            "Prentenboeken",
        ]
    ):
        body = similar(client, q=f"{title} {n}", exclude_library=w.a.pk).json()
        took.append(body["took_ms"])
    assert statistics.median(took) < 100, took


def test_a_matcher_outage_shows_a_message_and_the_editor_keeps_working(
    client, search_world, matcher
):
    w = search_world
    client.force_login(w.approver_a)
    with override_settings(
        BM_MATCHING=matcher_settings(matcher, MATCHER_URL="http://127.0.0.1:9")
    ):
        response = similar(client, q="voorlezen", exclude_library=w.a.pk)
        assert response.status_code == 503
        assert (
            "niet bereikbaar" in response.json()["html"]
            or "not reachable" in (response.json()["html"])
        )

        page = client.get(f"/admin/pages/{w.project_a.pk}/edit/")
        assert page.status_code == 200
        data = edit_form_data(
            client, w.project_a, title="Voorleesuurtje voor dreumesen"
        )
        data["action-publish"] = ["action-publish"]
        saved = client.post(f"/admin/pages/{w.project_a.pk}/edit/", data)

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert (
        ProjectPage.objects.get(pk=w.project_a.pk).title
        == "Voorleesuurtje voor dreumesen"
    )
    row = IndexOutbox.objects.pending().get(page_id=w.project_a.pk)
    assert row.action == "upsert", "queued; indexed once the matcher is back"


def test_the_find_projects_page_searches_with_filters(client, search_world):
    w = search_world
    client.force_login(w.editor_a)
    home = client.get("/admin/").content.decode()
    assert FIND in home, "the menu item is shown to library staff"

    page = client.get(FIND)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="q"' in html and 'name="network"' in html and 'name="year"' in html

    html = client.get(FIND, {"q": w.QUERY, "network": "noord"}).content.decode()
    ids = result_ids(html)
    assert w.project_b.pk in ids and w.project_d.pk in ids
    assert not {w.project_a.pk, w.project_f.pk, w.project_c.pk} & set(ids)

    html = client.get(FIND, {"q": w.QUERY, "year": 2025}).content.decode()
    assert set(result_ids(html)) == {w.project_b_2025.pk, w.project_f.pk}


def test_the_menu_item_is_hidden_from_users_who_may_not_search(client, search_world):
    client.force_login(search_world.superuser)
    assert FIND in client.get("/admin/").content.decode()


# The partnership and import actions appear once their URLs exist. ----------------------


def _placeholder(request, page_id):  # pragma: no cover - never requested
    raise AssertionError


later_urls = [
    path(
        "later/",
        include(
            (
                [
                    path(
                        "partner/<int:page_id>/",
                        _placeholder,
                        name="partnership_request",
                    ),
                    path("import/<int:page_id>/", _placeholder, name="import_project"),
                ],
                "bm_matching",
            )
        ),
    )
]


def _result() -> SimilarProject:
    return SimilarProject(
        id=42,
        title="Voorlezen",
        summary="Samen lezen.",
        library_id=1,
        library_name="Bibliotheek Beekstad",
        network_slug="noord",
        network_name="Netwerk Noord",
        year=2026,
        phase="do",
        phase_label="Do",
        score=0.87,
        matched_terms=["voorlezen"],
        url="/b/voorlezen/",
    )


def open_link(html: str) -> str:
    return re.search(r'href="(/admin/matching/open/[^"]+)"', html)[1].replace(
        "&amp;", "&"
    )


def test_partnership_and_import_links_appear_only_when_their_urls_exist():
    with override_settings(ROOT_URLCONF="tests.bm_matching.urlconf_without_actions"):
        html = render_to_string(
            "bm_matching/includes/results.html", _results_context([_result()], "")
        )
    assert 'data-bm-action="partnership"' not in html
    assert 'data-bm-action="import"' not in html

    with override_settings(ROOT_URLCONF=__name__):
        html = render_to_string(
            "bm_matching/includes/results.html", _results_context([_result()], "")
        )
    assert 'href="/later/partner/42/" data-bm-action="partnership"' in html
    assert 'href="/later/import/42/" data-bm-action="import"' in html


urlpatterns = later_urls
