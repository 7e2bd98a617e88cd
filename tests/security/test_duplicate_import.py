"""Item 10 of the hardening review: one source is imported into one plan once.

A second import of the same project into the same plan, draft or live, is refused:
``POST /api/projects/{id}/import/`` answers 409 with a link to the existing copy, and
the admin's import form says the same in Dutch with a button to it. Nothing is
written by a refusal. (Simultaneous imports: ``test_concurrency.py``.)
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from wagtail.models import Page, Revision

from bm_pages.models import LibraryDocument, ProjectPage
from tests.bm_pages.partner_helpers import PartnerWorld, add_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(partner_world) -> PartnerWorld:
    partner_world.make_partners("a", "b")
    return partner_world


def api_import(w, plan=None, **data):
    token = Token.objects.get_or_create(user=w.u("editor_a"))[0]
    return Client().post(
        f"/api/projects/{w.project_b.pk}/import/",
        {"target_plan": (plan or w.plan_a).pk, **data},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )


def database_state() -> tuple:
    return (
        list(Page.objects.order_by("pk").values_list("pk", "path", "numchild")),
        Revision.objects.count(),
        list(LibraryDocument.objects.order_by("pk").values_list("pk", "file")),
    )


def test_a_second_api_import_into_the_same_plan_is_a_409_with_a_link(w):
    first = api_import(w)
    assert first.status_code == 201, first.content
    copy_id = first.json()["id"]
    before = database_state()

    again = api_import(w, copy_documents=True)

    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "already_imported"
    assert "Jaarplan 2026 heeft al een kopie van dit project" in body["detail"]
    assert body["existing"] == {
        "id": copy_id,
        "title": "Voorleesexpress Beekstad",
        "edit_url": f"http://testserver/admin/pages/{copy_id}/edit/",
    }
    assert database_state() == before


def test_a_published_copy_counts_too(w):
    copy_id = api_import(w).json()["id"]
    ProjectPage.objects.get(pk=copy_id).save_revision().publish()
    before = database_state()

    again = api_import(w)

    assert again.status_code == 409
    assert again.json()["existing"]["id"] == copy_id
    assert database_state() == before


def test_another_plan_of_the_same_library_may_still_import_it(w):
    assert api_import(w).status_code == 201
    plan_2027 = add_plan(w.a, 2027)

    response = api_import(w, plan=plan_2027)

    assert response.status_code == 201, response.content
    assert ProjectPage.objects.filter(source_page=w.project_b).count() == 2


def test_the_admin_import_form_refuses_a_second_import_with_a_link(w):
    client = Client()
    client.force_login(w.u("editor_a"))
    url = f"/admin/matching/import/{w.project_b.pk}/"
    assert client.post(url, {"target_plan": w.plan_a.pk}).status_code == 302
    copy = ProjectPage.objects.get(source_page=w.project_b, plan=w.plan_a)
    before = database_state()

    response = client.post(url, {"target_plan": w.plan_a.pk, "copy_documents": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Jaarplan 2026 heeft al een kopie van dit project" in html
    assert "Bestaande kopie openen" in html
    assert f'href="/admin/pages/{copy.pk}/edit/"' in html
    assert database_state() == before
