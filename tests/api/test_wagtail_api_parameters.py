"""The v2 pages endpoint takes Wagtail's own parameters, as Wagtail users know them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"


def listing(client, **params) -> list[dict]:
    response = client.get(PAGES, params)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_type_narrows_to_one_page_type_and_fields_name_its_api_fields(
    client, page_tree
):
    items = listing(client, type="bm_pages.ProjectPage", fields="summary,phase,budget")

    assert {i["id"] for i in items} == {
        page_tree.live_project.pk,
        page_tree.assurance_project.pk,
    }
    boekstart = next(i for i in items if i["id"] == page_tree.live_project.pk)
    assert boekstart["meta"]["type"] == "bm_pages.ProjectPage"
    assert boekstart["phase"] == "check" and boekstart["budget"] == 12500.0
    assert boekstart["summary"].startswith("Ouders van baby")


def test_several_types_at_once(client, page_tree):
    items = listing(client, type="bm_pages.LibraryPage,bm_pages.AnnualPlanPage")
    assert {i["meta"]["type"] for i in items} == {
        "bm_pages.LibraryPage",
        "bm_pages.AnnualPlanPage",
    }


def test_child_of_descendant_of_ancestor_of_and_order(client, page_tree):
    children = listing(client, child_of=page_tree.plan.pk, order="-title")
    below = listing(client, descendant_of=page_tree.library.pk)
    above = listing(client, ancestor_of=page_tree.live_project.pk)

    assert [i["title"] for i in children] == [
        "Borging klachtenafhandeling",
        "BoekStart in Teststad",
    ]
    assert page_tree.live_project.pk in {i["id"] for i in below}
    assert {i["id"] for i in above} >= {page_tree.plan.pk, page_tree.library.pk}
    assert page_tree.live_project.pk not in {i["id"] for i in above}


def test_search_with_type_and_locale(client, page_tree):
    found = listing(client, type="bm_pages.ProjectPage", search="BoekStart")
    dutch = listing(client, locale=page_tree.plan.locale.language_code)

    assert [i["id"] for i in found] == [page_tree.live_project.pk]
    assert page_tree.plan.pk in {i["id"] for i in dutch}
    # A locale that does not exist: Wagtail answers 404, and so do we.
    assert client.get(PAGES, {"locale": "xx"}).status_code == 404


def test_type_with_a_type_specific_field_filter_stays_refused(client, page_tree):
    # Field filters (``?phase=``) are on /projects/, where they are validated.
    response = client.get(PAGES, {"type": "bm_pages.ProjectPage", "phase": "check"})
    assert response.status_code == 400
    assert "phase" in response.json()["detail"]


@pytest.mark.parametrize(
    "value", ["bm_pages.Nothing", "auth.User", "nonsense", "bm_pages.LibraryDocument"]
)
def test_an_unknown_or_non_page_type_is_a_clear_400(client, page_tree, value):
    response = client.get(PAGES, {"type": value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_request" and "type doesn't exist" in body["detail"]


def test_typed_detail_and_drafts_stay_hidden(client, page_tree):
    items = listing(client, type="bm_pages.ProjectPage")
    assert page_tree.draft_project.pk not in {i["id"] for i in items}
