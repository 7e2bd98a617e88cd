"""Detail routes of the authenticated API answer ids no page can have with a JSON 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/plans/2147483648/",
        "/api/plans/99999999999999999999/",
        "/api/projects/9223372036854775808/",
        "/api/plans/99999999999999999999/report/?format=pdf",
    ],
)
def test_ids_beyond_any_page_are_a_json_404(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "matches the given query" not in response.json()["detail"]
