"""Dutch 404 and 500 pages, the print button and the provenance link, over HTTP."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def test_unknown_public_address_gets_a_dutch_404_with_search(client, page_tree):
    response = client.get("/bestaat-niet/", headers={"accept-language": "nl"})
    html = response.content.decode()

    assert response.status_code == 404
    assert "<h1>Pagina niet gevonden</h1>" in html
    assert 'role="search"' in html and 'action="/zoeken/"' in html
    assert 'lang="nl"' in html


def test_server_error_page_is_dutch_and_needs_no_database(db):
    request = RequestFactory().get("/")
    with translation.override("nl"):
        response = server_error(request)
    html = response.content.decode()

    assert response.status_code == 500
    assert "<h1>Er ging iets mis</h1>" in html
    assert "Naar de startpagina" in html


def test_plan_and_project_pages_have_a_print_button(client, page_tree):
    for page in (page_tree.plan, page_tree.live_project):
        html = client.get(page.url, headers={"accept-language": "nl"}).content.decode()
        assert "data-bm-print hidden>Deze pagina afdrukken</button>" in html
        assert "bm_pages/js/print.js" in html


def test_provenance_links_to_the_source_only_while_it_is_public(client, page_tree):
    source = page_tree.live_project
    imported = ProjectPageFactory(
        parent=page_tree.plan,
        title="Overgenomen BoekStart",
        source_page=source,
        source_title=source.title,
        source_library_name="Bibliotheek Maas en Waal",
        source_year=2026,
    )
    html = client.get(imported.url, headers={"accept-language": "nl"}).content.decode()
    assert (
        f'Gebaseerd op <a href="{source.url}">“BoekStart in Teststad”</a> '
        "van Bibliotheek Maas en Waal (2026)." in html
    )

    source.unpublish()
    html = client.get(imported.url, headers={"accept-language": "nl"}).content.decode()
    assert (
        "Gebaseerd op “BoekStart in Teststad” van Bibliotheek Maas en Waal (2026)."
        in html
    )
    assert f'href="{source.url}"' not in html
