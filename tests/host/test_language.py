"""The site speaks Dutch whatever language the browser asks for."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept_language", ["", "en-US,en;q=0.9", "de"])
def test_public_home_page_is_dutch(client, accept_language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="nl"' in html
    assert "Bibliotheken" in html
    assert "Search plans and projects" not in html


def test_admin_login_is_dutch_for_an_english_browser(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()
